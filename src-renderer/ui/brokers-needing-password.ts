import type { ConnectionStatus } from '../../src-main/common/contract.ts';

/** How the host words a broker refusing the credentials, or wanting some where none were given. */
const credentialsRefused = /refused the username or password|wants a username and password/i;

/** The brokers whose last error says the password is wrong or missing: the ones a password field is offered for. */
export function brokersNeedingPassword(connections: readonly ConnectionStatus[]): ConnectionStatus[] {
  return connections.filter((connection) => connection.state !== 'connected' && connection.lastError !== undefined && credentialsRefused.test(connection.lastError));
}
