import mqtt from 'mqtt';
import { afterEach, describe, expect, it } from 'vitest';
import { mosquittoPath, startMosquitto, type MosquittoBroker } from './mosquitto-broker.ts';

describe.skipIf(!mosquittoPath)('the test mosquitto', () => {
  let broker: MosquittoBroker | undefined;
  afterEach(async () => {
    await broker?.close();
    broker = undefined;
  });

  it('refuses a wrong password, accepts the right one, and comes back on the same port after SIGKILL', async () => {
    broker = await startMosquitto({ users: { viewer: 'right-password' } });
    await expect(mqtt.connectAsync(broker.url, { username: 'viewer', password: 'wrong', reconnectPeriod: 0 })).rejects.toThrow(/Not authorized|Bad user name or password/);
    const client = await mqtt.connectAsync(broker.url, { username: 'viewer', password: 'right-password', reconnectPeriod: 0 });
    await client.endAsync();
    await broker.kill();
    await broker.restart();
    const again = await mqtt.connectAsync(broker.url, { username: 'viewer', password: 'right-password', reconnectPeriod: 0 });
    await again.endAsync();
    expect(broker.log().join('\n')).toMatch(/New client connected/);
  });
});
