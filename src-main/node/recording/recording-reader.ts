import { closeSync, existsSync, openSync, readSync } from 'node:fs';
import { DatabaseSync, type StatementSync } from 'node:sqlite';
import { applySample, type SignalRuleState } from '../../common/health.ts';
import { parsePlantOrThrow } from '../../common/parse-plant.ts';
import type { Limits, Plant } from '../../common/plant-schema.ts';
import { redactPlant, redactPlantText } from '../../common/redact-secrets.ts';
import { decodeEvents, decodeKeyframe, type RecordedEvent } from './chunk-codec.ts';
import { recordedRangeQuery, recordingApplicationId, recordingFormatVersion, rollupResolutions } from './recording-schema.ts';
import { combineRollups, decodeMinuteRollup, type RollupPoint } from './rollup-codec.ts';

import type { RecordedHealthEvent, RecordedHistory, RecordedState } from './recorded-history.ts';

export type { RecordedState } from './recorded-history.ts';
export type { RollupPoint } from './rollup-codec.ts';

/** A recording that cannot be opened, with the file and the reason. */
export class RecordingError extends Error {
  constructor(file: string, problem: string) {
    super(`Cannot open the recording ${file}: ${problem}`);
    this.name = 'RecordingError';
  }
}

const sqliteMagic = 'SQLite format 3\u0000';

/** Reads a recording: its plant, its time range, the state at any moment, a signal's history. */
export class RecordingReader implements RecordedHistory {
  readonly file: string;
  readonly name: string;
  readonly plant: Plant;
  readonly plantText: string;
  readonly signalKeys: string[];
  readonly brokerIds: string[];
  private readonly database: DatabaseSync;
  private readonly limits: Array<Limits | undefined>;
  private readonly statements: Record<'chunkAtOrBefore' | 'parts' | 'minutes' | 'recentFrom' | 'recentMinute' | 'hours' | 'rollupsUntil' | 'range' | 'healthEvents' | 'model' | 'chunksBetween', StatementSync>;

  /**
   * Opens a recording. `verify` runs SQLite's quick_check over the whole file: right for a file from
   * elsewhere, but it takes seconds on gigabytes, so the host skips it for the file it is writing.
   */
  constructor(file: string, { verify = true }: { verify?: boolean } = {}) {
    this.file = file;
    this.name = file;
    checkHeader(file);
    try {
      this.database = new DatabaseSync(file, { readOnly: true });
    } catch (error) {
      throw new RecordingError(file, (error as Error).message);
    }
    try {
      const applicationId = this.pragma('application_id');
      if (applicationId !== recordingApplicationId) throw new RecordingError(file, 'it is an SQLite database, but not a Twinline recording');
      const version = this.pragma('user_version');
      if (version !== recordingFormatVersion) throw new RecordingError(file, `it was written in format ${version}; this Twinline reads format ${recordingFormatVersion}`);
      if (verify) {
        const check = this.database.prepare('PRAGMA quick_check').all().map((row) => String(Object.values(row)[0]));
        if (check.join() !== 'ok') throw new RecordingError(file, `the file is damaged (${check.slice(0, 3).join('; ')})`);
      }
      const meta = new Map(this.database.prepare('SELECT key, value FROM meta').all().map((row) => [String(row.key), String(row.value)]));
      const plantText = meta.get('plantText');
      if (plantText === undefined) throw new RecordingError(file, 'it has no embedded plant');
      this.plantText = redactPlantText(plantText);
      this.plant = redactPlant(parsePlantOrThrow(this.plantText, meta.get('plantFileName') ?? 'plant.yaml'));
      this.signalKeys = JSON.parse(meta.get('signalKeys') ?? '[]') as string[];
      this.brokerIds = JSON.parse(meta.get('brokerIds') ?? '[]') as string[];
    } catch (error) {
      this.database.close();
      if (error instanceof RecordingError) throw error;
      throw new RecordingError(file, error instanceof Error ? error.message : String(error));
    }
    this.limits = this.plant.machines.flatMap((machine) => machine.signals.map((signal) => signal.limits));
    this.statements = {
      chunkAtOrBefore: this.database.prepare('SELECT start_time, keyframe FROM chunks WHERE start_time <= ? ORDER BY start_time DESC LIMIT 1'),
      parts: this.database.prepare('SELECT end_time, events FROM chunk_parts WHERE chunk_start = ? ORDER BY id'),
      minutes: this.database.prepare('SELECT minute, buckets FROM rollups_minute WHERE signal = ? AND minute BETWEEN ? AND ? ORDER BY minute'),
      recentFrom: this.database.prepare('SELECT minute FROM rollups_recent ORDER BY minute LIMIT 1'),
      recentMinute: this.database.prepare('SELECT buckets FROM rollups_recent WHERE minute = ? AND signal = ?'),
      hours: this.database.prepare('SELECT hour, first, last, min, max, count FROM rollups_hour WHERE signal = ? AND hour BETWEEN ? AND ? ORDER BY hour'),
      rollupsUntil: this.database.prepare("SELECT value FROM meta WHERE key = 'rollupsUntil'"),
      range: this.database.prepare(recordedRangeQuery),
      healthEvents: this.database.prepare('SELECT time, machine, health FROM health_events WHERE time BETWEEN ? AND ? ORDER BY time'),
      model: this.database.prepare('SELECT bytes FROM models WHERE file = ?'),
      chunksBetween: this.database.prepare('SELECT start_time FROM chunks WHERE start_time <= ? AND start_time >= ? ORDER BY start_time'),
    };
  }

  /** First and last recorded moments (ms since the epoch); equal when the recording is empty. */
  timeRange(): { start: number; end: number } {
    const row = this.statements.range.get() as { start: number | null; end: number | null };
    const start = row.start ?? 0;
    return { start, end: Math.max(start, row.end ?? start) };
  }

  /**
   * The state at `time`: the keyframe of the chunk that holds it, plus that chunk's events up to and
   * including `time`. Cost depends on the chunk length, not on the recording's length or age.
   */
  stateAt(time: number): RecordedState {
    const chunk = this.statements.chunkAtOrBefore.get(time) as { start_time: number; keyframe: Uint8Array } | undefined;
    if (!chunk) return { time, signals: new Array(this.signalKeys.length).fill(undefined), connected: this.brokerIds.map(() => false) };
    const { signals, connected } = decodeKeyframe(chunk.keyframe);
    const previousScaled = new Map<number, number>();
    for (const part of this.statements.parts.iterate(chunk.start_time) as Iterable<{ end_time: number; events: Uint8Array }>) {
      const events = decodeEvents(part.events, previousScaled);
      for (const event of events) {
        if (event.time > time) return { time, signals, connected };
        this.apply(event, signals, connected);
      }
      if (part.end_time > time) break;
    }
    return { time, signals, connected };
  }

  /** Every event from `from` to `to` inclusive, in order (for export and incremental playback). */
  *eventsBetween(from: number, to: number): Generator<RecordedEvent> {
    const first = this.statements.chunkAtOrBefore.get(from) as { start_time: number } | undefined;
    const starts = (this.statements.chunksBetween.all(to, first?.start_time ?? from) as Array<{ start_time: number }>).map((row) => row.start_time);
    for (const start of starts) {
      const previousScaled = new Map<number, number>();
      for (const part of this.statements.parts.iterate(start) as Iterable<{ end_time: number; events: Uint8Array }>) {
        if (part.end_time < from) {
          decodeEvents(part.events, previousScaled);
          continue;
        }
        for (const event of decodeEvents(part.events, previousScaled)) {
          if (event.time > to) return;
          if (event.time >= from) yield event;
        }
      }
    }
  }

  /** Applies one event to a state, with the same rules live used. */
  apply(event: RecordedEvent, signals: Array<SignalRuleState | undefined>, connected: boolean[]): void {
    if (event.code >= 0) signals[event.code] = applySample(signals[event.code], this.limits[event.code], event.value, event.time);
    else connected[-1 - event.code] = event.value === 1;
  }

  /**
   * One signal's history for a chart: buckets at the finest resolution that gives at most
   * `maxPoints` over the range, so a day costs what an hour does. Finished minutes and hours come
   * from the signal's own rollup rows; the stretch not yet rolled up (the minute being recorded, or
   * what a crash left) from the events themselves, so the answer is exact either way.
   */
  series(signal: number, from: number, to: number, maxPoints = 2000): { resolution: number; points: RollupPoint[] } {
    const resolution = chartResolution(from, to, maxPoints);
    return { resolution, points: this.seriesAt(signal, from, to, resolution) };
  }

  /** `series` at a resolution of `rollupResolutions`. */
  seriesAt(signal: number, from: number, to: number, resolution: number): RollupPoint[] {
    // One snapshot for every read below: a writer in another process may move rows between tables meanwhile.
    this.database.exec('BEGIN');
    try {
      return this.readSeries(signal, from, to, resolution);
    } finally {
      this.database.exec('COMMIT');
    }
  }

  private readSeries(signal: number, from: number, end: number, resolution: number): RollupPoint[] {
    const firstBucket = Math.floor(from / resolution) * resolution;
    // Every bucket the range touches, whole: the last one to its end.
    const to = (Math.floor(end / resolution) + 1) * resolution - 1;
    const until = Number((this.statements.rollupsUntil.get() as { value: string } | undefined)?.value ?? 0);
    const points: RollupPoint[] = [];
    const add = (point: RollupPoint) => appendRollup(points, point, resolution);
    const hourMs = rollupResolutions[2];
    let minutesFrom = firstBucket;
    if (resolution === hourMs) {
      const hours = this.statements.hours.all(signal, firstBucket / hourMs, Math.floor(to / hourMs)) as Array<{ hour: number } & Omit<RollupPoint, 'time'>>;
      for (const { hour, ...row } of hours) add({ time: hour * hourMs, ...row });
      // The hour in progress has no row yet: its finished minutes stand in for it.
      minutesFrom = hours.length > 0 ? (hours[hours.length - 1]!.hour + 1) * hourMs : firstBucket;
    }
    const minutes = this.minuteRows(signal, Math.floor(minutesFrom / 60_000), Math.min(Math.floor(to / 60_000), Math.ceil(until / 60_000) - 1));
    for (const row of minutes) {
      for (const point of decodeMinuteRollup(row.buckets, row.minute * 60_000)) if (point.time >= firstBucket && point.time <= to) add(point);
    }
    if (to >= until) {
      for (const event of this.eventsBetween(Math.max(until, firstBucket), to)) {
        if (event.code === signal) add({ time: event.time, first: event.value, last: event.value, min: event.value, max: event.value, count: 1 });
      }
    }
    return points;
  }

  /** A signal's minute rows from `first` to `last` (minute numbers): settled ones, then those of the hour in progress. */
  private minuteRows(signal: number, first: number, last: number): Array<{ minute: number; buckets: Uint8Array }> {
    const rows = this.statements.minutes.all(signal, first, last) as Array<{ minute: number; buckets: Uint8Array }>;
    const recentFrom = (this.statements.recentFrom.get() as { minute: number | null } | undefined)?.minute ?? null;
    if (recentFrom === null) return rows;
    // rollups_recent is ordered by time: one point lookup per minute reads this signal's rows and no other's.
    for (let minute = Math.max(first, recentFrom); minute <= last; minute++) {
      const row = this.statements.recentMinute.get(minute, signal) as { buckets: Uint8Array } | undefined;
      if (row) rows.push({ minute, buckets: row.buckets });
    }
    return rows;
  }

  /** Machine health changes between two times. */
  healthEvents(from: number, to: number): RecordedHealthEvent[] {
    return this.statements.healthEvents.all(from, to) as unknown as RecordedHealthEvent[];
  }

  /** An embedded model file, or undefined. */
  model(file: string): Uint8Array | undefined {
    const row = this.statements.model.get(file) as { bytes: Uint8Array } | undefined;
    return row?.bytes;
  }

  close(): void {
    this.database.close();
  }

  private pragma(name: string): number {
    const row = this.database.prepare(`PRAGMA ${name}`).get() as Record<string, number>;
    return Number(Object.values(row)[0]);
  }
}

/** The finest chart resolution that gives at most `maxPoints` buckets from `from` to `to`. */
export function chartResolution(from: number, to: number, maxPoints: number): number {
  const span = Math.max(1, to - from);
  return rollupResolutions.find((candidate) => span / candidate <= maxPoints) ?? rollupResolutions[rollupResolutions.length - 1]!;
}

/** Adds `point` to a time-ordered series at `resolution`, folding it into the last bucket when it falls there. */
export function appendRollup(points: RollupPoint[], point: RollupPoint, resolution: number): void {
  const time = Math.floor(point.time / resolution) * resolution;
  const last = points[points.length - 1];
  if (last && last.time === time) points[points.length - 1] = combineRollups(last, point);
  else points.push({ ...point, time });
}

/** Refuses missing, empty and non-SQLite files before SQLite sees them, with a message a person understands. */
function checkHeader(file: string): void {
  if (!existsSync(file)) throw new RecordingError(file, 'the file does not exist');
  const header = Buffer.alloc(16);
  let descriptor: number | undefined;
  try {
    descriptor = openSync(file, 'r');
    const read = readSync(descriptor, header, 0, 16, 0);
    if (read === 0) throw new RecordingError(file, 'the file is empty');
    if (read < 16 || header.toString('latin1') !== sqliteMagic) throw new RecordingError(file, 'it is not a Twinline recording (not an SQLite file)');
  } catch (error) {
    if (error instanceof RecordingError) throw error;
    throw new RecordingError(file, (error as NodeJS.ErrnoException).code ?? String(error));
  } finally {
    if (descriptor !== undefined) closeSync(descriptor);
  }
}
