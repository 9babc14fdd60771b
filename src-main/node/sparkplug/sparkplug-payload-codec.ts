import { get } from 'sparkplug-payload';
// Tahu's generated protobuf code: read directly so that data metrics without a datatype (as
// Sparkplug 3.0 recommends) keep their value, and datasets and templates are never expanded.
import tahuProtobuf from 'sparkplug-payload/lib/sparkplugPayloadProto.js';

const tahuPayload = tahuProtobuf.org.eclipse.tahu.protobuf.Payload;
/** Eclipse Tahu's Sparkplug B encoder for the `spBv1.0` namespace. */
const tahu = get('spBv1.0')!;

/** A decoded Sparkplug B payload: protobuf fields as they came (64-bit numbers as `Long`). */
export type SparkplugPayload = tahuProtobuf.org.eclipse.tahu.protobuf.IPayload;
/** One decoded metric of a payload. */
export type SparkplugMetric = tahuProtobuf.org.eclipse.tahu.protobuf.Payload.IMetric;
/** One decoded property value of a metric. */
export type SparkplugPropertyValue = tahuProtobuf.org.eclipse.tahu.protobuf.Payload.IPropertyValue;
/** A metric as handed to the encoder: a name or alias, a Tahu type name ("Double", "Boolean" …) and a value. */
export type SparkplugMetricInput = NonNullable<Parameters<typeof tahu.encodePayload>[0]['metrics']>[number];

/** A payload, or why it could not be decoded. */
export type DecodeOutcome = { ok: true; payload: SparkplugPayload } | { ok: false; detail: string };

/** Sparkplug B datatype codes (the protobuf enum). */
export const SparkplugDataType = {
  Int8: 1,
  Int16: 2,
  Int32: 3,
  Int64: 4,
  UInt8: 5,
  UInt16: 6,
  UInt32: 7,
  UInt64: 8,
  Float: 9,
  Double: 10,
  Boolean: 11,
  String: 12,
  DateTime: 13,
  Text: 14,
} as const;

/**
 * Decodes a Sparkplug B protobuf payload. protobufjs throws on anything that is not one; every such
 * throw is an answer here, never an escape. The caller bounds the payload's size, which bounds the
 * work and memory of decoding.
 */
export function decodeSparkplugPayload(bytes: Uint8Array): DecodeOutcome {
  try {
    return { ok: true, payload: tahuPayload.decode(bytes) };
  } catch (error) {
    // Expected for garbage: protobufjs reports truncated or mistyped fields by throwing.
    return { ok: false, detail: `not a Sparkplug B payload: ${(error instanceof Error ? error.message : String(error)).slice(0, 200)}` };
  }
}

/** Encodes a Sparkplug B payload with Tahu's encoder. */
export function encodeSparkplugPayload(payload: { timestamp?: number; seq?: number; metrics: SparkplugMetricInput[] }): Buffer {
  const bytes = tahu.encodePayload(payload);
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** Whether a decoded message carries a field (protobufjs keeps absent fields' defaults on the prototype). */
export function hasField(message: object | null | undefined, field: string): boolean {
  return message !== null && message !== undefined && Object.hasOwn(message, field);
}

/**
 * A protobuf integer (a number, or a `Long` for 64-bit fields) as a JavaScript number when it is
 * one exactly; undefined for anything else.
 */
export function exactInteger(value: unknown): number | undefined {
  const number = approximateNumber(value);
  return number !== undefined && Number.isSafeInteger(number) ? number : undefined;
}

/** A protobuf number (a number or a `Long`) as a JavaScript number, rounded for 64-bit values beyond 2^53; `signed` reads a uint64 field as int64. */
export function approximateNumber(value: unknown, signed = false): number | undefined {
  if (typeof value === 'number') return value;
  if (value !== null && typeof value === 'object' && 'toNumber' in value && typeof value.toNumber === 'function') {
    const long = (signed && 'toSigned' in value && typeof value.toSigned === 'function' ? value.toSigned() : value) as { toNumber(): unknown };
    const number = long.toNumber();
    return typeof number === 'number' ? number : undefined;
  }
  return undefined;
}
