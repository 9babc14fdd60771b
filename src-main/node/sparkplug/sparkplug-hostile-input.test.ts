import { describe, expect, it } from 'vitest';
import type { ProblemKind } from '../../common/contract.ts';
import { brokerSparkplugSchema } from '../../common/plant-schema.ts';
import { seededRandom } from '../../common/seeded-random.ts';
import { maxMetricsPerPayload, maxReorderMessages, SparkplugHostApplication } from './sparkplug-host-application.ts';
import { encodeSparkplugPayload, type SparkplugMetricInput } from './sparkplug-payload-codec.ts';
import { bdSeqMetric, sparkplugTopic } from '../testing/sparkplug-edge-test.ts';

/** A host application whose sink and publisher count what reaches them. */
function harness(settings: Partial<Parameters<typeof brokerSparkplugSchema.parse>[0]> = {}) {
  const problems: Array<{ kind: ProblemKind; detail: string }> = [];
  const samples: Array<{ signalIndex: number; value: number }> = [];
  const published: string[] = [];
  const host = new SparkplugHostApplication({
    settings: brokerSparkplugSchema.parse({ primary: true, reorderTimeout: 0.05, ...settings }),
    bindings: [
      { signalIndex: 0, binding: { group: 'G', node: 'N', metric: 'a' }, states: { ON: 1 } },
      { signalIndex: 1, binding: { group: 'G', node: 'N', device: 'D', metric: 'b' } },
    ],
    sink: {
      sample: (signalIndex, value) => samples.push({ signalIndex, value }),
      lost: () => undefined,
      problem: (kind, _topic, detail) => problems.push({ kind, detail }),
    },
    publisher: { publish: (topic) => (published.push(topic), true) },
    log: () => undefined,
  });
  host.will();
  host.onConnected();
  return { host, problems, samples, published };
}

const birth = (metrics: SparkplugMetricInput[] = [{ name: 'a', alias: 1, type: 'Double', value: 1 }]) =>
  encodeSparkplugPayload({ seq: 0, metrics: [bdSeqMetric(0), ...metrics] });

describe('SparkplugHostApplication with hostile input', () => {
  it('takes 20,000 random and mutated payloads on every message type without a throw, counting what it refuses', () => {
    const random = seededRandom(11);
    const { host, problems, samples } = harness();
    const valid = [
      birth(),
      encodeSparkplugPayload({ seq: 1, metrics: [{ alias: 1, type: 'Double', value: 2 }, { name: 'a', type: 'String', value: 'ON' }] }),
      encodeSparkplugPayload({ seq: 2, metrics: [{ name: 'b', alias: 2, type: 'Int64', value: -3 }] }),
      encodeSparkplugPayload({ seq: 3, metrics: [{ alias: 1, type: 'DataSet', value: { numOfColumns: 2, columns: ['x', 'y'], types: ['Int32', 'String'], rows: [[1, 'z']] } }] }),
      encodeSparkplugPayload({ seq: 4, metrics: [{ alias: 1, type: 'Template', value: { metrics: [{ name: 'inner', type: 'Double', value: 1 }] } }] }),
    ];
    const types = ['NBIRTH', 'NDATA', 'NDEATH', 'DBIRTH/D', 'DDATA/D', 'DDEATH/D', 'DDATA/X', 'NCMD', 'BOGUS'];
    let messages = 0;
    for (let round = 0; round < 20_000; round++) {
      let payload: Uint8Array;
      const choice = random();
      if (choice < 0.3) {
        payload = new Uint8Array(Math.floor(random() * 64)).map(() => Math.floor(random() * 256));
      } else {
        payload = Uint8Array.from(valid[Math.floor(random() * valid.length)]!);
        // Flip, drop or duplicate a few bytes.
        for (let flips = Math.floor(random() * 4); flips > 0; flips--) payload[Math.floor(random() * payload.length)] = Math.floor(random() * 256);
        if (random() < 0.2) payload = payload.subarray(0, Math.floor(random() * payload.length));
      }
      const type = types[Math.floor(random() * types.length)]!;
      const [kind, device] = type.split('/');
      const topic = sparkplugTopic(kind!, { group: 'G', node: 'N', device });
      expect(() => host.ingest(topic, payload)).not.toThrow();
      messages++;
    }
    expect(messages).toBe(20_000);
    expect(problems.some((problem) => problem.kind === 'malformedPayload')).toBe(true);
    expect(samples.every((sample) => typeof sample.value === 'number')).toBe(true);
    host.stop();
  });

  it('reads at most the metric limit of one payload and holds at most the reorder limit of one node', () => {
    const { host, problems, published } = harness({ rebirth: true });
    const many: SparkplugMetricInput[] = Array.from({ length: maxMetricsPerPayload + 5 }, (_, index) => ({ name: `m${index}`, alias: index + 10, type: 'Boolean', value: true }));
    host.ingest('spBv1.0/G/NBIRTH/N', birth(many));
    expect(problems.filter((problem) => problem.kind === 'malformedPayload')).toHaveLength(1);
    // A gap at seq 1, then more early messages than the node may hold: the gap is closed at once with a rebirth request.
    for (let seq = 2; seq <= maxReorderMessages + 2; seq++) host.ingest('spBv1.0/G/NDATA/N', encodeSparkplugPayload({ seq, metrics: [] }));
    expect(published.filter((topic) => !topic.includes('/STATE/'))).toEqual(['spBv1.0/G/NCMD/N']);
    host.stop();
  });

  it('refuses non-finite values, unknown text and text too long to be a state, and reads Quality and nulls as bad', () => {
    const { host, problems, samples } = harness();
    host.ingest('spBv1.0/G/NBIRTH/N', birth());
    host.ingest('spBv1.0/G/NDATA/N', encodeSparkplugPayload({ seq: 1, metrics: [{ alias: 1, type: 'Float', value: Number.NaN }] }));
    host.ingest('spBv1.0/G/NDATA/N', encodeSparkplugPayload({ seq: 2, metrics: [{ alias: 1, type: 'String', value: 'ON'.repeat(10_000) }] }));
    host.ingest('spBv1.0/G/NDATA/N', encodeSparkplugPayload({ seq: 3, metrics: [{ alias: 1, type: 'Double', value: 5, properties: { Quality: { type: 'Int32', value: 500 } } }] }));
    host.ingest('spBv1.0/G/NDATA/N', encodeSparkplugPayload({ seq: 4, metrics: [{ alias: 1, type: 'String', value: 'ON' }] }));
    expect(problems.map((problem) => problem.kind)).toEqual(['wrongType', 'unknownState']);
    expect(problems[1]!.detail.length).toBeLessThan(120);
    expect(samples.map((sample) => sample.value)).toEqual([1, Number.NaN, 1]);
    host.stop();
  });
});
