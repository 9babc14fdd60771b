import { describe, expect, it } from 'vitest';
import type { SignalForecast } from '../../../src-main/common/forecast/forecast-record.ts';
import { chartProjection, rangeWithProjection } from './chart-projection.ts';

/** A ramp at 1 °C a second from 30 °C at t = 100 s, reaching its 80 °C warning at t = 150 s. */
const ramp: SignalForecast = {
  signal: 0,
  machine: 0,
  side: 'high',
  limit: 'warning',
  limitValue: 80,
  at: 150_000,
  earliest: 140_000,
  latest: 165_000,
  warningAt: 150_000,
  alarmAt: 160_000,
  confidence: 'high',
  from: 100_000,
  value: 30,
  slopePerSecond: 1,
  horizonMs: 1_800_000,
  predicted: true,
};

describe('chartProjection', () => {
  it('draws from the last fitted point to the limit at the forecast time, with its 90 % range', () => {
    expect(chartProjection(ramp)).toEqual({ from: 100_000, value: 30, at: 150_000, limitValue: 80, limit: 'warning', earliest: 140_000, latest: 165_000, predicted: true });
  });

  it('draws nothing without a forecast, or for a line that is not finite or runs backwards', () => {
    expect(chartProjection(undefined)).toBeNull();
    expect(chartProjection({ ...ramp, at: Number.NaN })).toBeNull();
    expect(chartProjection({ ...ramp, at: 50_000 })).toBeNull();
  });

  it('keeps an open-ended range open and never starts the range before the line', () => {
    expect(chartProjection({ ...ramp, latest: null, earliest: 90_000 })).toMatchObject({ earliest: 100_000, latest: null });
  });
});

describe('rangeWithProjection', () => {
  const live = { from: 60_000, to: 120_000 };

  it('stretches the x range just past a predicted crossing beyond its end', () => {
    const shown = rangeWithProjection(live, chartProjection(ramp));
    expect(shown.from).toBe(60_000);
    expect(shown.to).toBeGreaterThan(150_000);
    expect(shown.to).toBeLessThan(155_000);
  });

  it('leaves the range alone with no forecast, a crossing beyond the horizon, or one already in view', () => {
    expect(rangeWithProjection(live, null)).toBe(live);
    expect(rangeWithProjection(live, chartProjection({ ...ramp, predicted: false }))).toBe(live);
    expect(rangeWithProjection({ from: 60_000, to: 200_000 }, chartProjection(ramp))).toEqual({ from: 60_000, to: 200_000 });
  });
});
