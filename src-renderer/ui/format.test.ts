import { describe, expect, it } from 'vitest';
import { Health } from '../../src-main/common/health.ts';
import { compactCount, formatAge, formatMoment, formatSampleValue, formatValue } from './format.ts';

describe('formatMoment', () => {
  it('writes local time as a sortable 24-hour stamp to the tenth of a second', () => {
    const time = new Date(2026, 10, 5, 8, 6, 3, 870).getTime();
    expect(formatMoment(time)).toBe('2026-11-05 08:06:03.8');
    expect(formatMoment(new Date(2026, 0, 1, 23, 59, 59, 99).getTime())).toBe('2026-01-01 23:59:59.0');
  });
});

describe('formatValue and formatAge', () => {
  it('keep the digits that matter', () => {
    expect(formatValue(1532.4)).toBe('1532');
    expect(formatValue(12.345)).toBe('12.35');
    expect(formatValue(0.01234)).toBe('0.0123');
    expect(formatAge(400)).toBe('0.4 s');
    expect(formatAge(185_000)).toBe('3 min');
  });
});

describe('compactCount', () => {
  it('keeps three significant digits', () => {
    expect(compactCount(950)).toBe('950');
    expect(compactCount(12_345)).toBe('12.3k');
    expect(compactCount(4_560_000)).toBe('4.56M');
    expect(compactCount(999_999)).toBe('1M');
    expect(compactCount(1_000)).toBe('1k');
  });
});

describe('formatSampleValue', () => {
  it('shows bad quality and lost sources in words, never as a number', () => {
    expect(formatSampleValue(12.345, Health.ok)).toBe('12.35');
    expect(formatSampleValue(0, Health.stale)).toBe('0.00');
    expect(formatSampleValue(Number.NaN, Health.bad)).toBe('bad quality');
    // Over JSON a bad-quality NaN or a lost Infinity arrives as null; the health still says which when it can.
    expect(formatSampleValue(null, Health.bad)).toBe('bad quality');
    expect(formatSampleValue(null, Health.stale)).toBe('no value');
    expect(formatSampleValue(Number.NaN, Health.offline)).toBe('no value');
    expect(formatSampleValue(Number.POSITIVE_INFINITY, Health.stale)).toBe('source lost');
    expect(formatSampleValue(Number.NEGATIVE_INFINITY, Health.ok)).toBe('no value');
  });
});
