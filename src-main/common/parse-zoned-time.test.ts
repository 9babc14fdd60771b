import { describe, expect, it } from 'vitest';
import { parseZonedTime, ZonedTimeError } from './parse-zoned-time.ts';

const sixUtc = Date.UTC(2026, 10, 25, 6, 0, 0);

describe('parseZonedTime', () => {
  it('reads the instant a time names in its own zone, whatever zone this machine is in', () => {
    for (const text of ['2026-11-25T06:00:00Z', '2026-11-25t06:00:00z', '2026-11-25 06:00Z', '2026-11-25T07:00:00+01:00', '2026-11-25T07:00+0100', '2026-11-25T00:00:00-06:00', '2026-11-25T11:30:00+05:30', '2026-11-25T16:00:00+10', ` ${sixUtc} `]) {
      expect(parseZonedTime(text), text).toBe(sixUtc);
    }
    expect(parseZonedTime('2026-11-25T06:00:00.5Z')).toBe(sixUtc + 500);
    expect(parseZonedTime('2026-11-25T06:00:00,123456789Z')).toBe(sixUtc + 123);
    expect(parseZonedTime('2024-02-29T23:59:59.999Z')).toBe(Date.UTC(2024, 1, 29, 23, 59, 59, 999));
    // As the view shows times: a space, then UTC or the offset.
    expect(parseZonedTime('2026-11-25 06:00:00.0 UTC')).toBe(sixUtc);
    expect(parseZonedTime('2026-11-25 00:00:00.0 -06:00')).toBe(sixUtc);
  });

  it('refuses a time without a zone or a time of day, saying what to add', () => {
    expect(() => parseZonedTime('2026-11-25T06:00:00')).toThrow('"2026-11-25T06:00:00" has no time zone: add Z for UTC (2026-11-25T06:00:00Z) or the offset of the clock it was read from (e.g. 2026-11-25T06:00:00+01:00)');
    expect(() => parseZonedTime('2026-11-25')).toThrow('"2026-11-25" has no time of day: add one and its zone, e.g. 2026-11-25T06:00:00Z');
  });

  it('refuses what is no time, a day the month lacks and fields out of range', () => {
    for (const text of ['yesterday', '', '2026-02-29T06:00:00Z', '2026-13-01T06:00:00Z', '2026-11-25T24:00:00Z', '2026-11-25T06:60:00Z', '2026-11-25T06:00:00+25:00', '2026-11-25T06:00:00 CET', '-5', '1'.repeat(16), `2026-11-25T06:00:00Z${' '.repeat(70)}x`]) {
      expect(() => parseZonedTime(text), text).toThrow(ZonedTimeError);
    }
  });
});
