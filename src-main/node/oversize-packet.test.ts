import mqtt from 'mqtt';
import { afterEach, describe, expect, it } from 'vitest';
import { LiveSource } from './live-source.ts';
import { mosquittoPath, startMosquitto, type MosquittoBroker } from './testing/mosquitto-broker.ts';
import { testPlant } from './testing/test-plants.ts';
import { until } from './testing/until.ts';

// A payload far over the plant's limit must not cost the host its size in memory before it is
// refused: over MQTT 5 the host tells the broker the largest packet it takes, and the broker drops
// bigger ones; one over the plant's limit but under that bound is still taken and counted.

const plantFor = (protocol: 4 | 5) =>
  testPlant({
    name: 'Oversize plant',
    settings: { maxPayloadBytes: 65536 },
    brokers: [{ id: 'line', protocol }],
    machines: [{ id: 'pump', signals: [{ id: 'pressure', topic: 'plant/pump/pressure' }] }],
  });

describe.skipIf(!mosquittoPath)('payloads over the plant limit, against mosquitto', () => {
  let broker: MosquittoBroker | undefined;
  let source: LiveSource | undefined;
  afterEach(async () => {
    await source?.stop();
    await broker?.close();
    source = undefined;
    broker = undefined;
  });

  it.each([5, 4] as const)('protocol %s: counts a payload over the limit; a 20 MiB one never reaches an MQTT 5 host', async (protocol) => {
    broker = await startMosquitto();
    source = new LiveSource({ plant: plantFor(protocol), brokerUrls: { line: broker.url }, log: () => undefined });
    source.start();
    await until(() => source!.connections()[0]?.subscriptions === 1, 'the subscription', undefined, 15_000);
    const publisher = await mqtt.connectAsync(broker.url, { reconnectPeriod: 0 });
    try {
      await publisher.publishAsync('plant/pump/pressure', Buffer.alloc(200 * 1024, 0x31), { qos: 1 });
      await publisher.publishAsync('plant/pump/pressure', Buffer.alloc(20 * 1024 * 1024, 0x31), { qos: 1 });
      await publisher.publishAsync('plant/pump/pressure', '7.5', { qos: 1 });
      await until(() => source!.diagnostics().samplesAccepted === 1, 'the small sample after the large ones', () => source!.diagnostics(), 15_000);
    } finally {
      await publisher.endAsync();
    }
    const diagnostics = source.diagnostics();
    // MQTT 5: the broker never sends the 20 MiB packet, so only the 200 KiB one is counted; MQTT 3.1.1 has
    // no way to say so, and the host takes (and counts) both.
    expect(diagnostics.problemCounts.oversizePayload).toBe(protocol === 5 ? 1 : 2);
    expect(diagnostics.messagesReceived).toBe(protocol === 5 ? 2 : 3);
    expect(source.connections()[0]).toMatchObject({ state: 'connected', reconnectAttempts: 0 });
    if (protocol === 5) expect(broker.log().join('\n')).toMatch(/too large|maximum packet size|Dropped/i);
  });
});
