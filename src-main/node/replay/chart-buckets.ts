import type { ChartSeries } from '../../common/contract.ts';
import type { RollupPoint } from '../recording/rollup-codec.ts';
import { rollupResolutions } from '../recording/recording-schema.ts';

/** What a chart reads: a signal's rollups at one of `rollupResolutions` (a recording sequence or reader). */
export interface RollupSource {
  seriesAt(signal: number, from: number, to: number, resolution: number): RollupPoint[];
}

/**
 * Most rollup points read for one signal of one chart: the rollup resolution is coarsened until the
 * range fits, so a month costs what a few days do and no request reads without bound.
 */
export const maxRollupPointsPerSignal = 20_000;

/**
 * The rollup resolution a chart of `buckets` buckets over `from`–`to` reads: the coarsest one no wider
 * than a bucket (so every bucket is made of whole rollups and keeps every spike), but never so fine
 * that more than `maxRollupPointsPerSignal` are read.
 */
export function chartReadResolution(from: number, to: number, buckets: number): number {
  const span = Math.max(1, to - from);
  const bucketMs = span / buckets;
  let chosen: number = rollupResolutions[0];
  for (const resolution of rollupResolutions) if (resolution <= bucketMs) chosen = resolution;
  // Too many rollups at that resolution: the next coarser one that fits.
  while (span / chosen > maxRollupPointsPerSignal && chosen !== rollupResolutions[rollupResolutions.length - 1]) {
    chosen = rollupResolutions[rollupResolutions.indexOf(chosen as (typeof rollupResolutions)[number]) + 1]!;
  }
  return chosen;
}

/**
 * One signal's chart over `from`–`to` in `buckets` equal buckets (about one a pixel): each bucket holds
 * the lowest and highest value of the rollups that start in it, so a 24-hour range still shows every
 * spike. Buckets with no samples are left out; times are bucket starts.
 */
export function chartBuckets(source: RollupSource, signal: number, from: number, to: number, buckets: number): ChartSeries {
  const resolution = chartReadResolution(from, to, buckets);
  const bucketMs = Math.max(1, to - from) / buckets;
  const series: ChartSeries = { signal, resolution, bucketMs, time: [], min: [], max: [] };
  let current = -1;
  for (const point of source.seriesAt(signal, from, to, resolution)) {
    // A rollup that starts before the range (its bucket reaches into it) counts in the first bucket.
    const bucket = Math.min(buckets - 1, Math.max(0, Math.floor((point.time - from) / bucketMs)));
    if (bucket !== current) {
      current = bucket;
      series.time.push(Math.round(from + bucket * bucketMs));
      series.min.push(point.min);
      series.max.push(point.max);
    } else {
      const last = series.time.length - 1;
      if (point.min < series.min[last]!) series.min[last] = point.min;
      if (point.max > series.max[last]!) series.max[last] = point.max;
    }
  }
  return series;
}
