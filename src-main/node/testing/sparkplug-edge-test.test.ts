import mqtt from 'mqtt';
import { describe, expect, it } from 'vitest';
import { startEmbeddedBroker } from '../embedded-broker.ts';
import { decodeSparkplugPayload, exactInteger } from '../sparkplug/sparkplug-payload-codec.ts';
import { nodeDeathPayload, publishAsEdge, sparkplugTopic } from './sparkplug-edge-test.ts';

describe('the Sparkplug edge helpers for tests', () => {
  it('name node and device topics as Sparkplug B does', () => {
    expect(sparkplugTopic('NBIRTH', { group: 'Mill', node: 'N1' })).toBe('spBv1.0/Mill/NBIRTH/N1');
    expect(sparkplugTopic('DDATA', { group: 'Mill', node: 'N1', device: 'D1' })).toBe('spBv1.0/Mill/DDATA/N1/D1');
  });

  it('write a death with its bdSeq and no timestamp, and publish a payload stamped now that a subscriber receives whole', async () => {
    const death = decodeSparkplugPayload(nodeDeathPayload(7));
    if (!death.ok) throw new Error(death.detail);
    expect(exactInteger(death.payload.timestamp) ?? 0).toBe(0);
    expect(death.payload.metrics!.map((metric) => [metric.name, exactInteger(metric.longValue)])).toEqual([['bdSeq', 7]]);

    const broker = await startEmbeddedBroker();
    const watcher = await mqtt.connectAsync(broker.url, { reconnectPeriod: 0 });
    const edge = await mqtt.connectAsync(broker.url, { reconnectPeriod: 0 });
    try {
      const received: Array<{ topic: string; payload: Buffer }> = [];
      watcher.on('message', (topic, payload) => received.push({ topic, payload }));
      await watcher.subscribeAsync({ 'spBv1.0/#': { qos: 1 } });
      const before = Date.now();
      await publishAsEdge(edge, 'NDATA', { group: 'Mill', node: 'N1' }, { seq: 3, metrics: [{ alias: 1, type: 'Double', value: 2.5 }] });
      await expect.poll(() => received.length).toBe(1);
      expect(received[0]!.topic).toBe('spBv1.0/Mill/NDATA/N1');
      const data = decodeSparkplugPayload(received[0]!.payload);
      if (!data.ok) throw new Error(data.detail);
      expect(exactInteger(data.payload.seq)).toBe(3);
      expect(exactInteger(data.payload.timestamp)).toBeGreaterThanOrEqual(before);
      expect(data.payload.metrics![0]!.doubleValue).toBe(2.5);
    } finally {
      await watcher.endAsync(true);
      await edge.endAsync(true);
      await broker.close();
    }
  });
});
