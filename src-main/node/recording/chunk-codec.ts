import { zstdCompressSync, zstdDecompressSync } from 'node:zlib';
import type { SignalRuleState } from '../../common/health.ts';

/**
 * Binary layouts of a recording's chunks. Everything is little-endian and zstd-compressed.
 *
 * A delta block holds events in time order as columns, so that zstd sees runs of like data:
 *   u32 count | f64 first time | u32 time step (ms) × count | i32 code × count | u8 kind × count
 *   | i32 scaled-value step × (decimal count) | f64 raw value × (raw count)
 * code ≥ 0 is a signal index; code < 0 is broker −1−code, whose value is 1 (connected) or 0.
 * kind 0: the value has at most three decimals and is stored as the step from that signal's previous
 * value × 1000 (small integers compress far better than noisy doubles); kind 1: a raw double.
 *
 * A keyframe holds every signal's rule state and every broker's connection at the chunk's start:
 *   u32 signals | u32 brokers | per signal f64 × 5 (value, sampleTime, level, warnSince, alarmSince;
 *   NaN sampleTime = no sample yet, NaN since = null) | u8 × brokers (connected)
 */
export const deltaKinds = { decimal: 0, raw: 1 } as const;

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
const maxScaled = 2 ** 31 - 1;

/** Whether a value survives being stored as thousandths. */
function scaledOrUndefined(value: number): number | undefined {
  const scaled = Math.round(value * scale);
  if (Math.abs(scaled) > maxScaled / 2) return undefined;
  return scaled / scale === value ? scaled : undefined;
}

/** Packs and compresses a block of events (already in time order). */
export function encodeEvents(events: readonly RecordedEvent[], previousScaled: Map<number, number>): Buffer {
  const count = events.length;
  const kinds = new Uint8Array(count);
  const steps = new Uint32Array(count);
  const codes = new Int32Array(count);
  const decimals: number[] = [];
  const raws: number[] = [];
  let previousTime = count > 0 ? events[0]!.time : 0;
  for (let index = 0; index < count; index++) {
    const event = events[index]!;
    steps[index] = Math.max(0, event.time - previousTime);
    previousTime = event.time;
    codes[index] = event.code;
    const scaled = scaledOrUndefined(event.value);
    if (scaled === undefined) {
      kinds[index] = deltaKinds.raw;
      raws.push(event.value);
      previousScaled.delete(event.code);
    } else {
      kinds[index] = deltaKinds.decimal;
      decimals.push(scaled - (previousScaled.get(event.code) ?? 0));
      previousScaled.set(event.code, scaled);
    }
  }
  const header = Buffer.alloc(12);
  header.writeUInt32LE(count, 0);
  header.writeDoubleLE(count > 0 ? events[0]!.time : 0, 4);
  const packed = Buffer.concat([
    header,
    Buffer.from(steps.buffer),
    Buffer.from(codes.buffer),
    Buffer.from(kinds.buffer),
    Buffer.from(new Int32Array(decimals).buffer),
    Buffer.from(new Float64Array(raws).buffer),
  ]);
  return zstdCompressSync(packed);
}

/** Reverses `encodeEvents`; `previousScaled` must start as the encoder's did for this block. */
export function decodeEvents(block: Uint8Array, previousScaled: Map<number, number>): RecordedEvent[] {
  const packed = zstdDecompressSync(block);
  const count = packed.readUInt32LE(0);
  let time = packed.readDoubleLE(4);
  let offset = 12;
  const take = (bytes: number) => {
    const slice = packed.subarray(offset, offset + bytes);
    if (slice.length !== bytes) throw new Error('truncated event block');
    offset += bytes;
    return new Uint8Array(slice).buffer;
  };
  const steps = new Uint32Array(take(count * 4));
  const codes = new Int32Array(take(count * 4));
  const kinds = new Uint8Array(take(count));
  const decimalCount = kinds.reduce((sum, kind) => sum + (kind === deltaKinds.decimal ? 1 : 0), 0);
  const decimals = new Int32Array(take(decimalCount * 4));
  const raws = new Float64Array(take((count - decimalCount) * 8));
  const events: RecordedEvent[] = new Array(count);
  let decimalIndex = 0;
  let rawIndex = 0;
  for (let index = 0; index < count; index++) {
    time += steps[index]!;
    const code = codes[index]!;
    let value: number;
    if (kinds[index] === deltaKinds.decimal) {
      const scaled = (previousScaled.get(code) ?? 0) + decimals[decimalIndex++]!;
      previousScaled.set(code, scaled);
      value = scaled / scale;
    } else {
      value = raws[rawIndex++]!;
      previousScaled.delete(code);
    }
    events[index] = { time, code, value };
  }
  return events;
}

const fieldsPerSignal = 5;

/** Packs and compresses a keyframe. */
export function encodeKeyframe(keyframe: Keyframe): Buffer {
  const signalCount = keyframe.signals.length;
  const header = Buffer.alloc(8);
  header.writeUInt32LE(signalCount, 0);
  header.writeUInt32LE(keyframe.connected.length, 4);
  const fields = new Float64Array(signalCount * fieldsPerSignal);
  keyframe.signals.forEach((state, index) => {
    const base = index * fieldsPerSignal;
    fields[base] = state?.value ?? 0;
    fields[base + 1] = state ? state.sampleTime : Number.NaN;
    fields[base + 2] = state?.level ?? 0;
    fields[base + 3] = state?.warnSince ?? Number.NaN;
    fields[base + 4] = state?.alarmSince ?? Number.NaN;
  });
  const connected = Uint8Array.from(keyframe.connected, (flag) => (flag ? 1 : 0));
  return zstdCompressSync(Buffer.concat([header, Buffer.from(fields.buffer), Buffer.from(connected.buffer)]));
}

/** Reverses `encodeKeyframe`. */
export function decodeKeyframe(block: Uint8Array): Keyframe {
  const packed = zstdDecompressSync(block);
  const signalCount = packed.readUInt32LE(0);
  const brokerCount = packed.readUInt32LE(4);
  const expected = 8 + signalCount * fieldsPerSignal * 8 + brokerCount;
  if (packed.length !== expected) throw new Error(`keyframe of ${packed.length} bytes, expected ${expected}`);
  const fields = new Float64Array(new Uint8Array(packed.subarray(8, 8 + signalCount * fieldsPerSignal * 8)).buffer);
  const signals: Array<SignalRuleState | undefined> = [];
  for (let index = 0; index < signalCount; index++) {
    const base = index * fieldsPerSignal;
    const sampleTime = fields[base + 1]!;
    if (Number.isNaN(sampleTime)) {
      signals.push(undefined);
      continue;
    }
    const since = (value: number) => (Number.isNaN(value) ? null : value);
    signals.push({ value: fields[base]!, sampleTime, level: fields[base + 2] as SignalRuleState['level'], warnSince: since(fields[base + 3]!), alarmSince: since(fields[base + 4]!) });
  }
  const connected = [...packed.subarray(8 + signalCount * fieldsPerSignal * 8)].map((flag) => flag === 1);
  return { signals, connected };
}
