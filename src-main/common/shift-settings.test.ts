// Shifts are read on the view's local clock; a fixed zone with daylight saving makes the DST days testable anywhere.
process.env.TZ = 'Europe/Berlin';
import { describe, expect, it } from 'vitest';
import { parsePlantText, type PlantParseResult } from './parse-plant.ts';
import { maxShifts, plantShifts } from './shift-settings.ts';
import { defaultShifts, shiftAt, shiftSummaryCsv, type ShiftSummary } from './shift-summary.ts';
import { summaryRange } from '../../src-renderer/ui/summary/summary-range.ts';

function plantWith(shifts: string): PlantParseResult {
  return parsePlantText(`name: Shifts\n${shifts}\nmachines: []\n`);
}

function problemsOf(result: PlantParseResult): string[] {
  return result.ok ? [] : result.problems.map((problem) => `${problem.path}: ${problem.message}`);
}

/** Two shifts of twelve hours, the night one crossing midnight, as a plant file writes them. */
const twelveHours = plantShifts({ shifts: [{ name: 'Day', start: '07:30' }, { name: 'Night', start: '19:30' }] });

describe('shifts in the plant file', () => {
  it('default to early, late and night when the file names none', () => {
    const result = plantWith('');
    expect(result.ok && plantShifts(result.plant)).toEqual(defaultShifts);
  });

  it('are read as names and start minutes', () => {
    const result = plantWith('shifts:\n  - { name: Day, start: "07:30" }\n  - { name: Night, start: "19:30" }');
    expect(problemsOf(result)).toEqual([]);
    expect(result.ok && plantShifts(result.plant)).toEqual([{ name: 'Day', startMinute: 450 }, { name: 'Night', startMinute: 1170 }]);
  });

  it('refuse a time that is no HH:MM, a name or start used twice, none at all and too many', () => {
    expect(problemsOf(plantWith('shifts:\n  - { name: Day, start: "7:30" }')).join()).toMatch(/shifts\[0\]\.start: a time of day as HH:MM/);
    expect(problemsOf(plantWith('shifts:\n  - { name: Day, start: "24:00" }')).join()).toMatch(/HH:MM/);
    expect(problemsOf(plantWith('shifts:\n  - { name: Day, start: "06:60" }')).join()).toMatch(/HH:MM/);
    expect(problemsOf(plantWith('shifts:\n  - { name: Day, start: 600 }')).join()).toMatch(/shifts\[0\]\.start/);
    expect(problemsOf(plantWith('shifts:\n  - { name: Day, start: "06:00" }\n  - { name: Day, start: "18:00" }')).join()).toMatch(/a second shift named "Day"/);
    expect(problemsOf(plantWith('shifts:\n  - { name: A, start: "06:00" }\n  - { name: B, start: "06:00" }')).join()).toMatch(/a second shift starting at 06:00/);
    expect(problemsOf(plantWith('shifts: []')).join()).toMatch(/at least one shift/);
    const many = Array.from({ length: maxShifts + 1 }, (_, index) => `  - { name: S${index}, start: "${String(index % 24).padStart(2, '0')}:${index >= 24 ? '30' : '00'}" }`).join('\n');
    expect(problemsOf(plantWith(`shifts:\n${many}`)).join()).toMatch(/<=24/);
    expect(problemsOf(plantWith('shifts:\n  - { name: Day, start: "06:00", end: "18:00" }')).join()).toMatch(/end/);
  });
});

describe('the shift a moment falls in, with the plant\'s shifts', () => {
  const utc = (day: number, hour: number, minute = 0) => Date.UTC(2026, 10, day, hour, minute);

  it('finds a night shift crossing midnight from either side, on the minute it starts', () => {
    expect(shiftAt(utc(25, 23), 'utc', twelveHours)).toEqual({ name: 'Night', from: utc(25, 19, 30), to: utc(26, 7, 30) });
    expect(shiftAt(utc(26, 3), 'utc', twelveHours)).toEqual({ name: 'Night', from: utc(25, 19, 30), to: utc(26, 7, 30) });
    expect(shiftAt(utc(26, 7, 30), 'utc', twelveHours)).toEqual({ name: 'Day', from: utc(26, 7, 30), to: utc(26, 19, 30) });
    expect(shiftAt(utc(26, 7, 29), 'utc', twelveHours).name).toBe('Night');
  });

  it('is the whole day for a plant with one shift', () => {
    expect(shiftAt(utc(25, 5), 'utc', [{ name: 'All day', startMinute: 360 }])).toEqual({ name: 'All day', from: utc(24, 6), to: utc(25, 6) });
  });

  it('keeps wall times on the local clock, so the night of a DST change is an hour longer or shorter', () => {
    // Berlin leaves summer time at 03:00 on 25 October 2026 (back to 02:00) and enters it at 02:00 on 29 March 2026.
    const autumn = shiftAt(new Date(2026, 9, 25, 4).getTime(), 'local', twelveHours);
    expect(autumn).toEqual({ name: 'Night', from: new Date(2026, 9, 24, 19, 30).getTime(), to: new Date(2026, 9, 25, 7, 30).getTime() });
    expect((autumn.to - autumn.from) / 3_600_000).toBe(13);
    const spring = shiftAt(new Date(2026, 2, 29, 4).getTime(), 'local', twelveHours);
    expect((spring.to - spring.from) / 3_600_000).toBe(11);
    // A day shift that day stays 12 hours: the change is in the night.
    const springDay = shiftAt(new Date(2026, 2, 29, 12).getTime(), 'local', twelveHours);
    expect((springDay.to - springDay.from) / 3_600_000).toBe(12);
  });

  it('is what the summary covers when no range is selected, up to the moment shown', () => {
    expect(summaryRange(null, utc(26, 3), 'utc', twelveHours)).toEqual({ name: 'Night shift', from: utc(25, 19, 30), to: utc(26, 3) });
    expect(summaryRange(null, utc(26, 3), 'utc')).toEqual({ name: 'Night shift', from: utc(25, 22), to: utc(26, 3) });
  });
});

describe('the summary\'s CSV', () => {
  const summary: ShiftSummary = { requested: { from: 0, to: 60_000 }, from: 0, to: 60_000, lines: [], topAlarm: [], gaps: [] };

  it('names the shift it covers before its times, neutralising a name that looks like a formula', () => {
    const time = (at: number) => new Date(at).toISOString();
    expect(shiftSummaryCsv(summary, String, time, 'Night shift').split('\r\n').slice(0, 2)).toEqual(['range,from,to', 'Night shift,1970-01-01T00:00:00.000Z,1970-01-01T00:01:00.000Z']);
    expect(shiftSummaryCsv(summary, String, time, '=cmd shift').split('\r\n')[1]).toMatch(/^"'=cmd shift",/);
    expect(shiftSummaryCsv(summary, String, time).split('\r\n')[0]).toBe('from,to');
  });
});
