import { afterEach, describe, expect, it } from 'vitest';
import type { ConnectionStatus } from '../common/contract.ts';
import { healthStates, type HealthCode } from '../common/health.ts';
import { LiveSource } from './live-source.ts';
import { startAttemptServer } from './testing/attempt-server.ts';
import { testPlant } from './testing/test-plants.ts';
import { until } from './testing/until.ts';

// A broker that speaks MQTT badly, played by a raw TCP server in front of the live source: whatever
// it sends must neither crash the host nor leave it showing a connection that delivers nothing.

/** A packet no MQTT parser can read: type 15 (AUTH, unknown to 3.1.1) with a remaining length of five 0xff bytes, over the four a length may have. */
const garbage = Buffer.from([0xf0, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01, 0x02, 0x03]);

const plant = testPlant({ name: 'Hostile broker plant', machines: [{ id: 'pump', signals: [{ id: 'pressure', topic: 'plant/pump/pressure', staleAfter: 3600 }] }] });

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe('a broker that sends garbage after accepting the connection', () => {
  it('is dropped and reconnected to at once, its machines offline meanwhile, instead of showing connected until the keepalive gives up', async () => {
    const broker = await startAttemptServer({ after: garbage });
    cleanups.push(() => broker.close());
    const logged: string[] = [];
    const statuses: ConnectionStatus[] = [];
    const source = new LiveSource({ plant, defaultBrokerUrl: broker.url, reconnectPolicy: { firstDelayMs: 100, maxDelayMs: 200 }, log: (line) => logged.push(line) });
    cleanups.push(() => source.stop());
    const machineHealth: string[] = [];
    source.subscribe('connection', (connections) => statuses.push(connections[0]!));
    source.subscribe('frame', (frame) => frame.machineHealth.forEach((health) => machineHealth.push(healthStates[health as HealthCode])));
    source.start();
    const state = () => ({ statuses: statuses.map((status) => `${status.state} ${status.lastError ?? ''}`), attempts: broker.attempts.length, machineHealth, logged });

    await until(() => statuses.some((status) => status.state === 'connected'), 'the first connection', state);
    // The garbage ends that connection: the host says why and tries again after its backoff (100–200 ms), not after a keepalive of a minute and more.
    await until(() => broker.attempts.length >= 3, 'two more attempts', state, 3000);
    const down = statuses.find((status) => status.state === 'reconnecting');
    expect(down?.lastError).toMatch(/variable byte integer|invalid|malformed/i);
    // Connected, the pump waits for its first sample; dropped, it is offline again.
    await until(() => machineHealth.indexOf('offline', machineHealth.indexOf('unknown')) > 0, 'the pump offline after the garbage', state);
    expect(logged).toEqual([]);
  });
});
