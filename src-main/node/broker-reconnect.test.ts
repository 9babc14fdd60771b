import { afterEach, describe, expect, it } from 'vitest';
import type { ConnectionStatus } from '../common/contract.ts';
import { BrokerConnection, reconnectDelay, type ReconnectPolicy } from './broker-connection.ts';
import { startAttemptServer } from './testing/attempt-server.ts';
import { trackConnectionResources } from './testing/connection-resources.ts';
import { until } from './testing/until.ts';

// How BrokerConnection schedules its reconnects, watched from a TCP server that sees every attempt
// arrive: one attempt per scheduled delay, a hanging connect bounded by the connect timeout, and a
// stop that leaves nothing behind.

/** The smallest and largest delay `reconnectDelay` may give attempt `attempt` (±25 % jitter, rounded). */
function delayRange(attempt: number, policy: ReconnectPolicy): { low: number; high: number } {
  return { low: Math.round(reconnectDelay(attempt, policy, () => 0)), high: Math.round(reconnectDelay(attempt, policy, () => 1)) };
}

/** A connection to `url` whose status changes are kept with their times. */
function watchedConnection(url: string, policy: ReconnectPolicy) {
  const statuses: Array<{ at: number; status: ConnectionStatus }> = [];
  const connection = new BrokerConnection(
    { id: 'line', url, protocol: 4 },
    {
      subscriptions: [{ topic: 'plant/a', qos: 0 }],
      events: { onMessage: () => undefined, onStatus: (status) => statuses.push({ at: Date.now(), status }) },
      policy,
    },
  );
  return { connection, statuses };
}

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe('reconnectDelay', () => {
  it('grows exponentially from the first delay to the cap, with ±25 % jitter, and stays finite after any number of attempts', () => {
    const policy = { firstDelayMs: 500, maxDelayMs: 30_000 };
    expect(delayRange(1, policy)).toEqual({ low: 375, high: 625 });
    expect(delayRange(2, policy)).toEqual({ low: 750, high: 1250 });
    expect(delayRange(7, policy)).toEqual({ low: 22_500, high: 37_500 });
    for (const attempt of [8, 100, 1100, 1_000_000]) expect(delayRange(attempt, policy)).toEqual({ low: 22_500, high: 37_500 });
    // The default policy is the same 0.5–30 s.
    expect(reconnectDelay(1, undefined, () => 0.5)).toBe(500);
    expect(reconnectDelay(50, undefined, () => 0.5)).toBe(30_000);
    const delays = Array.from({ length: 1000 }, () => reconnectDelay(3));
    expect(Math.min(...delays)).toBeGreaterThanOrEqual(1500);
    expect(Math.max(...delays)).toBeLessThanOrEqual(2500);
    // Jitter spreads the attempts of many hosts rather than giving them all one delay.
    expect(new Set(delays).size).toBeGreaterThan(100);
  });
});

describe('BrokerConnection reconnects', () => {
  it('makes exactly one attempt per scheduled delay, each after its backoff, and none of its own client', async () => {
    const server = await startAttemptServer('refuse');
    cleanups.push(() => server.close());
    const policy = { firstDelayMs: 100, maxDelayMs: 400, connectTimeoutMs: 5000 };
    const { connection, statuses } = watchedConnection(server.url, policy);
    cleanups.push(() => connection.stop());
    connection.start();
    const attemptsWanted = 8;
    await until(() => server.attempts.length >= attemptsWanted, `${attemptsWanted} connection attempts`, () => statuses.map(({ status }) => status.reconnectAttempts));
    await connection.stop();
    const arrived = server.attempts.length;

    // Each 'reconnecting' status schedules attempt n; the n-th reconnect arrives within that attempt's delay range.
    const byAttempt = new Map<number, number>();
    for (const { at, status } of statuses) if (status.state === 'reconnecting' && !byAttempt.has(status.reconnectAttempts)) byAttempt.set(status.reconnectAttempts, at);
    expect([...byAttempt.keys()]).toEqual(Array.from({ length: byAttempt.size }, (_, index) => index + 1));
    for (let attempt = 1; attempt < arrived; attempt++) {
      const scheduledAt = byAttempt.get(attempt);
      expect(scheduledAt, `attempt ${attempt} was scheduled`).toBeDefined();
      const waited = server.attempts[attempt]!.at - scheduledAt!;
      const { low, high } = delayRange(attempt, policy);
      // Timers never fire early; a loaded machine may run them late, hence the generous upper slack.
      expect(waited, `attempt ${attempt}: waited ${waited} ms, its delay is ${low}–${high} ms`).toBeGreaterThanOrEqual(low - 2);
      expect(waited, `attempt ${attempt}: waited ${waited} ms, its delay is ${low}–${high} ms`).toBeLessThanOrEqual(high + 1000);
      // No second attempt inside one delay: the next arrival comes only after the next status.
      const nextScheduled = byAttempt.get(attempt + 1);
      if (nextScheduled !== undefined && attempt + 1 < arrived) expect(server.attempts[attempt + 1]!.at).toBeGreaterThanOrEqual(nextScheduled);
    }
    // One connection, plus one per attempt whose timer fired before the stop: never more.
    expect(arrived === byAttempt.size || arrived === byAttempt.size + 1, `${arrived} arrivals for ${byAttempt.size} scheduled attempts`).toBe(true);
    // After the stop nothing more arrives, even after the longest delay and MQTT.js's own default period (1 s) have passed.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(server.attempts.length).toBe(arrived);
    expect(connection.status().state).toBe('disconnected');
  });

  it('keeps backing off from a broker that accepts every connection and drops it at once, and starts afresh after a connection that lasted', async () => {
    const policy = { firstDelayMs: 100, maxDelayMs: 800, connectTimeoutMs: 5000, stableAfterMs: 300 };
    const flapping = await startAttemptServer({ flapAfterMs: 0 });
    cleanups.push(() => flapping.close());
    const quick = watchedConnection(flapping.url, policy);
    cleanups.push(() => quick.connection.stop());
    quick.connection.start();
    await until(() => quick.statuses.some(({ status }) => status.reconnectAttempts >= 5), 'a fifth reconnect attempt', () => quick.statuses.map(({ status }) => status.reconnectAttempts));
    await quick.connection.stop();
    // Every connection was accepted and dropped, and still the delays grew: no retry every first delay.
    // One attempt may report more than one status (its error comes after its state), hence the set.
    const attempts = [...new Set(quick.statuses.filter(({ status }) => status.state === 'reconnecting').map(({ status }) => status.reconnectAttempts))];
    expect(attempts.slice(0, 5)).toEqual([1, 2, 3, 4, 5]);
    expect(quick.statuses.some(({ status }) => status.state === 'connected')).toBe(true);

    // A connection that lasted longer than stableAfterMs counts as recovered: the next loss starts from the first delay.
    const lasting = await startAttemptServer({ flapAfterMs: 600 });
    cleanups.push(() => lasting.close());
    const steady = watchedConnection(lasting.url, policy);
    cleanups.push(() => steady.connection.stop());
    steady.connection.start();
    await until(() => lasting.attempts.length >= 3, 'three connections', () => lasting.attempts.length);
    await steady.connection.stop();
    const steadyAttempts = steady.statuses.filter(({ status }) => status.state === 'reconnecting').map(({ status }) => status.reconnectAttempts);
    expect(steadyAttempts.length).toBeGreaterThanOrEqual(2);
    expect(new Set(steadyAttempts)).toEqual(new Set([1]));
  });

  it('gives up on a connect that hangs after the connect timeout, and then makes the next attempt', async () => {
    const server = await startAttemptServer('hang');
    cleanups.push(() => server.close());
    const policy = { firstDelayMs: 100, maxDelayMs: 200, connectTimeoutMs: 400 };
    const { connection, statuses } = watchedConnection(server.url, policy);
    cleanups.push(() => connection.stop());
    connection.start();
    await until(() => server.attempts.length >= 3, 'three attempts at a broker that never answers', () => server.attempts, 15_000);
    await connection.stop();
    for (const [index, attempt] of server.attempts.slice(0, 2).entries()) {
      // The client, not the server, ends each hanging attempt: at the connect timeout, not before.
      expect(attempt.closedAt, `attempt ${index} was closed`).toBeDefined();
      const held = attempt.closedAt! - attempt.at;
      expect(held, `attempt ${index} held ${held} ms`).toBeGreaterThanOrEqual(policy.connectTimeoutMs - 20);
      expect(held, `attempt ${index} held ${held} ms`).toBeLessThan(policy.connectTimeoutMs + 1500);
      // The next attempt follows within the backoff of the attempt that failed.
      const gap = server.attempts[index + 1]!.at - attempt.closedAt!;
      expect(gap).toBeLessThanOrEqual(delayRange(index + 1, policy).high + 1000);
    }
    expect(statuses.some(({ status }) => status.state === 'reconnecting' && status.lastError !== undefined)).toBe(true);
  });

  it('leaves no timer or socket behind when stopped while an attempt waits for its delay', async () => {
    const server = await startAttemptServer('refuse');
    cleanups.push(() => server.close());
    const resources = trackConnectionResources();
    cleanups.push(async () => resources.stop());
    const { connection } = watchedConnection(server.url, { firstDelayMs: 60_000, maxDelayMs: 60_000 });
    connection.start();
    await until(() => connection.status().state === 'reconnecting', 'the first attempt to fail and the next to be scheduled', () => connection.status());
    expect(resources.alive()).toContain('Timeout');
    await connection.stop();
    await until(() => resources.alive().length === 0, 'the connection’s timers and sockets to be gone', () => resources.alive(), 2000);
    expect(server.attempts.length).toBe(1);
  });

  it('leaves no timer or socket behind when stopped while an attempt waits for the broker to answer', async () => {
    const server = await startAttemptServer('hang');
    cleanups.push(() => server.close());
    const resources = trackConnectionResources();
    cleanups.push(async () => resources.stop());
    const { connection } = watchedConnection(server.url, { firstDelayMs: 100, maxDelayMs: 100, connectTimeoutMs: 60_000 });
    connection.start();
    await until(() => server.open.size === 1, 'the connection to reach the silent broker', () => server.attempts);
    expect(resources.alive()).toEqual(expect.arrayContaining(['TCPWRAP', 'Timeout']));
    await connection.stop();
    // Well before the 60 s connect timeout: its timer went with the socket.
    await until(() => resources.alive().length === 0 && server.open.size === 0, 'the connection’s timers and sockets to be gone', () => ({ alive: resources.alive(), open: server.open.size }), 2000);
    expect(server.attempts.length).toBe(1);
  });
});
