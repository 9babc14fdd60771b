import { encodeMinuteRollup, slotMs, slotsPerMinute } from './rollup-codec.ts';

/** A finished minute of one signal, ready to store. */
export interface MinuteRow {
  signal: number;
  minute: number;
  buckets: Uint8Array;
}

/** A finished hour of one signal, ready to store. */
export interface HourRow {
  signal: number;
  hour: number;
  first: number;
  last: number;
  min: number;
  max: number;
  count: number;
}

const minuteMs = 60_000;
const hourMs = 3_600_000;

/**
 * Aggregates every signal's samples into 10 s slots of the current minute and into the current hour,
 * in typed arrays: adding a sample allocates nothing. Samples must come in time order.
 */
export class RollupAccumulator {
  private readonly minuteOf: Float64Array;
  // first, last, min, max per signal and slot.
  private readonly slotValues: Float64Array;
  private readonly slotCounts: Uint32Array;
  private readonly hourOf: Float64Array;
  private readonly hourValues: Float64Array;
  private readonly hourCounts: Uint32Array;

  constructor(signalCount: number) {
    this.minuteOf = new Float64Array(signalCount).fill(Number.NaN);
    this.slotValues = new Float64Array(signalCount * slotsPerMinute * 4);
    this.slotCounts = new Uint32Array(signalCount * slotsPerMinute);
    this.hourOf = new Float64Array(signalCount).fill(Number.NaN);
    this.hourValues = new Float64Array(signalCount * 4);
    this.hourCounts = new Uint32Array(signalCount);
  }

  add(signal: number, value: number, time: number): void {
    // Bad quality (NaN) and a lost source (Infinity) are no measurements: a chart's band and line leave them out.
    if (!Number.isFinite(value)) return;
    const minute = Math.floor(time / minuteMs);
    if (this.minuteOf[signal] !== minute) {
      this.slotCounts.fill(0, signal * slotsPerMinute, (signal + 1) * slotsPerMinute);
      this.minuteOf[signal] = minute;
    }
    const slot = signal * slotsPerMinute + Math.floor((time - minute * minuteMs) / slotMs);
    accumulate(this.slotValues, this.slotCounts, slot, value);
    const hour = Math.floor(time / hourMs);
    if (this.hourOf[signal] !== hour) {
      this.hourCounts[signal] = 0;
      this.hourOf[signal] = hour;
    }
    accumulate(this.hourValues, this.hourCounts, signal, value);
  }

  /** Takes every signal's minute that started before `beforeMinute` (a minute number) and has samples. */
  takeMinutes(beforeMinute: number): MinuteRow[] {
    const rows: MinuteRow[] = [];
    for (let signal = 0; signal < this.minuteOf.length; signal++) {
      const minute = this.minuteOf[signal]!;
      if (!(minute < beforeMinute)) continue;
      const offset = signal * slotsPerMinute;
      let samples = 0;
      for (let slot = 0; slot < slotsPerMinute; slot++) samples += this.slotCounts[offset + slot]!;
      if (samples > 0) rows.push({ signal, minute, buckets: encodeMinuteRollup(this.slotValues, this.slotCounts, offset) });
      this.slotCounts.fill(0, offset, offset + slotsPerMinute);
    }
    return rows;
  }

  /** Takes every signal's hour that started before `beforeHour` (an hour number) and has samples. */
  takeHours(beforeHour: number): HourRow[] {
    const rows: HourRow[] = [];
    for (let signal = 0; signal < this.hourOf.length; signal++) {
      const hour = this.hourOf[signal]!;
      if (!(hour < beforeHour) || this.hourCounts[signal] === 0) continue;
      const values = this.hourValues;
      rows.push({ signal, hour, first: values[signal * 4]!, last: values[signal * 4 + 1]!, min: values[signal * 4 + 2]!, max: values[signal * 4 + 3]!, count: this.hourCounts[signal]! });
      this.hourCounts[signal] = 0;
    }
    return rows;
  }
}

/** Adds a value to the aggregate at `index` (first, last, min, max at 4×index). */
function accumulate(values: Float64Array, counts: Uint32Array, index: number, value: number): void {
  const base = index * 4;
  if (counts[index] === 0) {
    values[base] = value;
    values[base + 2] = value;
    values[base + 3] = value;
  } else {
    if (value < values[base + 2]!) values[base + 2] = value;
    if (value > values[base + 3]!) values[base + 3] = value;
  }
  values[base + 1] = value;
  counts[index] = counts[index]! + 1;
}
