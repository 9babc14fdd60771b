// The local clock under test is Chicago's, six hours behind UTC in November, as the reported case was.
process.env.TZ = 'America/Chicago';

import { describe, expect, it } from 'vitest';
import { Health } from '../../src-main/common/health.ts';
import { parseZonedTime } from '../../src-main/common/parse-zoned-time.ts';
import { compactCount, fileNameTime, formatAge, formatIsoTime, formatMoment, formatOffset, formatSampleValue, formatTimeOfDay, formatValue, zoneLabel, zoneOffsetMinutes } from './format.ts';

const november = Date.UTC(2026, 10, 25, 10, 22, 23, 870);
const july = Date.UTC(2026, 6, 1, 10, 22, 23, 0);

describe('formatMoment', () => {
  it('writes local time with its offset, and UTC as UTC, as a sortable 24-hour stamp to the tenth of a second', () => {
    expect(formatMoment(november, 'local')).toBe('2026-11-25 04:22:23.8 -06:00');
    expect(formatMoment(november, 'utc')).toBe('2026-11-25 10:22:23.8 UTC');
    // Daylight saving time moves the offset, and the stamp says so.
    expect(formatMoment(july, 'local')).toBe('2026-07-01 05:22:23.0 -05:00');
    expect(formatTimeOfDay(november, 'utc')).toBe('10:22:23.8 UTC');
    // Across midnight the day follows the clock chosen.
    expect(formatMoment(Date.UTC(2026, 0, 1, 3, 0, 0), 'local')).toBe('2025-12-31 21:00:00.0 -06:00');
  });

  it('names the instant it shows: a time copied from the screen into export --from parses back to the same moment', () => {
    for (const clock of ['local', 'utc'] as const) {
      for (const time of [november - 870, july, Date.UTC(2026, 2, 8, 8, 30, 0), Date.UTC(2026, 10, 1, 6, 59, 59)]) {
        expect(parseZonedTime(formatMoment(time, clock)), `${formatMoment(time, clock)}`).toBe(time);
        expect(parseZonedTime(formatIsoTime(time, clock))).toBe(time);
      }
    }
    // To the millisecond in ISO form, as CSV exports write it.
    expect(parseZonedTime(formatIsoTime(november, 'local'))).toBe(november);
    expect(formatIsoTime(november, 'local')).toBe('2026-11-25T04:22:23.870-06:00');
    expect(formatIsoTime(november, 'utc')).toBe('2026-11-25T10:22:23.870Z');
  });
});

describe('zones', () => {
  it('give the offset ISO 8601 writes, and file names without colons', () => {
    expect(zoneOffsetMinutes(november, 'local')).toBe(-360);
    expect(zoneOffsetMinutes(november, 'utc')).toBe(0);
    expect(formatOffset(60)).toBe('+01:00');
    expect(formatOffset(330)).toBe('+05:30');
    expect(formatOffset(0)).toBe('+00:00');
    expect(zoneLabel(november, 'local')).toBe('-06:00');
    expect(zoneLabel(november, 'utc')).toBe('UTC');
    expect(fileNameTime(november, 'local')).toBe('2026-11-25T04-22-23-0600');
    expect(fileNameTime(november, 'utc')).toBe('2026-11-25T10-22-23Z');
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
