import type { SparkplugMetricView, TopicPayloadView } from '../../common/topic-explorer.ts';
import { approximateNumber, decodeSparkplugPayload, exactInteger, hasField, type SparkplugMetric } from '../sparkplug/sparkplug-payload-codec.ts';

/** Metric names by alias, per Sparkplug edge node or device, learnt from their births. */
export type SparkplugAliases = Map<string, Map<number, string>>;

/** Most edge nodes and devices whose aliases are kept, and most aliases per node or device. */
const maxAliasAddresses = 10_000;
const maxAliasesPerAddress = 5000;
/** Most metrics of one Sparkplug payload shown. */
const maxMetricsShown = 200;
/** Longest text value of a metric shown, in characters. */
const maxMetricText = 200;

const decoder = new TextDecoder('utf-8', { fatal: true });

/** Text of a payload when it is UTF-8 without control characters other than tab and line breaks; undefined for binary. */
function asText(bytes: Uint8Array, complete: boolean): string | undefined {
  let text: string;
  try {
    // A payload cut at the per-topic cap may end inside a character: stream mode leaves that tail out instead of failing.
    text = decoder.decode(bytes, { stream: !complete });
  } catch (error) {
    // Expected for binary payloads: not UTF-8 is the answer, not a fault.
    if (error instanceof TypeError) return undefined;
    throw error;
  }
  // eslint-disable-next-line no-control-regex
  return /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(text) ? undefined : text;
}

function metricValue(metric: SparkplugMetric): number | boolean | string | null {
  if (metric.isNull === true) return null;
  if (hasField(metric, 'booleanValue')) return metric.booleanValue ?? null;
  if (hasField(metric, 'doubleValue')) return metric.doubleValue ?? null;
  if (hasField(metric, 'floatValue')) return metric.floatValue ?? null;
  if (hasField(metric, 'intValue')) return metric.intValue ?? null;
  if (hasField(metric, 'longValue')) return approximateNumber(metric.longValue) ?? null;
  if (hasField(metric, 'stringValue')) return (metric.stringValue ?? '').slice(0, maxMetricText);
  return null;
}

/**
 * A kept payload as a view shows it: Sparkplug B decoded (metric names from the births seen, with the
 * plant signals bound to each), JSON as its text, other text as text, anything else as hex.
 * `learnOnly` decodes a birth only to learn its aliases. `size` is the whole payload's size: fewer
 * kept bytes mean the payload was cut at the per-topic cap.
 */
export function describePayload(
  topic: string,
  bytes: Uint8Array,
  size: number,
  sparkplug: { group: string; node: string; device?: string } | undefined,
  boundMetrics: ReadonlyMap<string, string[]>,
  aliases: SparkplugAliases,
  learnOnly: boolean,
): TopicPayloadView {
  const complete = bytes.byteLength === size;
  if (size === 0) return { kind: 'empty' };
  if (sparkplug !== undefined && complete) {
    const decoded = decodeSparkplugPayload(bytes);
    if (decoded.ok) {
      const address = `${topic.split('/')[0]}\u0000${sparkplug.group}\u0000${sparkplug.node}\u0000${sparkplug.device ?? ''}`;
      const metrics = decoded.payload.metrics ?? [];
      if (/\/[ND]BIRTH(\/|$)/.test(topic)) {
        let known = aliases.get(address);
        if (known === undefined && aliases.size < maxAliasAddresses) aliases.set(address, (known = new Map()));
        for (const metric of metrics) {
          const alias = exactInteger(metric.alias);
          if (known !== undefined && alias !== undefined && metric.name && (known.has(alias) || known.size < maxAliasesPerAddress)) known.set(alias, metric.name);
        }
      }
      if (learnOnly) return { kind: 'empty' };
      const names = aliases.get(address);
      const shown: SparkplugMetricView[] = metrics.slice(0, maxMetricsShown).map((metric) => {
        const alias = exactInteger(metric.alias);
        const name = metric.name || (alias === undefined ? '' : (names?.get(alias) ?? ''));
        return { name, ...(alias === undefined ? {} : { alias }), value: metricValue(metric), boundSignals: boundMetrics.get(name) ?? [] };
      });
      return {
        kind: 'sparkplug',
        timestamp: hasField(decoded.payload, 'timestamp') ? (approximateNumber(decoded.payload.timestamp) ?? null) : null,
        seq: hasField(decoded.payload, 'seq') ? (exactInteger(decoded.payload.seq) ?? null) : null,
        metrics: shown,
        more: metrics.length - shown.length,
      };
    }
  }
  if (learnOnly) return { kind: 'empty' };
  const text = asText(bytes, complete);
  if (text === undefined) return { kind: 'binary', hex: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex'), truncated: !complete };
  if (complete) {
    try {
      JSON.parse(text);
      return { kind: 'json', text };
    } catch {
      // Expected for plain text: it is shown as text.
    }
  }
  return { kind: 'text', text, truncated: !complete };
}
