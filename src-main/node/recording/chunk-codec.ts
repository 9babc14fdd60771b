import { zstdCompressSync, zstdDecompressSync } from 'node:zlib';
import { Health, type SignalRuleState } from '../../common/health.ts';
import { ByteReader, ByteWriter, unzigzag, zigzag } from './byte-stream.ts';
import type { EventColumns } from './event-buffer.ts';

/**
 * Binary layouts of a recording's chunks. Everything is little-endian and zstd-compressed.
 *
 * An event block holds events in time order as separate streams, so that zstd sees runs of like
 * bytes:
 *   header: u32 count | f64 first time | u32 raw count | u32 step bytes | u32 code bytes
 *   steps: varint time step (ms) from the previous event × count
 *   codes: zigzag varint step from the previous event's code × count
 *   kinds: u8 × count, present only when raw count > 0 (0 = decimal, 1 = raw)
 *   value planes: for the decimal values, zigzag(value × 1000 − that code's previous value × 1000)
 *     as four planes: every value's lowest byte, then every second byte, then the third, then the top
 *   raws: f64 × raw count
 * code ≥ 0 is a signal index; code < 0 is broker −1−code, whose value is 1 (connected) or 0.
 * A value is "decimal" when it has at most three decimals: telemetry mostly does, and the small
 * integer steps of such values compress to about two bytes, where noisy doubles take eight.
 *
 * A keyframe holds every signal's rule state and every broker's connection at the chunk's start:
 *   f64 base time (the latest sample time) | varint signals | varint brokers
 *   per signal: varint tag (0 = never heard from, else level × 2 + 1 if the value is a raw f64)
 *     | value (zigzag varint of value × 1000, or f64) | zigzag varint base time − sample time
 *     | warn-since and alarm-since, each varint 0 for none or 1 + zigzag(sample time − since)
 *   per broker: varint 1 connected, 0 not
 */

/** One recorded event: a sample, or a broker connecting or disconnecting. */
export interface RecordedEvent {
  time: number;
  /** Signal index, or −1−brokerIndex for a connection event. */
  code: number;
  value: number;
}

/** The state every replay starts from at a chunk's start. */
export interface Keyframe {
  signals: Array<SignalRuleState | undefined>;
  connected: boolean[];
}

const scale = 1000;
// Bounded so that a step between two scaled values, zigzagged, fits in four bytes.
const maxScaled = 2 ** 29;
const headerBytes = 24;

/** The value × 1000 when that is exact and small enough, else undefined. */
export function scaledOrUndefined(value: number): number | undefined {
  const scaled = Math.round(value * scale);
  if (!(Math.abs(scaled) <= maxScaled)) return undefined;
  return scaled / scale === value ? scaled : undefined;
}

/**
 * Packs and compresses events `from` to `to` (exclusive) of `events`, already in time order.
 * `previousScaled` carries each code's last decimal value from block to block within a chunk.
 */
export function encodeEvents(events: EventColumns, previousScaled: Map<number, number>, from = 0, to = events.length): Buffer {
  const count = to - from;
  const steps = new ByteWriter(count + 16);
  const codes = new ByteWriter(count + 16);
  const kinds = new Uint8Array(count);
  const zigzags = new Uint32Array(count);
  const raws: number[] = [];
  let decimalCount = 0;
  let previousTime = count > 0 ? events.times[from]! : 0;
  let previousCode = 0;
  for (let index = from; index < to; index++) {
    const time = events.times[index]!;
    steps.varint(Math.max(0, time - previousTime));
    previousTime = time;
    const code = events.codes[index]!;
    codes.varint(zigzag(code - previousCode));
    previousCode = code;
    const value = events.values[index]!;
    const scaled = scaledOrUndefined(value);
    if (scaled === undefined) {
      kinds[index - from] = 1;
      raws.push(value);
      previousScaled.delete(code);
    } else {
      zigzags[decimalCount++] = zigzag(scaled - (previousScaled.get(code) ?? 0));
      previousScaled.set(code, scaled);
    }
  }
  const header = Buffer.alloc(headerBytes);
  header.writeUInt32LE(count, 0);
  header.writeDoubleLE(count > 0 ? events.times[from]! : 0, 4);
  header.writeUInt32LE(raws.length, 12);
  header.writeUInt32LE(steps.length, 16);
  header.writeUInt32LE(codes.length, 20);
  const planes = new Uint8Array(decimalCount * 4);
  for (let index = 0; index < decimalCount; index++) {
    const value = zigzags[index]!;
    planes[index] = value & 0xff;
    planes[decimalCount + index] = (value >>> 8) & 0xff;
    planes[decimalCount * 2 + index] = (value >>> 16) & 0xff;
    planes[decimalCount * 3 + index] = value >>> 24;
  }
  const parts: Uint8Array[] = [header, steps.written(), codes.written()];
  if (raws.length > 0) parts.push(kinds);
  parts.push(planes, new Uint8Array(new Float64Array(raws).buffer));
  return zstdCompressSync(Buffer.concat(parts));
}

/** Reverses `encodeEvents`; `previousScaled` must start as the encoder's did for this block. */
export function decodeEvents(block: Uint8Array, previousScaled: Map<number, number>): RecordedEvent[] {
  const packed = zstdDecompressSync(block);
  if (packed.length < headerBytes) throw new Error('truncated event block');
  const count = packed.readUInt32LE(0);
  let time = packed.readDoubleLE(4);
  const rawCount = packed.readUInt32LE(12);
  const stepBytes = packed.readUInt32LE(16);
  const codeBytes = packed.readUInt32LE(20);
  const decimalCount = count - rawCount;
  const kindsStart = headerBytes + stepBytes + codeBytes;
  const planesStart = kindsStart + (rawCount > 0 ? count : 0);
  const rawsStart = planesStart + decimalCount * 4;
  if (rawCount > count || packed.length !== rawsStart + rawCount * 8) throw new Error('truncated event block');
  const steps = new ByteReader(packed, headerBytes, headerBytes + stepBytes);
  const codes = new ByteReader(packed, headerBytes + stepBytes, kindsStart);
  const events: RecordedEvent[] = new Array(count);
  let code = 0;
  let decimalIndex = 0;
  let rawIndex = 0;
  for (let index = 0; index < count; index++) {
    time += steps.varint();
    code += unzigzag(codes.varint());
    let value: number;
    if (rawCount > 0 && packed[kindsStart + index] === 1) {
      value = packed.readDoubleLE(rawsStart + rawIndex++ * 8);
      previousScaled.delete(code);
    } else {
      const at = planesStart + decimalIndex++;
      const zigzagged = (packed[at]! | (packed[at + decimalCount]! << 8) | (packed[at + decimalCount * 2]! << 16) | (packed[at + decimalCount * 3]! << 24)) >>> 0;
      const scaled = (previousScaled.get(code) ?? 0) + unzigzag(zigzagged);
      previousScaled.set(code, scaled);
      value = scaled / scale;
    }
    events[index] = { time, code, value };
  }
  return events;
}

/** Packs and compresses a keyframe. */
export function encodeKeyframe(keyframe: Keyframe): Buffer {
  const writer = new ByteWriter(64 + keyframe.signals.length * 12);
  let baseTime = 0;
  for (const state of keyframe.signals) if (state && state.sampleTime > baseTime) baseTime = state.sampleTime;
  writer.float64(baseTime);
  writer.varint(keyframe.signals.length);
  writer.varint(keyframe.connected.length);
  const since = (time: number | null, sampleTime: number) => writer.varint(time === null ? 0 : 1 + zigzag(sampleTime - time));
  for (const state of keyframe.signals) {
    if (!state) {
      writer.varint(0);
      continue;
    }
    const scaled = scaledOrUndefined(state.value);
    writer.varint(state.level * 2 + (scaled === undefined ? 1 : 0));
    if (scaled === undefined) writer.float64(state.value);
    else writer.varint(zigzag(scaled));
    writer.varint(zigzag(baseTime - state.sampleTime));
    since(state.warnSince, state.sampleTime);
    since(state.alarmSince, state.sampleTime);
  }
  for (const connected of keyframe.connected) writer.varint(connected ? 1 : 0);
  return zstdCompressSync(writer.written());
}

/** Reverses `encodeKeyframe`. */
export function decodeKeyframe(block: Uint8Array): Keyframe {
  const reader = new ByteReader(zstdDecompressSync(block));
  const baseTime = reader.float64();
  const signalCount = reader.varint();
  const brokerCount = reader.varint();
  const signals: Array<SignalRuleState | undefined> = [];
  for (let index = 0; index < signalCount; index++) {
    const tag = reader.varint();
    if (tag === 0) {
      signals.push(undefined);
      continue;
    }
    const level = Math.floor(tag / 2);
    if (level !== Health.ok && level !== Health.warn && level !== Health.alarm) throw new Error(`keyframe with level ${level}`);
    const value = tag % 2 === 1 ? reader.float64() : unzigzag(reader.varint()) / scale;
    const sampleTime = baseTime - unzigzag(reader.varint());
    const since = () => {
      const stored = reader.varint();
      return stored === 0 ? null : sampleTime - unzigzag(stored - 1);
    };
    const warnSince = since();
    const alarmSince = since();
    signals.push({ value, sampleTime, level, warnSince, alarmSince });
  }
  const connected: boolean[] = [];
  for (let index = 0; index < brokerCount; index++) connected.push(reader.varint() === 1);
  if (!reader.atEnd()) throw new Error('keyframe longer than its signals');
  return { signals, connected };
}
