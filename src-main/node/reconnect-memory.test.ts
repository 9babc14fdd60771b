import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { parsePlantOrThrow } from '../common/parse-plant.ts';
import { reconnectDelay } from './broker-connection.ts';
import { LiveSource } from './live-source.ts';
import { trackConnectionResources } from './testing/connection-resources.ts';
import { freePort } from './testing/loopback-ports.ts';
import { until } from './testing/until.ts';

// A broker unreachable for an hour: the host keeps trying, and must not grow while it does. An hour
// at the real policy (0.5, 1, 2 … 30 s) is about 125 attempts; the test makes 2,000 with a fast
// policy against a port nothing listens on, with a view subscribed, and compares the heap, the MQTT
// client's listeners, the source's timers and the live timers and sockets early and late.

/** Attempts an hour at the real policy makes, with every delay at its shortest (the most attempts). */
function attemptsInAnHour(): number {
  let elapsed = 0;
  let attempts = 0;
  while (elapsed < 3_600_000) elapsed += reconnectDelay(++attempts, undefined, () => 0);
  return attempts;
}

/** The garbage collector, reachable once V8 is told to expose it (Vitest's workers do not start with --expose-gc). */
function exposedGc(): () => void {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

/** Heap in use after full collections, the least of a few readings (a reading may catch work in flight). */
async function settledHeap(gc: () => void): Promise<number> {
  const readings: number[] = [];
  for (let reading = 0; reading < 5; reading++) {
    await new Promise((resolve) => setImmediate(resolve));
    gc();
    gc();
    readings.push(process.memoryUsage().heapUsed);
  }
  return Math.min(...readings);
}

describe('a broker unreachable for an hour of reconnect attempts', () => {
  it('leaves the host’s heap, listeners, timers and sockets flat', { timeout: 120_000 }, async () => {
    const hourAttempts = attemptsInAnHour();
    expect(hourAttempts).toBeGreaterThan(100);
    expect(hourAttempts).toBeLessThan(200);
    const totalAttempts = 2000;
    expect(totalAttempts).toBeGreaterThan(10 * hourAttempts);

    const gc = exposedGc();
    const port = await freePort();
    const plant = parsePlantOrThrow(`name: Unreachable
brokers: [{ id: line, url: "mqtt://127.0.0.1:${port}" }]
machines:
  - { id: press, name: Press, area: A, line: L, primitive: { shape: box }, signals: [{ id: force, topic: plant/press/force }] }
  - { id: oven, name: Oven, area: A, line: L, primitive: { shape: box }, signals: [{ id: temperature, topic: plant/oven/temperature }] }
`);
    const resources = trackConnectionResources();
    const source = new LiveSource({ plant, reconnectPolicy: { firstDelayMs: 1, maxDelayMs: 2 }, frameIntervalMs: 10, log: (line) => console.error(line) });
    // A view watching: its frames and connection events are made and dropped all along.
    let connectionEvents = 0;
    source.subscribe('connection', () => connectionEvents++);
    source.subscribe('frame', () => undefined);
    const attempts = () => source.connections()[0]?.reconnectAttempts ?? 0;
    // What may grow with a leak: the MQTT client's listeners, the source's own listeners and timers.
    const connection = source['connectionsList'];
    const clientListeners = () => {
      const client = connection[0]?.['client'];
      return client ? client.eventNames().reduce((sum, name) => sum + client.listenerCount(name), 0) : 0;
    };
    const sourceListeners = () => Object.values(source['listeners']).reduce((sum, set) => sum + set.size, 0);
    const shape = () => ({ clientListeners: clientListeners(), sourceListeners: sourceListeners(), sourceTimers: source['timers'].length });

    try {
      source.start();
      await until(() => attempts() >= 200, '200 attempts', () => attempts(), 60_000);
      const early = { heap: await settledHeap(gc), ...shape(), alive: resources.alive().length };
      await until(() => attempts() >= totalAttempts, `${totalAttempts} attempts`, () => attempts(), 60_000);
      const late = { heap: await settledHeap(gc), ...shape(), alive: resources.alive().length };

      // Every attempt failed and was followed by the next: the source says so, and the view was told.
      expect(source.connections()[0]?.state).toBe('reconnecting');
      expect(connectionEvents).toBeGreaterThanOrEqual(totalAttempts);
        expect(late.clientListeners).toBe(early.clientListeners);
      expect(late.sourceListeners).toBe(early.sourceListeners);
      expect(late.sourceTimers).toBe(early.sourceTimers);
      // At any moment one attempt's timer, or its socket and connect timer: never a pile.
      expect(late.alive).toBeLessThanOrEqual(3);
      // 1,800 attempts (14 hours at the real policy) later the heap has grown by less than 1 MiB: V8
      // still warms up here (measured: about 0.3 MiB, then flat past 8,000 attempts), while one
      // connection's socket and streams kept per attempt would add several MiB.
      expect(late.heap - early.heap, `heap ${early.heap} → ${late.heap} bytes`).toBeLessThan(1024 * 1024);
    } finally {
      await source.stop();
      resources.stop();
    }
  });
});
