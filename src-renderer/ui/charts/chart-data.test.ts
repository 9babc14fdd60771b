import { describe, expect, it } from 'vitest';
import type { ChartSeries, TimelineOverview } from '../../../src-main/common/contract.ts';
import { Health } from '../../../src-main/common/health.ts';
import { alarmPeriods, chartColumns, valueRange } from './chart-data.ts';
import { LiveSamples } from './live-samples.ts';

describe('LiveSamples', () => {
  it('keeps the newest samples in order once full, drops repeats, and keeps no measurement as a gap', () => {
    const samples = new LiveSamples(3);
    samples.append(1000, 1);
    samples.append(1000, 1);
    samples.append(2000, Number.POSITIVE_INFINITY);
    samples.append(3000, 3);
    samples.append(4000, 4);
    const seen: Array<[number, number]> = [];
    samples.forEachSince(0, (time, value) => seen.push([time, value]));
    expect(seen).toEqual([
      [2000, Number.NaN],
      [3000, 3],
      [4000, 4],
    ]);
    expect(samples.firstTime).toBe(2000);
  });
});

describe('chartColumns', () => {
  it('draws recorded buckets at their middle, then only the live samples after the last bucket', () => {
    const recorded: ChartSeries = { signal: 0, resolution: 10_000, bucketMs: 10_000, time: [0, 10_000], min: [1, 2], max: [5, 6] };
    const live = new LiveSamples(10);
    for (const time of [15_000, 20_000, 25_000]) live.append(time, time / 1000);
    const [x, low, high] = chartColumns(recorded, live, 0);
    expect([...x]).toEqual([5, 15, 20, 25]);
    expect([...low]).toEqual([1, 2, 20, 25]);
    expect([...high]).toEqual([5, 6, 20, 25]);
    // Live samples before the window are left out.
    expect([...chartColumns(undefined, live, 21_000)[0]]).toEqual([25]);
  });
});

describe('valueRange', () => {
  it('spans the data and every limit, so that a limit far from the values is still drawn', () => {
    const columns = chartColumns({ signal: 0, resolution: 10_000, bucketMs: 10_000, time: [0], min: [50], max: [60] }, undefined, 0);
    const [low, high] = valueRange(columns, { highWarn: 80, highAlarm: 90, deadband: 0, onDelay: 0 });
    expect(low).toBeLessThan(50);
    expect(high).toBeGreaterThan(90);
    expect(valueRange([new Float64Array(0), new Float64Array(0), new Float64Array(0)], undefined)).toEqual([0, 1]);
  });
});

describe('alarmPeriods', () => {
  it('joins consecutive alarm buckets of the machine into one period', () => {
    const overview: TimelineOverview = {
      range: { start: 1000, end: 7000 },
      bucketMs: 1000,
      plantHealth: [],
      machineHealth: [Health.ok, Health.alarm, Health.alarm, Health.warn, Health.alarm, Health.ok],
      alarms: [],
      gaps: [],
    };
    expect(alarmPeriods(overview)).toEqual([
      { start: 2000, end: 4000 },
      { start: 5000, end: 6000 },
    ]);
    expect(alarmPeriods(undefined)).toEqual([]);
  });
});
