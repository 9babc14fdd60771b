import type { ChartSeries, TimelineOverview } from '../../../src-main/common/contract.ts';
import { Health } from '../../../src-main/common/health.ts';
import type { Limits } from '../../../src-main/common/plant-schema.ts';
import type { LiveSamples } from './live-samples.ts';

/** What a chart draws: x in seconds (uPlot's time unit), and per x the lowest and highest value (equal for a live sample). */
export type ChartColumns = [Float64Array, Float64Array, Float64Array];

/**
 * The columns of a chart: the recorded buckets (each drawn at its middle), then the live samples
 * after the last recorded bucket, so a live window starts full and grows on with each frame.
 */
export function chartColumns(recorded: ChartSeries | undefined, live: LiveSamples | undefined, from: number): ChartColumns {
  const recordedCount = recorded?.time.length ?? 0;
  const recordedEnd = recordedCount > 0 ? recorded!.time[recordedCount - 1]! + recorded!.bucketMs : -Infinity;
  let liveCount = 0;
  live?.forEachSince(from, (time) => {
    if (time >= recordedEnd) liveCount++;
  });
  const x = new Float64Array(recordedCount + liveCount);
  const low = new Float64Array(x.length);
  const high = new Float64Array(x.length);
  for (let index = 0; index < recordedCount; index++) {
    x[index] = (recorded!.time[index]! + recorded!.bucketMs / 2) / 1000;
    low[index] = recorded!.min[index]!;
    high[index] = recorded!.max[index]!;
  }
  let position = recordedCount;
  live?.forEachSince(from, (time, value) => {
    if (time < recordedEnd) return;
    x[position] = time / 1000;
    low[position] = value;
    high[position] = value;
    position++;
  });
  return [x, low, high];
}

/** The value range a chart's y axis spans: its data and every limit the signal has, so each limit line is drawn. */
export function valueRange(columns: ChartColumns, limits: Limits | undefined): [number, number] {
  let low = Infinity;
  let high = -Infinity;
  for (let index = 0; index < columns[0].length; index++) {
    if (columns[1][index]! < low) low = columns[1][index]!;
    if (columns[2][index]! > high) high = columns[2][index]!;
  }
  for (const limit of limitValues(limits)) {
    low = Math.min(low, limit);
    high = Math.max(high, limit);
  }
  if (!Number.isFinite(low) || !Number.isFinite(high)) return [0, 1];
  const margin = Math.max((high - low) * 0.08, Math.abs(high) * 1e-6, 1e-6);
  return [low - margin, high + margin];
}

/** A signal's limits as numbers, those it has. */
export function limitValues(limits: Limits | undefined): number[] {
  if (!limits) return [];
  return [limits.lowAlarm, limits.lowWarn, limits.highWarn, limits.highAlarm].filter((limit): limit is number => limit !== undefined);
}

/** The stretches a machine was in alarm, from a timeline overview of its health: consecutive alarm buckets make one. */
export function alarmPeriods(overview: TimelineOverview | undefined): Array<{ start: number; end: number }> {
  const health = overview?.machineHealth;
  if (!overview || !health) return [];
  const periods: Array<{ start: number; end: number }> = [];
  for (let index = 0; index < health.length; index++) {
    if (health[index] !== Health.alarm) continue;
    const start = overview.range.start + index * overview.bucketMs;
    const last = periods[periods.length - 1];
    if (last && last.end === start) last.end = start + overview.bucketMs;
    else periods.push({ start, end: start + overview.bucketMs });
  }
  return periods;
}
