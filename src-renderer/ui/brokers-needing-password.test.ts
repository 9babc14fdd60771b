import { describe, expect, it } from 'vitest';
import type { ConnectionStatus } from '../../src-main/common/contract.ts';
import { brokersNeedingPassword } from './brokers-needing-password.ts';

const status = (brokerId: string, state: ConnectionStatus['state'], lastError?: string): ConnectionStatus => ({
  brokerId,
  url: 'mqtt://10.0.0.5:1883',
  state,
  since: 0,
  reconnectAttempts: 1,
  protocol: 4,
  subscriptions: 0,
  warnings: [],
  ...(lastError === undefined ? {} : { lastError }),
});

describe('brokersNeedingPassword', () => {
  it('offers a password for a broker that refused the credentials or wants some, and for no other', () => {
    const connections = [
      status('wrong', 'reconnecting', 'the broker refused the username or password'),
      status('none-given', 'reconnecting', 'the broker refused the connection: not authorized (it wants a username and password, and none is given)'),
      status('down', 'reconnecting', 'the broker did not answer (connection refused)'),
      status('fine', 'connected'),
      status('recovered', 'connected', 'the broker refused the username or password'),
    ];
    expect(brokersNeedingPassword(connections).map((connection) => connection.brokerId)).toEqual(['wrong', 'none-given']);
  });
});
