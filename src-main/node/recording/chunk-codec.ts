import { constants, zstdCompressSync, zstdDecompressSync } from 'node:zlib';
import { Health, type SignalRuleState } from '../../common/health.ts';
import { ByteReader, ByteWriter, unzigzag, zigzag } from './byte-stream.ts';
import type { EventColumns } from './event-buffer.ts';
import { earliestRecordedTime, isRecordedTime } from './recorded-time.ts';

/**
 * Binary layouts of a recording's chunks. Everything is little-endian and zstd-compressed, each
 * frame with its content checksum (frames written before it had none and read just as well).
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

/**
 * Events one block may hold. A block is one committed batch (a second) of one chunk, and chunks end
 * at 50,000 events: this is twenty times that, and a reader refuses a row that claims more.
 */
export const maxEventsPerBlock = 1_000_000;
// The most an event takes unpacked: an 8-byte time step varint, a 5-byte code step (two int32 codes
// apart), a kind byte and an 8-byte raw value.
const maxBytesPerEvent = 8 + 5 + 1 + 8;
// Codes are int32 when recorded.
const maxCode = 2 ** 31;
/** Signals and brokers a keyframe may describe when the reader does not say how many to expect. */
const maxKeyframeSignals = 1_000_000;
const maxKeyframeBrokers = 10_000;
// f64 base time and two counts as varints.
const keyframeHeaderBytes = 8 + 8 + 8;
// A one-byte tag, then the value, sample time, warn-since and alarm-since at up to 8 bytes each; a broker takes one byte.
const maxBytesPerKeyframeSignal = 1 + 8 * 4;
// zstd's default level writes windows of at most 2^21 bytes; 2^24 leaves room for any level up to 19.
const maxWindowLog = 24;
// Each frame ends with a checksum of its content, so zstd refuses a block with a flipped bit instead of inflating it to other numbers.
const compressOptions = { params: { [constants.ZSTD_c_checksumFlag]: 1 } };

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
  return zstdCompressSync(Buffer.concat(parts), compressOptions);
}

/**
 * What a reader knows of an event block before opening it, from its row and the recording's meta.
 * The block must agree, so a damaged or forged one is refused rather than misread.
 */
export interface EventBlockExpectation {
  /** Events the row says the block holds. */
  count: number;
  /** The block's first event is at or after this time: its chunk's start … */
  from: number;
  /** … and its last event is at this time: the row's end time. */
  end: number;
  /** Signal codes run from 0 to this, exclusive … */
  signals: number;
  /** … and broker codes from −1 down to −this. */
  brokers: number;
}

/** Each code's last decimal value (× 1000), carried from block to block within a chunk: a Map, or `ScaledByCode` where the codes are known. */
export interface PreviousScaled {
  get(code: number): number | undefined;
  set(code: number, scaled: number): unknown;
  delete(code: number): unknown;
}

/**
 * `PreviousScaled` in one typed array for the codes of a recording's signals and brokers: a seek's
 * forecasts decode tens of thousands of events, and a Map's lookups and growth were a third of it.
 * Absent and deleted both read as 0, as the encoder's Map does.
 */
export class ScaledByCode implements PreviousScaled {
  private readonly values: Float64Array;
  private readonly offset: number;

  /** For codes from −`brokers` to `signals` − 1. */
  constructor(signals: number, brokers: number) {
    this.values = new Float64Array(signals + brokers);
    this.offset = brokers;
  }

  get(code: number): number {
    return this.values[code + this.offset]!;
  }

  set(code: number, scaled: number): void {
    this.values[code + this.offset] = scaled;
  }

  delete(code: number): void {
    this.values[code + this.offset] = 0;
  }
}

/**
 * Reverses `encodeEvents` into columns (three typed arrays, not an object per event: a seek reads tens
 * of thousands of events for its forecasts, and objects for each were most of its cost);
 * `previousScaled` must start as the encoder's did for this block. Throws on a block that disagrees with `expected`.
 */
export function decodeEvents(block: Uint8Array, previousScaled: PreviousScaled, expected?: EventBlockExpectation): EventColumns {
  if (expected && !(Number.isSafeInteger(expected.count) && expected.count >= 0 && expected.count <= maxEventsPerBlock)) {
    throw new Error(`event block whose row claims ${String(expected.count)} events`);
  }
  // The unpacked size follows from the count the row claims: a block that inflates beyond it is refused as it inflates.
  const packed = decompress(block, headerBytes + (expected?.count ?? maxEventsPerBlock) * maxBytesPerEvent, 'event block');
  if (packed.length < headerBytes) throw new Error('truncated event block');
  const count = packed.readUInt32LE(0);
  let time = packed.readDoubleLE(4);
  const rawCount = packed.readUInt32LE(12);
  const stepBytes = packed.readUInt32LE(16);
  const codeBytes = packed.readUInt32LE(20);
  if (expected && count !== expected.count) throw new Error(`event block holds ${count} events where its row says ${expected.count}`);
  if (count > maxEventsPerBlock) throw new Error(`event block claims ${count} events`);
  const decimalCount = count - rawCount;
  const kindsStart = headerBytes + stepBytes + codeBytes;
  const planesStart = kindsStart + (rawCount > 0 ? count : 0);
  const rawsStart = planesStart + decimalCount * 4;
  if (rawCount > count || packed.length !== rawsStart + rawCount * 8) throw new Error('truncated event block');
  if (count > 0 && !(isRecordedTime(time) && time >= (expected?.from ?? earliestRecordedTime))) throw new Error(`event block starting at ${time}, outside its chunk`);
  const steps = new ByteReader(packed, headerBytes, headerBytes + stepBytes);
  const codes = new ByteReader(packed, headerBytes + stepBytes, kindsStart);
  // Codes index arrays of signals and brokers: one outside them is damage, never a write past their end.
  const codeEnd = expected?.signals ?? maxCode;
  const codeStart = -(expected?.brokers ?? maxCode);
  const times = new Float64Array(count);
  const codesOut = new Int32Array(count);
  const values = new Float64Array(count);
  let code = 0;
  let decimalIndex = 0;
  let rawIndex = 0;
  for (let index = 0; index < count; index++) {
    time += steps.varint();
    code += unzigzag(codes.varint());
    if (code >= codeEnd || code < codeStart) throw new Error(`event code ${code} outside the recording's signals and brokers`);
    let value: number;
    const kind = rawCount > 0 ? packed[kindsStart + index]! : 0;
    if (kind === 1) {
      if (rawIndex === rawCount) throw new Error('event block with more raw values than its header says');
      value = packed.readDoubleLE(rawsStart + rawIndex++ * 8);
      previousScaled.delete(code);
    } else {
      if (kind !== 0 || decimalIndex === decimalCount) throw new Error('event block with a damaged kind stream');
      const at = planesStart + decimalIndex++;
      const zigzagged = (packed[at]! | (packed[at + decimalCount]! << 8) | (packed[at + decimalCount * 2]! << 16) | (packed[at + decimalCount * 3]! << 24)) >>> 0;
      const scaled = (previousScaled.get(code) ?? 0) + unzigzag(zigzagged);
      previousScaled.set(code, scaled);
      value = scaled / scale;
    }
    times[index] = time;
    codesOut[index] = code;
    values[index] = value;
  }
  // Times only grow within a block, so its first and last bound every one of them.
  if (!steps.atEnd() || !codes.atEnd()) throw new Error('event block with bytes left over in its streams');
  if (count > 0 && !isRecordedTime(time)) throw new Error(`event block ending at ${time}`);
  if (expected && count > 0 && time !== expected.end) throw new Error(`event block ending at ${time} where its row says ${expected.end}`);
  return { times, codes: codesOut, values, length: count };
}

/** Events `from` to `to` (exclusive) of columns as one object each, for readers that keep or pass them on. */
export function eventObjects(events: EventColumns, from = 0, to = events.length): RecordedEvent[] {
  const objects: RecordedEvent[] = new Array(Math.max(0, to - from));
  for (let index = from; index < to; index++) objects[index - from] = { time: events.times[index]!, code: events.codes[index]!, value: events.values[index]! };
  return objects;
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
  return zstdCompressSync(writer.written(), compressOptions);
}

/** What a reader knows of a keyframe before opening it: how many signals and brokers the recording has. */
export interface KeyframeExpectation {
  signals: number;
  brokers: number;
}

/**
 * Reverses `encodeKeyframe`. Throws on a keyframe that disagrees with `expected` or holds a time no
 * recording can. With `into` (a keyframe of as many signals and brokers, no longer needed), its arrays
 * and rule-state objects are overwritten and returned, not made anew: a seek decodes a keyframe of
 * every signal, and 10,000 fresh objects per seek were half of what a seek allocated. After a throw,
 * `into` holds a mix of old and new and must not be used.
 */
export function decodeKeyframe(block: Uint8Array, expected?: KeyframeExpectation, into?: Keyframe): Keyframe {
  const signalLimit = expected?.signals ?? maxKeyframeSignals;
  const brokerLimit = expected?.brokers ?? maxKeyframeBrokers;
  if (!(Number.isSafeInteger(signalLimit) && signalLimit >= 0 && signalLimit <= maxKeyframeSignals && Number.isSafeInteger(brokerLimit) && brokerLimit >= 0 && brokerLimit <= maxKeyframeBrokers)) {
    throw new Error(`keyframe for ${signalLimit} signals and ${brokerLimit} brokers`);
  }
  const reader = new ByteReader(decompress(block, keyframeHeaderBytes + signalLimit * maxBytesPerKeyframeSignal + brokerLimit, 'keyframe'));
  const baseTime = reader.float64();
  const signalCount = reader.varint();
  const brokerCount = reader.varint();
  if (!isRecordedTime(baseTime)) throw new Error(`keyframe at ${baseTime}`);
  if (expected ? signalCount !== expected.signals || brokerCount !== expected.brokers : signalCount > signalLimit || brokerCount > brokerLimit) {
    throw new Error(`keyframe for ${signalCount} signals and ${brokerCount} brokers where the recording has ${signalLimit} and ${brokerLimit}`);
  }
  const reused = into !== undefined && into.signals.length === signalCount && into.connected.length === brokerCount;
  const signals: Array<SignalRuleState | undefined> = reused ? into.signals : new Array<SignalRuleState | undefined>(signalCount);
  for (let index = 0; index < signalCount; index++) {
    const tag = reader.varint();
    if (tag === 0) {
      signals[index] = undefined;
      continue;
    }
    const level = Math.floor(tag / 2);
    if (level !== Health.ok && level !== Health.warn && level !== Health.alarm) throw new Error(`keyframe with level ${level}`);
    const value = tag % 2 === 1 ? reader.float64() : unzigzag(reader.varint()) / scale;
    const sampleTime = baseTime - unzigzag(reader.varint());
    if (!isRecordedTime(sampleTime)) throw new Error(`keyframe with a sample at ${sampleTime}`);
    const warnSince = sinceTime(reader.varint(), sampleTime);
    const alarmSince = sinceTime(reader.varint(), sampleTime);
    const state = signals[index];
    if (state === undefined) {
      signals[index] = { value, sampleTime, level, warnSince, alarmSince };
    } else {
      state.value = value;
      state.sampleTime = sampleTime;
      state.level = level;
      state.warnSince = warnSince;
      state.alarmSince = alarmSince;
    }
  }
  const connected: boolean[] = reused ? into.connected : new Array<boolean>(brokerCount);
  for (let index = 0; index < brokerCount; index++) {
    const flag = reader.varint();
    if (flag > 1) throw new Error(`keyframe with connection flag ${flag}`);
    connected[index] = flag === 1;
  }
  if (!reader.atEnd()) throw new Error('keyframe longer than its signals');
  return { signals, connected };
}

/** A limit's crossing time as a keyframe stores it (0: none, else 1 + zigzag of how long before the sample). */
function sinceTime(stored: number, sampleTime: number): number | null {
  if (stored === 0) return null;
  const time = sampleTime - unzigzag(stored - 1);
  if (!isRecordedTime(time)) throw new Error(`keyframe with a limit crossed at ${time}`);
  return time;
}

/**
 * Inflates a block, refusing to produce more than `maxBytes`: zstd stops there, so a small block that
 * claims gigabytes (a zstd bomb) costs at most what its row allows. The window is capped as well, as
 * a forged frame header could otherwise make zstd reserve up to 128 MiB before writing a byte.
 */
function decompress(block: Uint8Array, maxBytes: number, what: string): Buffer {
  if (!(block instanceof Uint8Array)) throw new Error(`${what} is not binary`);
  try {
    return zstdDecompressSync(block, { maxOutputLength: Math.max(1, maxBytes), params: { [constants.ZSTD_d_windowLogMax]: maxWindowLog } });
  } catch (error) {
    throw new Error(`${what} cannot be decompressed: ${error instanceof Error ? error.message : String(error)}`);
  }
}
