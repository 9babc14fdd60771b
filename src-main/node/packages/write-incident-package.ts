import { existsSync, renameSync, rmSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { recordedAlarmSchema, recordedFloodSchema } from '../../common/alarms/alarm-contract.ts';
import { signalOrder } from '../../common/signal-order.ts';
import { modelFileClosure } from '../model-file-closure.ts';
import { openRecordingDatabase } from '../recording/open-recording-database.ts';
import { boundedColumns, floodRowAlarm, maxAlarmTextCharacters, type AlarmRow } from '../recording/recorded-alarms.ts';
import { Recorder } from '../recording/recorder.ts';
import { readRecordingMeta } from '../recording/recording-meta.ts';
import { RecordingReader } from '../recording/recording-reader.ts';
import { RecordingSequence, sessionFiles } from '../recording/recording-sequence.ts';
import { packageMetaKeys, type PackageInfo, validatePackageInfo } from './package-info.ts';

/** What goes into a package beside the recorded range. */
export interface IncidentPackageOptions {
  /** First and last millisecond of the range (inclusive); clamped to what the source recorded. */
  from: number;
  to: number;
  title?: string;
  summary?: string;
  /** The plant's tours file text (`<plant>.tours.yaml`), embedded as it is once checked for size. */
  toursText?: string;
}

/** What was written. */
export interface IncidentPackageResult {
  file: string;
  from: number;
  to: number;
  samples: number;
  alarmRows: number;
  annotations: number;
  models: number;
}

/** Events written per event block: bounds the memory a package of a busy range takes while it is made. */
const eventsPerCommit = 50_000;
/** Most alarm rows a package carries, from all its source files together: a bound whatever the files hold. */
export const maxPackageAlarmRows = 200_000;
/** Most characters of alarm records a package carries (a record is at most 4 KiB): bounds the memory they take while it is made. */
export const maxPackageAlarmCharacters = 64 * 1024 * 1024;
/** Alarm rows read per query: memory grows by checked rows, never by a whole file's at once. */
const alarmRowsPerPage = 10_000;
const maxRecordCharacters = 4096;

/**
 * Writes an incident package: one recording file holding exactly `from`–`to` of the session `source`
 * belongs to — a keyframe of the state at `from` (the alarms as they stood included), every sample,
 * connection, health and alarm event inside the range and nothing outside it, the plant, the model
 * files the plant names, and the title, summary and tours in its meta. The file is made under another
 * name and renamed into place when whole; an existing `out` is never replaced. Runs as every recording
 * read does: call it off the ingest loop (the command line, or a replay worker).
 */
export function writeIncidentPackage(source: string, out: string, options: IncidentPackageOptions): IncidentPackageResult {
  if (existsSync(out)) throw new Error(`${out} exists: choose another name or remove it`);
  const info: PackageInfo = validatePackageInfo({ title: options.title, summary: options.summary, toursText: options.toursText });
  const files = sessionFiles(dirname(source), source);
  const history = new RecordingSequence(files, () => true);
  const first = new RecordingReader(files[0]!, { verify: false });
  const last = files.length > 1 ? new RecordingReader(files.at(-1)!, { verify: false }) : first;
  const making = `${out}.making`;
  let recorder: Recorder | undefined;
  try {
    const range = history.timeRange();
    const from = Math.max(Math.round(options.from), range.start);
    const to = Math.min(Math.round(options.to), range.end);
    if (!(from <= to)) {
      throw new Error(`${new Date(options.from).toISOString()} to ${new Date(options.to).toISOString()} is outside the recording, which runs from ${new Date(range.start).toISOString()} to ${new Date(range.end).toISOString()}: nothing to package`);
    }
    const { files: models } = modelFileClosure(history.plant, (file) => first.model(file));
    const plantFileName = readPlantFileName(files[0]!);
    // The state just before the range: the events of its first millisecond are written as events, as they were recorded.
    const before = history.stateAt(from - 1);
    rmSync(making, { force: true });
    recorder = new Recorder(
      making,
      { plant: history.plant, plantText: first.plantText, plantFileName, models, signalKeys: history.signalKeys, brokerIds: history.brokerIds },
      { createdAt: from, startsAt: from, initialState: { signals: before.signals, connected: before.connected, time: from }, signalMetadata: last.signalMetadata() },
    );
    recorder.recordAlarmRows(carriedAlarmRows(history, from));
    // The notes pinned inside the range travel with it, whenever they were written.
    const annotations = history.annotations(from, to);
    recorder.recordAnnotations(annotations);
    const alarmRows = alarmRowsBetween(files, from, to, signalOrder(history.plant).machineOf);
    const health = history.healthEvents(from, to);
    let healthIndex = 0;
    let alarmIndex = 0;
    let samples = 0;
    let sinceCommit = 0;
    // Health rows are stamped no earlier than the samples before them: each is written before the first sample after it.
    const passUntil = (time: number) => {
      while (healthIndex < health.length && health[healthIndex]!.time < time) {
        const { machine, health: code, time: at } = health[healthIndex++]!;
        recorder!.recordHealth(machine, code, at);
      }
      const rows: AlarmRow[] = [];
      while (alarmIndex < alarmRows.length && alarmRows[alarmIndex]!.time < time) rows.push(alarmRows[alarmIndex++]!);
      if (rows.length > 0) recorder!.recordAlarmRows(rows);
    };
    for (const event of history.eventsBetween(from, to)) {
      passUntil(event.time);
      if (event.code >= 0) {
        recorder.recordSample(event.code, event.value, event.time);
        samples++;
      } else {
        recorder.recordConnection(-1 - event.code, event.value === 1, event.time);
      }
      if (++sinceCommit >= eventsPerCommit) {
        recorder.commit();
        sinceCommit = 0;
      }
    }
    passUntil(Number.POSITIVE_INFINITY);
    recorder.recordUntil(to);
    recorder.close();
    const status = recorder.status();
    recorder = undefined;
    if (status.error) throw new Error(status.error);
    writePackageMeta(making, { ...info, from, to, source: basename(files[0]!) });
    if (existsSync(out)) throw new Error(`${out} exists: choose another name or remove it`);
    renameSync(making, out);
    return { file: out, from, to, samples, alarmRows: alarmRows.length, annotations: annotations.length, models: models.size };
  } catch (error) {
    recorder?.close();
    for (const path of [making, `${making}-wal`, `${making}-shm`, `${making}.partial`]) rmSync(path, { force: true });
    throw error;
  } finally {
    history.close();
    first.close();
    if (last !== first) last.close();
  }
}

/** The plant file's name as the source recorded it. */
function readPlantFileName(file: string): string {
  const database = openRecordingDatabase(file, { verify: false });
  try {
    return readRecordingMeta(database, file).plantFileName;
  } finally {
    database.close();
  }
}

/** A `carried` row per alarm that was not normal just before `from`, and the flood indicator: the alarms a package starts with. */
function carriedAlarmRows(history: RecordingSequence, from: number): AlarmRow[] {
  const standing = history.alarmsAt(from - 1);
  const rows: AlarmRow[] = [{ time: from, alarm: floodRowAlarm, event: 'carried', operator: null, reason: null, record: JSON.stringify(standing.flood) }];
  for (const record of standing.alarms) rows.push({ time: from, alarm: record.alarm, event: 'carried', operator: null, reason: null, record: JSON.stringify(record) });
  return rows;
}

/**
 * Every alarm row of the session's files from `from` to `to`, in the order they were written, each
 * checked as a reader checks it (a row that fails is damage and is left out). Flood changes and the
 * rows a file starts with are kept too, so the package reads the alarms at any moment as the source did.
 */
function alarmRowsBetween(files: readonly string[], from: number, to: number, signalMachine: readonly number[]): AlarmRow[] {
  const rows: AlarmRow[] = [];
  let characters = 0;
  for (const file of files) {
    const database = openRecordingDatabase(file, { verify: false });
    try {
      const hasTable = database.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'alarm_events'").get() !== undefined;
      if (!hasTable) continue;
      const page = database.prepare(
        `SELECT rowid AS row, time, alarm, ${boundedColumns.event}, ${boundedColumns.operator}, ${boundedColumns.reason}, CASE WHEN length(record) <= ${maxRecordCharacters} THEN record END AS record FROM alarm_events
         WHERE rowid > ? AND time BETWEEN ? AND ? AND typeof(alarm) = 'integer' AND alarm BETWEEN -1 AND ? ORDER BY rowid LIMIT ${alarmRowsPerPage}`,
      );
      for (let after = -Infinity; ; ) {
        const found = page.all(after, from, to, signalMachine.length * 4 - 1) as Array<Record<string, unknown>>;
        for (const row of found) {
          const checked = checkedAlarmRow(row, signalMachine);
          if (!checked) continue;
          rows.push(checked);
          characters += checked.record.length;
          // A package silently missing alarms would read as complete: too many is said plainly.
          if (rows.length > maxPackageAlarmRows || characters > maxPackageAlarmCharacters) {
            throw new Error(`the range holds more alarm rows than a package carries (${maxPackageAlarmRows.toLocaleString('en')} rows, ${maxPackageAlarmCharacters / 2 ** 20} MiB of records); choose a shorter range`);
          }
        }
        if (found.length < alarmRowsPerPage) break;
        after = Number(found.at(-1)!.row);
      }
    } finally {
      database.close();
    }
  }
  // Stable: rows of one millisecond keep the order they were written in.
  return rows.sort((a, b) => a.time - b.time);
}

function checkedAlarmRow(row: Record<string, unknown>, signalMachine: readonly number[]): AlarmRow | undefined {
  const alarm = Number(row.alarm);
  if (typeof row.time !== 'number' || typeof row.event !== 'string' || row.event.length > 64 || typeof row.record !== 'string') return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(row.record);
  } catch {
    // Not JSON: damage, as a reader would pass it over.
    return undefined;
  }
  if (alarm === floodRowAlarm) {
    if (!recordedFloodSchema.safeParse(parsed).success) return undefined;
  } else {
    const record = recordedAlarmSchema.safeParse(parsed);
    if (!record.success || record.data.alarm !== alarm || Math.floor(alarm / 4) !== record.data.signal || signalMachine[record.data.signal] !== record.data.machine) return undefined;
  }
  const text = (value: unknown) => (typeof value === 'string' ? value.slice(0, maxAlarmTextCharacters) : null);
  return { time: row.time, alarm, event: row.event, operator: text(row.operator), reason: text(row.reason), record: row.record };
}

/** Adds the package's own meta rows (title, summary, tours, range and source) to the finished file. */
function writePackageMeta(file: string, meta: PackageInfo & { from: number; to: number; source: string }): void {
  const database = new DatabaseSync(file);
  try {
    const insert = database.prepare('INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)');
    database.exec('BEGIN');
    insert.run(packageMetaKeys.range, JSON.stringify({ from: meta.from, to: meta.to, source: meta.source }));
    if (meta.title !== undefined) insert.run(packageMetaKeys.title, meta.title);
    if (meta.summary !== undefined) insert.run(packageMetaKeys.summary, meta.summary);
    if (meta.toursText !== undefined) insert.run(packageMetaKeys.tours, meta.toursText);
    database.exec('COMMIT');
  } finally {
    database.close();
  }
  // The file is handed on alone: no write-ahead log beside it.
  for (const path of [`${file}-wal`, `${file}-shm`]) rmSync(path, { force: true });
}

