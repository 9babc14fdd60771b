import { csvTextField } from './csv-text-field.ts';
import { healthStates } from './health.ts';

/** Longest range one shift summary covers: a month of shifts, so a request's reading stays bounded in time. */
export const maxShiftSummaryMs = 31 * 24 * 3_600_000;

/** Most machines a summary lists by time in alarm. */
export const maxTopMachines = 10;

/** Time in each health state, in milliseconds, indexed by health code (`healthStates` order). */
export type StateDurations = number[];

/** One line of an area: the machine-milliseconds its machines spent in each state over the range. */
export interface LineSummary {
  area: string;
  line: string;
  /** Indices of its machines, in plant order. */
  machines: number[];
  /** Summed over its machines, so shares are of machine-time: two machines over an hour make two hours. */
  milliseconds: StateDurations;
}

/** One machine's time in each state, and how often it entered alarm within the range. */
export interface MachineSummary {
  machine: number;
  milliseconds: StateDurations;
  alarmsEntered: number;
}

/**
 * A shift summary: per line, the share of time in each state over a range of the recording, and the
 * machines longest in alarm. `from` and `to` are the range read: the one asked for, within the recording.
 */
export interface ShiftSummary {
  requested: { from: number; to: number };
  from: number;
  to: number;
  lines: LineSummary[];
  /** At most `maxTopMachines` machines that were in alarm, longest first. */
  topAlarm: MachineSummary[];
  /** Stretches a damaged recording could not give back: counted in the state before them. */
  gaps: Array<{ start: number; end: number; reason: string }>;
}

/** A named shift and the minute of the day (0–1439, on the chosen clock) it starts at; it lasts until the next one starts. */
export interface Shift {
  name: string;
  startMinute: number;
}

/** The shifts a plant runs unless its file's `shifts:` says otherwise: early 06–14, late 14–22, night 22–06. */
export const defaultShifts: readonly Shift[] = [
  { name: 'Early', startMinute: 6 * 60 },
  { name: 'Late', startMinute: 14 * 60 },
  { name: 'Night', startMinute: 22 * 60 },
];

/** Where a time falls on a clock: local (the machine's zone) or UTC. */
export type ShiftClock = 'local' | 'utc';

/**
 * The moment `minute` minutes after midnight on the calendar day of `time` plus `dayOffset` days, on
 * the clock. A DST day keeps its wall times, so it is an hour shorter or longer; a wall time the
 * change skips falls an hour later, as the local clock reads it.
 */
function minuteOfDay(time: number, minute: number, dayOffset: number, clock: ShiftClock): number {
  const date = new Date(time);
  if (clock === 'utc') return Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate() + dayOffset, 0, minute);
  return new Date(date.getFullYear(), date.getMonth(), date.getDate() + dayOffset, Math.floor(minute / 60), minute % 60).getTime();
}

/** The shift `time` falls in, with its start and end, on the chosen clock. */
export function shiftAt(time: number, clock: ShiftClock, shifts: readonly Shift[] = defaultShifts): { name: string; from: number; to: number } {
  const ordered = [...shifts].sort((first, second) => first.startMinute - second.startMinute);
  if (ordered.length === 0) return { name: 'Day', from: minuteOfDay(time, 0, 0, clock), to: minuteOfDay(time, 0, 1, clock) };
  // Every shift start from yesterday to tomorrow, in order: the last one at or before `time` is its shift.
  const starts = [-1, 0, 1].flatMap((day) => ordered.map((shift) => ({ name: shift.name, at: minuteOfDay(time, shift.startMinute, day, clock) })));
  let index = 0;
  while (index + 1 < starts.length && starts[index + 1]!.at <= time) index++;
  return { name: starts[index]!.name, from: starts[index]!.at, to: starts[index + 1]!.at };
}

/** Health states a summary shows, in the order of its columns: the states the status bar counts, then the rest. */
export const summaryStates = ['ok', 'warn', 'alarm', 'stale', 'offline', 'bad', 'unknown'] as const;

/** Share (0–1) of each of `summaryStates` in a line's or machine's durations; all zero for an empty range. */
export function stateShares(milliseconds: StateDurations): number[] {
  const total = milliseconds.reduce((sum, value) => sum + value, 0);
  return summaryStates.map((state) => (total > 0 ? (milliseconds[healthStates.indexOf(state)] ?? 0) / total : 0));
}

/** Words for a state in a summary's header and legend. */
export const summaryStateWords: Record<(typeof summaryStates)[number], string> = {
  ok: 'ok',
  warn: 'warning',
  alarm: 'alarm',
  stale: 'stale',
  offline: 'offline',
  bad: 'bad quality',
  unknown: 'no data',
};

/**
 * The summary as CSV (RFC 4180, CRLF): one row per line (its shares in percent, to 0.01), then one per
 * machine longest in alarm (its minutes in alarm and alarms entered). Names go through the same
 * formula neutralising as every export; `machineName` names a machine index.
 */
export function shiftSummaryCsv(summary: ShiftSummary, machineName: (machine: number) => string, formatTime: (time: number) => string, rangeName?: string): string {
  const percent = (share: number) => (Math.round(share * 10_000) / 100).toFixed(2);
  // The range's name ("Night shift", "Selected range") leads when known, so a file read later says which shift it was.
  const named = rangeName === undefined ? [] : [csvTextField(rangeName)];
  const rows: string[] = [
    [...(rangeName === undefined ? [] : ['range']), 'from', 'to'].join(','),
    [...named, formatTime(summary.from), formatTime(summary.to)].join(','),
    '',
    ['area', 'line', 'machines', ...summaryStates.map((state) => `${state} %`)].join(','),
    ...summary.lines.map((line) => [csvTextField(line.area), csvTextField(line.line), String(line.machines.length), ...stateShares(line.milliseconds).map(percent)].join(',')),
    '',
    ['machine', 'minutes in alarm', 'alarms entered'].join(','),
    ...summary.topAlarm.map((machine) =>
      [csvTextField(machineName(machine.machine)), ((machine.milliseconds[healthStates.indexOf('alarm')] ?? 0) / 60_000).toFixed(2), String(machine.alarmsEntered)].join(','),
    ),
  ];
  return `${rows.join('\r\n')}\r\n`;
}
