import { describe, expect, it } from 'vitest';
import { compactCount, formatAge, formatMoment, formatValue } from './format.ts';

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
