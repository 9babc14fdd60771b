import mqtt, { type MqttClient } from 'mqtt';
import { afterEach, describe, expect, it } from 'vitest';
import { parsePlantOrThrow } from '../common/parse-plant.ts';
import type { ReconnectPolicy } from './broker-connection.ts';
import { LiveSource } from './live-source.ts';
import { mosquittoPath, startMosquitto, type MosquittoBroker } from './testing/mosquitto-broker.ts';
import { until } from './testing/until.ts';

// A persistent session (clean: false, QoS 1 subscriptions, a fixed client id) on a mosquitto with
// persistence: telemetry published while the host is away arrives when it returns, every message,
// counted end to end at the live source — whether the host was stopped and started again, or the
// broker crashed and came back from its persistence file while the host waited to reconnect.

const clientId = 'twinline-persistent-test';
const topic = 'plant/counter/sequence';

const plantFor = (url: string, protocol: 4 | 5) =>
  parsePlantOrThrow(`name: Persistent session
brokers: [{ id: line, url: "${url}", clientId: ${clientId}, protocol: ${protocol}, session: { persistent: true } }]
machines:
  - id: counter
    name: Counter
    area: A
    line: L
    primitive: { shape: box }
    signals: [{ id: sequence, topic: ${topic}, staleAfter: 600 }]
`);

/** A host as `serve` runs one, with every sample it accepted kept in arrival order. */
function startHost(url: string, protocol: 4 | 5, policy: ReconnectPolicy) {
  const received: number[] = [];
  const source = new LiveSource({
    plant: plantFor(url, protocol),
    reconnectPolicy: policy,
    observer: { onSample: (_signal, value) => received.push(value), onConnection: () => undefined, onMachineHealth: () => undefined },
    log: (line) => console.error(line),
  });
  source.start();
  const accepted = () => source.diagnostics().brokers[0]!.samplesAccepted;
  const state = () => ({ connection: source.connections()[0], accepted: accepted(), received: received.length, last: received.at(-1) });
  return { source, received, accepted, state };
}

/** A publisher that sends each value with QoS 1 and waits for the broker's acknowledgement. */
async function connectPublisher(url: string): Promise<MqttClient> {
  const publisher = mqtt.connect(url, { clientId: `persistent-test-publisher-${Math.random().toString(16).slice(2, 8)}`, reconnectPeriod: 50, connectTimeout: 5000 });
  // The broker is killed under it on purpose in one case; it reconnects on its own.
  publisher.on('error', () => undefined);
  await until(() => publisher.connected, 'the publisher to connect', undefined, 15_000);
  return publisher;
}

async function publishSequence(publisher: MqttClient, from: number, to: number): Promise<void> {
  for (let sequence = from; sequence <= to; sequence++) await publisher.publishAsync(topic, JSON.stringify({ value: sequence }), { qos: 1 });
}

/** The numbers from..to, for comparing with what arrived. */
const sequence = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, index) => from + index);

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe.skipIf(!mosquittoPath).each([4, 5] as const)('a persistent session over MQTT %s (mosquitto with persistence)', (protocol) => {
  it('delivers every QoS 1 message published while the host was stopped, when it starts again', async () => {
    const broker: MosquittoBroker = await startMosquitto({ persistence: true });
    cleanups.push(() => broker.close());
    const policy = { firstDelayMs: 200, maxDelayMs: 1000 };
    const first = startHost(broker.url, protocol, policy);
    cleanups.push(() => first.source.stop());
    await until(() => first.source.connections()[0]?.subscriptions === 1, 'the host to connect and subscribe', first.state, 15_000);
    const publisher = await connectPublisher(broker.url);
    cleanups.push(() => publisher.endAsync(true));
    await publishSequence(publisher, 1, 50);
    await until(() => first.accepted() === 50, 'the first 50 messages while the host is there', first.state, 15_000);
    await first.source.stop();

    // The host is away: 500 messages, each acknowledged by the broker.
    await publishSequence(publisher, 51, 550);
    const second = startHost(broker.url, protocol, policy);
    cleanups.push(() => second.source.stop());
    await until(() => second.accepted() >= 500, 'the 500 messages published while the host was away', second.state, 15_000);
    await publishSequence(publisher, 551, 560);
    await until(() => second.received.includes(560), 'a message published after the return', second.state, 15_000);
    // None lost, none twice, in the order they were published.
    expect(first.received).toEqual(sequence(1, 50));
    expect(second.received).toEqual(sequence(51, 560));
    expect(second.accepted()).toBe(510);
  });

  it('delivers every QoS 1 message published while the broker came back from a crash and the host waited to reconnect', async () => {
    const broker: MosquittoBroker = await startMosquitto({ persistence: true });
    cleanups.push(() => broker.close());
    // A first reconnect 3–5 s after the crash: the broker is back and the messages are published before it.
    const host = startHost(broker.url, protocol, { firstDelayMs: 4000, maxDelayMs: 4000 });
    cleanups.push(() => host.source.stop());
    await until(() => host.source.connections()[0]?.subscriptions === 1, 'the host to connect and subscribe', host.state, 15_000);
    const publisher = await connectPublisher(broker.url);
    cleanups.push(() => publisher.endAsync(true));
    await publishSequence(publisher, 1, 50);
    await until(() => host.accepted() === 50, 'the first 50 messages', host.state, 15_000);

    await broker.kill();
    await until(() => host.source.connections()[0]?.state === 'reconnecting', 'the host to see the crash', host.state, 15_000);
    // The broker's persistence file was written when the session was made; the restart reads it back.
    await broker.restart();
    await until(() => publisher.connected, 'the publisher to reconnect to the restarted broker', undefined, 15_000);
    await publishSequence(publisher, 51, 350);
    // Proves the messages were queued for the absent host, not received live.
    expect(host.source.connections()[0]?.state).not.toBe('connected');
    expect(host.accepted()).toBe(50);

    await until(() => new Set(host.received).size === 350, 'the 300 messages published while the host was away', host.state, 15_000);
    // None lost. A broker killed mid-session may not have saved the acknowledgements of the last
    // messages the host took before the crash, and QoS 1 (at least once) then sends them again;
    // whatever was published after the crash arrives exactly once, in order.
    expect(new Set(host.received)).toEqual(new Set(sequence(1, 350)));
    expect(host.received.slice(0, 50)).toEqual(sequence(1, 50));
    const afterCrash = host.received.slice(50);
    const resent = afterCrash.filter((value) => value <= 50);
    expect(resent.every((value, index) => index === 0 || value > resent[index - 1]!)).toBe(true);
    expect(afterCrash.filter((value) => value > 50)).toEqual(sequence(51, 350));
    expect(host.accepted()).toBe(host.received.length);
  });
});
