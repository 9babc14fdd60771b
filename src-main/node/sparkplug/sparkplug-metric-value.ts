import type { ProblemKind } from '../../common/contract.ts';
import { stateCode, type SampleReader } from '../../common/decode-sample.ts';
import { badQualityValue } from '../../common/health.ts';
import { approximateNumber, hasField, SparkplugDataType, type SparkplugMetric } from './sparkplug-payload-codec.ts';

/** How one signal turns its metric's value into its number: text through its `states`, numbers × scale + offset — the same reader JSON payloads use. */
export type MetricReader = Pick<SampleReader, 'states' | 'statesIgnoringCase' | 'scale' | 'offset'>;

/** A metric's sample (NaN when it is null or of bad quality) with its own timestamp, or why it has none. */
export type MetricSample = { ok: true; value: number; sourceTime: number | undefined } | { ok: false; kind: ProblemKind; detail: string };

/** The Quality property's value for good data (Ignition's and Tahu's convention: 0 bad, 192 good, 500 stale). */
export const goodQuality = 192;

/**
 * Reads a metric's value for one signal. `datatype` is the metric's own, or its birth's when a data
 * message leaves it out (as Sparkplug 3.0 recommends). Numbers and booleans are read as they are,
 * text through the signal's states; null values and any Quality other than good are bad quality
 * (NaN). Datasets, templates, bytes and non-finite numbers are refused as the wrong type.
 */
export function readMetricSample(metric: SparkplugMetric, datatype: number | undefined, payloadTime: number | undefined, reader: MetricReader): MetricSample {
  const ownTime = hasField(metric, 'timestamp') ? approximateNumber(metric.timestamp) : undefined;
  const sourceTime = ownTime ?? payloadTime;
  if (metric.isNull === true || !isGoodQuality(metric)) return { ok: true, value: badQualityValue, sourceTime };
  const raw = rawValue(metric, datatype);
  if (!raw.ok) return raw;
  if (typeof raw.value === 'string') {
    if (reader.states === undefined) return { ok: false, kind: 'wrongType', detail: `expected a number, got text ${quote(raw.value)} and the signal has no states` };
    const code = stateCode(reader, raw.value);
    if (code === undefined) return { ok: false, kind: 'unknownState', detail: `${quote(raw.value)} is not one of the signal's states` };
    // A state's code is a name, not a measurement: scale and offset are for numbers, as in JSON payloads.
    return { ok: true, value: code, sourceTime };
  }
  const value = raw.value * reader.scale + reader.offset;
  if (!Number.isFinite(value)) return { ok: false, kind: 'wrongType', detail: `expected a finite number, got ${raw.value}` };
  return { ok: true, value, sourceTime };
}

type RawValue = { ok: true; value: number | string } | { ok: false; kind: ProblemKind; detail: string };

function rawValue(metric: SparkplugMetric, datatype: number | undefined): RawValue {
  const missing = (field: string): RawValue => ({ ok: false, kind: 'missingField', detail: `no ${field} in a metric of datatype ${datatype}` });
  switch (datatype) {
    case SparkplugDataType.Int8:
    case SparkplugDataType.Int16:
    case SparkplugDataType.Int32:
    case SparkplugDataType.UInt8:
    case SparkplugDataType.UInt16:
    case SparkplugDataType.UInt32: {
      // UInt32 may arrive in either field: Tahu writes it as a long, other encoders as an int.
      if (datatype === SparkplugDataType.UInt32 && hasField(metric, 'longValue')) return { ok: true, value: approximateNumber(metric.longValue) ?? Number.NaN };
      if (!hasField(metric, 'intValue')) return missing('int_value');
      return { ok: true, value: signedInteger(metric.intValue ?? 0, datatype) };
    }
    case SparkplugDataType.Int64:
    case SparkplugDataType.UInt64:
    case SparkplugDataType.DateTime:
      if (!hasField(metric, 'longValue')) return missing('long_value');
      return { ok: true, value: approximateNumber(metric.longValue, datatype === SparkplugDataType.Int64) ?? Number.NaN };
    case SparkplugDataType.Float:
      return hasField(metric, 'floatValue') ? { ok: true, value: metric.floatValue ?? Number.NaN } : missing('float_value');
    case SparkplugDataType.Double:
      return hasField(metric, 'doubleValue') ? { ok: true, value: metric.doubleValue ?? Number.NaN } : missing('double_value');
    case SparkplugDataType.Boolean:
      return hasField(metric, 'booleanValue') ? { ok: true, value: metric.booleanValue ? 1 : 0 } : missing('boolean_value');
    case SparkplugDataType.String:
    case SparkplugDataType.Text:
      return hasField(metric, 'stringValue') ? { ok: true, value: metric.stringValue ?? '' } : missing('string_value');
    case undefined:
      return { ok: false, kind: 'missingField', detail: 'no datatype in the metric nor in its birth' };
    default:
      // UUID, DataSet, Bytes, File, Template, property sets: nothing a signal's number can come from.
      return { ok: false, kind: 'wrongType', detail: `datatype ${datatype} is not read (numbers, booleans and text only)` };
  }
}

/** Int8/16/32 arrive in a uint32 field, sign-extended to 32 bits or (some encoders) as their own width's two's complement. */
function signedInteger(value: number, datatype: number): number {
  if (datatype === SparkplugDataType.UInt8 || datatype === SparkplugDataType.UInt16 || datatype === SparkplugDataType.UInt32) return value >>> 0;
  const int32 = value | 0;
  if (datatype === SparkplugDataType.Int8 && (int32 < -128 || int32 > 127)) return (int32 << 24) >> 24;
  if (datatype === SparkplugDataType.Int16 && (int32 < -32768 || int32 > 32767)) return (int32 << 16) >> 16;
  return int32;
}

/** Whether the metric's Quality property, if it has one, says its value is good. */
function isGoodQuality(metric: SparkplugMetric): boolean {
  const properties = metric.properties;
  if (!properties?.keys || !properties.values) return true;
  const position = properties.keys.indexOf('Quality');
  if (position < 0) return true;
  const property = properties.values[position];
  if (!property || property.isNull === true) return false;
  const quality = hasField(property, 'intValue') ? (property.intValue ?? 0) | 0 : hasField(property, 'longValue') ? approximateNumber(property.longValue) : undefined;
  return quality === goodQuality;
}

function quote(text: string): string {
  return JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}…` : text);
}
