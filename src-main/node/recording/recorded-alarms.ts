import type { DatabaseSync, StatementSync } from 'node:sqlite';
import { recordedAlarmEvents, recordedAlarmSchema, recordedFloodSchema } from '../../common/alarms/alarm-contract.ts';
import type { AlarmFlood, AlarmRecord, AlarmTransition, FloodTransition } from '../../common/alarms/alarm-record.ts';

/**
 * One row of `alarm_events`: an alarm's transition with the record it left (JSON), or the flood
 * indicator changing (`alarm` −1). `event` is the lifecycle event, `carried` for the state a new file
 * starts with, or `flood`. Rows are written at the moment live published them, so the rows up to T
 * are exactly what a live view had been sent by T.
 */
export interface AlarmRow {
  time: number;
  alarm: number;
  event: string;
  operator: string | null;
  reason: string | null;
  record: string;
}

/** The alarm id of the flood indicator's rows. */
export const floodRowAlarm = -1;
/** Longest record text read back; a longer one is damage. */
const maxRecordCharacters = 4096;
/** Most alarm rows one read returns: a bound on memory whatever the file holds; a range with more is refused, never cut short. */
export const maxAlarmRowsPerRead = 100_000;
/** Longest operator name and reason read back: a person types them, a forged file may hold megabytes. */
export const maxAlarmTextCharacters = 200;
/**
 * The text columns of a row as SQL cuts them, before they reach JavaScript: an unbounded text read
 * whole and cut afterwards would already have taken its memory, times the rows of a read.
 */
export const boundedColumns = {
  event: `CASE WHEN typeof(event) = 'text' AND length(event) <= 64 THEN event END AS event`,
  operator: `CASE WHEN typeof(operator) = 'text' THEN substr(operator, 1, ${maxAlarmTextCharacters}) END AS operator`,
  reason: `CASE WHEN typeof(reason) = 'text' THEN substr(reason, 1, ${maxAlarmTextCharacters}) END AS reason`,
} as const;

/** Rows for what the engine did: each alarm transition and each flood change. */
export function alarmRows(alarms: readonly AlarmTransition[], flood: readonly FloodTransition[]): AlarmRow[] {
  const rows: AlarmRow[] = alarms.map((transition) => ({ time: transition.time, alarm: transition.record.alarm, event: transition.event, operator: transition.operator, reason: transition.reason, record: JSON.stringify(transition.record) }));
  for (const change of flood) rows.push({ time: change.time, alarm: floodRowAlarm, event: 'flood', operator: null, reason: null, record: JSON.stringify(change.flood) });
  return rows;
}

/** The alarms and flood indicator as recorded at one moment. */
export interface RecordedAlarms {
  flood: AlarmFlood;
  /** Not plainly normal, in alarm id order. */
  alarms: AlarmRecord[];
}

/** A recorded alarm event for the journal. */
export interface RecordedAlarmEvent {
  time: number;
  event: string;
  operator: string | null;
  reason: string | null;
  record: AlarmRecord;
}

/**
 * Reads a recording's alarm rows; every row is checked (types, bounds, an alarm of the plant) before
 * it is trusted, and a row that fails is passed over as damage. A file of format 2, written before
 * alarms were recorded, has no alarm table: it reads as having no alarms.
 */
export class RecordedAlarmReader {
  private readonly statements: { latest: StatementSync; between: StatementSync; lastRow: StatementSync; anyBetween: StatementSync; late: StatementSync } | undefined;
  private readonly alarmCount: number;
  /**
   * The last moment read, with the table's last row then: a replay asks for the alarms on every tick,
   * and the full read walks every row up to the moment, so a moment with no row between it and the
   * last one (and no row written since) is answered from here.
   */
  private lastRead: { time: number; lastRow: number; alarms: RecordedAlarms } | undefined;
  private readonly signalMachine: readonly number[];

  /** `signalMachine`: each signal's machine index, in signal order (the plant's alarms are four per signal). */
  constructor(database: DatabaseSync, signalMachine: readonly number[]) {
    this.signalMachine = signalMachine;
    this.alarmCount = signalMachine.length * 4;
    const hasTable = database.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'alarm_events'").get() !== undefined;
    this.statements = hasTable
      ? {
          // The last row of each alarm at or before T (rowid order is the order they were written in).
          latest: database.prepare(
            `SELECT alarm, ${boundedColumns.event}, CASE WHEN length(record) <= ${maxRecordCharacters} THEN record END AS record FROM alarm_events
             WHERE rowid IN (SELECT max(rowid) FROM alarm_events WHERE time BETWEEN 0 AND ? AND typeof(alarm) = 'integer' AND alarm BETWEEN -1 AND ? GROUP BY alarm) ORDER BY alarm LIMIT ${maxAlarmRowsPerRead}`,
          ),
          between: database.prepare(
            `SELECT time, alarm, ${boundedColumns.event}, ${boundedColumns.operator}, ${boundedColumns.reason}, CASE WHEN length(record) <= ${maxRecordCharacters} THEN record END AS record FROM alarm_events
             WHERE time BETWEEN ? AND ? AND typeof(alarm) = 'integer' AND alarm BETWEEN 0 AND ? ORDER BY time, rowid LIMIT ${maxAlarmRowsPerRead + 1}`,
          ),
          // A file being recorded grows while it replays: a row written since the last read may hold
          // any time, so a change of the last row makes the next read a full one.
          lastRow: database.prepare('SELECT coalesce(max(rowid), 0) AS last FROM alarm_events'),
          anyBetween: database.prepare('SELECT 1 FROM alarm_events WHERE time > ? AND time <= ? LIMIT 1'),
          late: database.prepare(
            `SELECT alarm, CASE WHEN length(record) <= ${maxRecordCharacters} THEN record END AS record FROM alarm_events
             WHERE time BETWEEN 0 AND ? AND event != 'carried' AND typeof(alarm) = 'integer' AND alarm BETWEEN -1 AND ? ORDER BY rowid LIMIT ${maxAlarmRowsPerRead}`,
          ),
        }
      : undefined;
  }

  /** The alarms as a live view had them at `time`. */
  at(time: number): RecordedAlarms {
    const result: RecordedAlarms = { flood: { active: false, since: null }, alarms: [] };
    if (!this.statements) return result;
    const moment = Math.max(0, Math.floor(time));
    const lastRow = Number((this.statements.lastRow.get() as { last: unknown }).last);
    const last = this.lastRead;
    if (last && last.lastRow === lastRow && (last.time === moment || this.statements.anyBetween.get(Math.min(moment, last.time), Math.max(moment, last.time)) === undefined)) {
      return { flood: last.alarms.flood, alarms: [...last.alarms.alarms] };
    }
    for (const row of this.statements.latest.all(moment, this.alarmCount - 1) as Array<{ alarm: number; event: unknown; record: unknown }>) {
      const parsed = parseRecord(row.record);
      if (row.alarm === floodRowAlarm) {
        const flood = recordedFloodSchema.safeParse(parsed);
        if (flood.success) result.flood = flood.data;
        continue;
      }
      const record = this.alarmRecord(row.alarm, parsed);
      if (record && record.state !== 'normal') result.alarms.push(record);
    }
    this.lastRead = { time: moment, lastRow, alarms: { flood: result.flood, alarms: [...result.alarms] } };
    return result;
  }

  /**
   * Applies to `alarms` (read at `time` from the file before this one) the rows this file holds from
   * `time` or earlier that were not carried into it: a change live published just before a rollover
   * can reach the new file after it started, stamped with a time the file before still covers.
   */
  applyLateRows(alarms: RecordedAlarms, time: number): void {
    if (!this.statements) return;
    for (const row of this.statements.late.all(Math.max(0, Math.floor(time)), this.alarmCount - 1) as Array<{ alarm: number; record: unknown }>) {
      const parsed = parseRecord(row.record);
      if (row.alarm === floodRowAlarm) {
        const flood = recordedFloodSchema.safeParse(parsed);
        if (flood.success) alarms.flood = flood.data;
        continue;
      }
      const record = this.alarmRecord(row.alarm, parsed);
      if (!record) continue;
      const at = alarms.alarms.findIndex((standing) => standing.alarm >= record.alarm);
      const replaces = at >= 0 && alarms.alarms[at]!.alarm === record.alarm;
      if (record.state === 'normal') {
        if (replaces) alarms.alarms.splice(at, 1);
      } else if (replaces) alarms.alarms[at] = record;
      else if (at >= 0) alarms.alarms.splice(at, 0, record);
      else alarms.alarms.push(record);
    }
  }

  /** Alarm events from `from` to `to` inclusive, in the order they happened; carried rows are not events and are left out. */
  eventsBetween(from: number, to: number): RecordedAlarmEvent[] {
    if (!this.statements) return [];
    const events: RecordedAlarmEvent[] = [];
    const rows = this.statements.between.all(Math.max(0, Math.floor(from)), Math.max(0, Math.floor(to)), this.alarmCount - 1) as Array<Record<string, unknown>>;
    // A journal silently cut short would read as complete: more rows than a read may hold is said plainly.
    if (rows.length > maxAlarmRowsPerRead) throw new Error(tooManyAlarmEvents(from, to));
    for (const row of rows) {
      const event = row.event;
      if (typeof event !== 'string' || event === 'carried' || !(recordedAlarmEvents as readonly string[]).includes(event)) continue;
      const record = this.alarmRecord(Number(row.alarm), parseRecord(row.record));
      if (!record) continue;
      events.push({ time: Number(row.time), event, operator: boundedText(row.operator), reason: boundedText(row.reason), record });
    }
    return events;
  }

  /** A record that passes its schema and names the alarm of its row. */
  private alarmRecord(alarm: number, parsed: unknown): AlarmRecord | undefined {
    const record = recordedAlarmSchema.safeParse(parsed);
    if (!record.success || record.data.alarm !== alarm || Math.floor(alarm / 4) !== record.data.signal || this.signalMachine[record.data.signal] !== record.data.machine) return undefined;
    return record.data;
  }
}

/** The refusal of a range holding more alarm events than one read may. */
export function tooManyAlarmEvents(from: number, to: number): string {
  const moment = (time: number) => (Math.abs(time) <= 8.64e15 ? new Date(time).toISOString() : String(time));
  return `more than ${maxAlarmRowsPerRead.toLocaleString('en')} alarm events between ${moment(from)} and ${moment(to)}; choose a shorter range`;
}

function parseRecord(text: unknown): unknown {
  if (typeof text !== 'string') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    // A row that is not JSON is damage: the caller passes it over.
    return undefined;
  }
}

function boundedText(value: unknown): string | null {
  return typeof value === 'string' ? value.slice(0, maxAlarmTextCharacters) : null;
}
