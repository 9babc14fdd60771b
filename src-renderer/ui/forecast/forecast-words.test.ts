import { describe, expect, it } from 'vitest';
import type { SignalForecast } from '../../../src-main/common/forecast/forecast-record.ts';
import { describeForecast, formatLead } from './forecast-words.ts';

const forecast: SignalForecast = {
  signal: 3, machine: 1, side: 'high', limit: 'warning', limitValue: 80, at: 1_000_000 + 12 * 60_000, earliest: 0, latest: null,
  warningAt: null, alarmAt: null, confidence: 'high', from: 1_000_000, value: 70, slopePerSecond: 0.01, horizonMs: 1_800_000, predicted: true,
};

describe('forecast words', () => {
  it('says lead times in words a control room reads at a glance', () => {
    expect(formatLead(4_000)).toBe('~4 s');
    expect(formatLead(44_000)).toBe('~40 s');
    expect(formatLead(12 * 60_000 + 20_000)).toBe('~12 min');
    expect(formatLead(150 * 60_000)).toBe('~2.5 h');
    expect(formatLead(20 * 3_600_000)).toBe('~20 h');
  });

  it('says which limit comes when, with the confidence, from the moment shown', () => {
    expect(describeForecast(forecast, 1_000_000)).toBe('warning in ~12 min (confidence high)');
    expect(describeForecast({ ...forecast, limit: 'alarm', confidence: 'low' }, 1_000_000 + 11 * 60_000)).toBe('alarm in ~60 s (confidence low)');
    expect(describeForecast(forecast, forecast.at + 1)).toBe('warning due now (confidence high)');
  });
});
