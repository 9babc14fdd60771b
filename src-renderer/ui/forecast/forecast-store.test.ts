import { describe, expect, it } from 'vitest';
import type { SignalForecast } from '../../../src-main/common/forecast/forecast-record.ts';
import { takeForecasts, useForecasts } from './forecast-store.ts';

const forecast: SignalForecast = {
  signal: 3,
  machine: 1,
  side: 'high',
  limit: 'warning',
  limitValue: 80,
  at: 60_000,
  earliest: 50_000,
  latest: 70_000,
  warningAt: 60_000,
  alarmAt: null,
  confidence: 'high',
  from: 0,
  value: 50,
  slopePerSecond: 0.5,
  horizonMs: 1_800_000,
  predicted: true,
};

describe('the forecast store', () => {
  it('shows nothing of the moment before while a replayed moment’s forecasts are pending, and drops the mark once they come', () => {
    takeForecasts({ time: 0, forecasts: [forecast] });
    expect([...useForecasts.getState().predicted]).toEqual([1]);
    takeForecasts({ time: 10_000, forecasts: [], pending: true });
    expect(useForecasts.getState()).toMatchObject({ pending: true });
    expect(useForecasts.getState().predicted.size).toBe(0);
    expect(useForecasts.getState().bySignal.size).toBe(0);
    takeForecasts({ time: 10_000, forecasts: [forecast] });
    expect(useForecasts.getState().pending).toBe(false);
    expect([...useForecasts.getState().predicted]).toEqual([1]);
  });
});
