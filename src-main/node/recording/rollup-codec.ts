import { ByteReader, ByteWriter, unzigzag, zigzag } from './byte-stream.ts';
import { scaledOrUndefined } from './chunk-codec.ts';

/** first/last/min/max/count of one signal over one bucket of time. */
export interface RollupPoint {
  /** Start of the bucket (ms since the epoch). */
  time: number;
  first: number;
  last: number;
  min: number;
  max: number;
  count: number;
}

/** Ten-second slots in a minute row. */
export const slotsPerMinute = 6;
/**
 * The most bytes a minute row takes: mask and raw flag, then per slot a count (a u32 varint, 5
 * bytes) and four values of up to 8 bytes each. A longer row is damage, refused before it is read.
 */
export const maxMinuteRollupBytes = 2 + slotsPerMinute * (5 + 4 * 8);
/** Width of a slot. */
export const slotMs = 10_000;

/** The aggregate of two consecutive stretches, `earlier` before `later`. */
export function combineRollups(earlier: RollupPoint, later: Omit<RollupPoint, 'time'>): RollupPoint {
  return {
    time: earlier.time,
    first: earlier.first,
    last: later.last,
    min: Math.min(earlier.min, later.min),
    max: Math.max(earlier.max, later.max),
    count: earlier.count + later.count,
  };
}

/**
 * One signal's minute as a small blob: its six 10 s slots, without a row and key per slot.
 *   u8 mask of the slots that have samples | u8 1 if the values are raw f64, else 0
 *   per slot with samples: varint count, then first, last, min, max — as f64, or as zigzag varint
 *   steps of value × 1000 from the previous value in the blob (from 0 for the first)
 * `values` holds first/last/min/max for each slot, `counts` the samples per slot.
 */
export function encodeMinuteRollup(values: Float64Array, counts: Uint32Array, offset: number): Uint8Array {
  let mask = 0;
  let allDecimal = true;
  for (let slot = 0; slot < slotsPerMinute; slot++) {
    if (counts[offset + slot] === 0) continue;
    mask |= 1 << slot;
    for (let field = 0; field < 4; field++) if (scaledOrUndefined(values[(offset + slot) * 4 + field]!) === undefined) allDecimal = false;
  }
  const writer = new ByteWriter(64);
  writer.varint(mask);
  writer.varint(allDecimal ? 0 : 1);
  let previous = 0;
  for (let slot = 0; slot < slotsPerMinute; slot++) {
    if (counts[offset + slot] === 0) continue;
    writer.varint(counts[offset + slot]!);
    for (let field = 0; field < 4; field++) {
      const value = values[(offset + slot) * 4 + field]!;
      if (!allDecimal) {
        writer.float64(value);
        continue;
      }
      const scaled = scaledOrUndefined(value)!;
      writer.varint(zigzag(scaled - previous));
      previous = scaled;
    }
  }
  return writer.written().slice();
}

/** Reverses `encodeMinuteRollup`: the minute's slots that have samples, in time order. Throws on a blob no writer made. */
export function decodeMinuteRollup(blob: Uint8Array, minuteStart: number): RollupPoint[] {
  if (!(blob instanceof Uint8Array) || blob.length > maxMinuteRollupBytes) throw new Error('minute rollup that is not a blob of its size');
  const reader = new ByteReader(blob);
  const mask = reader.varint();
  const rawFlag = reader.varint();
  if (mask === 0 || mask >= 1 << slotsPerMinute || rawFlag > 1) throw new Error(`minute rollup with slot mask ${mask} and raw flag ${rawFlag}`);
  const raw = rawFlag === 1;
  const points: RollupPoint[] = [];
  let previous = 0;
  const next = () => {
    if (raw) return reader.float64();
    previous += unzigzag(reader.varint());
    return previous / 1000;
  };
  for (let slot = 0; slot < slotsPerMinute; slot++) {
    if ((mask & (1 << slot)) === 0) continue;
    const count = reader.varint();
    if (count === 0 || count > 0xffff_ffff) throw new Error(`minute rollup slot with ${count} samples`);
    const first = next();
    const last = next();
    const min = next();
    const max = next();
    points.push({ time: minuteStart + slot * slotMs, first, last, min, max, count });
  }
  if (!reader.atEnd()) throw new Error('minute rollup longer than its slots');
  return points;
}
