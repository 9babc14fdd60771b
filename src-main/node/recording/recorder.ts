import { closeSync, existsSync, openSync, renameSync, rmSync, statSync } from 'node:fs';
import { DatabaseSync, type StatementSync } from 'node:sqlite';
import type { SignalMetadata } from '../../common/contract.ts';
import { applySample, type SignalRuleState } from '../../common/health.ts';
import type { Limits, Plant } from '../../common/plant-schema.ts';
import { encodeEvents, encodeKeyframe } from './chunk-codec.ts';
import type { Annotation } from '../../common/annotations/annotation.ts';
import { writeAnnotations } from '../annotations/recorded-annotations.ts';
import type { AlarmRow } from './recorded-alarms.ts';
import { EventBuffer } from './event-buffer.ts';
import { RollupAccumulator, type HourRow, type MinuteRow } from './rollup-accumulator.ts';
import { createRecordingSchema } from './recording-schema.ts';

/** What a recording is made from: the plant as written, its models, and the signal order. */
export interface RecordingSource {
  plant: Plant;
  /** The plant file's text, embedded so the recording opens anywhere. */
  plantText: string;
  plantFileName: string;
  /** Model files by name, embedded likewise. */
  models: ReadonlyMap<string, Uint8Array>;
  signalKeys: readonly string[];
  brokerIds: readonly string[];
}

/** How a recorder cuts its file. */
export interface RecorderOptions {
  /** Length of a chunk: a keyframe is written at each start (default 10 s). */
  chunkMs?: number;
  /**
   * Events after which a chunk ends early, at the next new millisecond (default 50,000): a seek
   * decodes one chunk's events, so this bounds its cost on a busy plant as `chunkMs` does on a quiet one.
   */
  maxChunkEvents?: number;
  /** When the file is made (ms since the epoch; default now), on the clock its events will use. */
  createdAt?: number;
  /** The file (its name) this one continues after a rollover: how a session's files know each other. */
  continues?: string;
  /** The most pages the file may take (SQLite's max_page_count): writing beyond fails as a full disk does. For tests. */
  maxPages?: number;
  /** State carried over from the previous file when recordings roll over, so the new one starts complete. */
  initialState?: { signals: ReadonlyArray<SignalRuleState | undefined>; connected: readonly boolean[]; time: number };
  /** What the sources said about their signals when the file starts (carried over at a rollover). */
  signalMetadata?: readonly SignalMetadata[];
  /**
   * Where the file's first chunk starts, with a keyframe of `initialState`, even when no event falls
   * on that millisecond: an incident package holds its range from its very first moment.
   */
  startsAt?: number;
}

/** What the recorder has done, for the status bar. */
export interface RecorderStatus {
  file: string;
  bytes: number;
  samplesTotal: number;
  /** Set once recording has stopped on an error; the live view goes on without it. */
  error?: string;
}

const minuteMs = 60_000;

/** Suffix of a recording file while it is being made; readers never list it. */
export const partialRecordingSuffix = '.partial';
/**
 * Events after which a recorder ends a chunk, at the next new millisecond, unless told otherwise.
 *
 * At 50k samples/s a 10 s chunk holds 500k events, and a seek decodes up to all of them (p95 53 ms
 * on the build machine). Ending chunks at 50k events brought seek p95 to 10 ms there (100k: 16 ms),
 * room for a loaded machine; the price is a keyframe per 50k events (5,000 signals: +0.4 B/sample).
 */
export const defaultMaxChunkEvents = 50_000;

/**
 * Appends live telemetry to a recording file. Events are buffered in memory and written by
 * `commit()` in one transaction per batch (WAL, synchronous=NORMAL: an application crash loses
 * at most the uncommitted batch; a power loss may lose the last commits).
 */
export class Recorder {
  readonly file: string;
  private readonly database: DatabaseSync;
  private readonly chunkMs: number;
  private readonly maxChunkEvents: number;
  private readonly limits: Array<Limits | undefined>;
  private readonly ruleStates: Array<SignalRuleState | undefined>;
  private readonly connected: boolean[];
  private readonly pending = new EventBuffer();
  private pendingHealth: Array<[number, number, number]> = [];
  private pendingAlarms: AlarmRow[] = [];
  private pendingAnnotations: Annotation[] = [];
  private chunkStart: number | undefined;
  private chunkEvents = 0;
  private previousScaled = new Map<number, number>();
  private lastTime = 0;
  private samplesTotal = 0;
  private readonly rollups: RollupAccumulator;
  // The minute being accumulated; earlier minutes are finished and wait in the rows below for a commit.
  private openMinute = Number.NEGATIVE_INFINITY;
  private readonly finishedMinutes: MinuteRow[] = [];
  private readonly finishedHours: HourRow[] = [];
  private rollupsUntil = 0;
  // Minutes before this move from rollups_recent to rollups_minute at the next commit.
  private settleMinutesBefore: number | undefined;
  private readonly unwrittenChunks: Array<[number, Buffer]> = [];
  private readonly unwrittenParts: Array<[number, number, number, Buffer]> = [];
  private failure: string | undefined;
  /** The signal metadata (JSON) to write as a meta row at the next commit, when it changed since the last. */
  private pendingMetadata: string | undefined;
  private readonly statements: Record<'chunk' | 'part' | 'recentMinute' | 'settle' | 'settled' | 'hour' | 'health' | 'alarm' | 'meta', StatementSync>;

  constructor(file: string, source: RecordingSource, options: RecorderOptions = {}) {
    this.file = file;
    this.chunkMs = options.chunkMs ?? 10_000;
    this.maxChunkEvents = options.maxChunkEvents ?? defaultMaxChunkEvents;
    // EEXIST, as for a claim lost (see claimPartialFile): the recording manager then takes the next name.
    if (existsSync(file)) throw Object.assign(new Error(`${file} already exists; a recording is never overwritten`), { code: 'EEXIST' });
    // The file is made whole under a name no reader lists, then renamed into place: a crash while it
    // is being made leaves only a `.partial` (removed at the next start), never a recording no reader opens.
    const partial = `${file}${partialRecordingSuffix}`;
    claimPartialFile(partial);
    let made: DatabaseSync | undefined;
    try {
      made = new DatabaseSync(partial);
      // auto_vacuum must precede everything that writes the file; WAL is set here too, where a crash
      // can leave no journal beside the real name (switching it later writes one).
      made.exec('PRAGMA auto_vacuum = INCREMENTAL; PRAGMA journal_mode = WAL;');
      if (options.maxPages !== undefined) made.exec(`PRAGMA max_page_count = ${Math.max(1, Math.floor(options.maxPages))}`);
      made.exec('BEGIN');
      createRecordingSchema(made);
      const meta: Record<string, string> = {
        format: 'twinline-recording',
        plantText: source.plantText,
        plantFileName: source.plantFileName,
        plantName: source.plant.name,
        signalKeys: JSON.stringify(source.signalKeys),
        brokerIds: JSON.stringify(source.brokerIds),
        chunkMs: String(this.chunkMs),
        createdAt: new Date(options.createdAt ?? Date.now()).toISOString(),
      };
      if (options.continues !== undefined) meta.continues = options.continues;
      if (options.signalMetadata !== undefined && options.signalMetadata.length > 0) meta.signalMetadata = JSON.stringify(options.signalMetadata);
      const insertMeta = made.prepare('INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)');
      for (const [key, value] of Object.entries(meta)) insertMeta.run(key, value);
      const insertModel = made.prepare('INSERT INTO models (file, bytes) VALUES (?, ?)');
      for (const [name, bytes] of source.models) insertModel.run(name, bytes);
      made.exec('COMMIT');
      // Closing the last connection checkpoints the WAL into the file and removes it: the file renamed is whole.
      made.close();
      made = undefined;
      renameSync(partial, file);
    } catch (error) {
      // A file that could not even be started (a full disk, most often) is removed, never left half made.
      made?.close();
      for (const path of [partial, `${partial}-wal`, `${partial}-shm`, `${partial}-journal`]) rmSync(path, { force: true });
      throw error;
    }
    this.database = new DatabaseSync(file);
    try {
      this.database.exec('PRAGMA synchronous = NORMAL;');
      if (options.maxPages !== undefined) this.database.exec(`PRAGMA max_page_count = ${Math.max(1, Math.floor(options.maxPages))}`);
      this.statements = {
        chunk: this.database.prepare('INSERT INTO chunks (start_time, keyframe) VALUES (?, ?)'),
        part: this.database.prepare('INSERT INTO chunk_parts (chunk_start, end_time, event_count, events) VALUES (?, ?, ?, ?)'),
        recentMinute: this.database.prepare('INSERT INTO rollups_recent (minute, signal, buckets) VALUES (?, ?, ?)'),
        settle: this.database.prepare('INSERT INTO rollups_minute (signal, minute, buckets) SELECT signal, minute, buckets FROM rollups_recent WHERE minute < ?'),
        settled: this.database.prepare('DELETE FROM rollups_recent WHERE minute < ?'),
        hour: this.database.prepare('INSERT INTO rollups_hour (signal, hour, first, last, min, max, count) VALUES (?, ?, ?, ?, ?, ?, ?)'),
        health: this.database.prepare('INSERT INTO health_events (time, machine, health) VALUES (?, ?, ?)'),
        alarm: this.database.prepare('INSERT INTO alarm_events (time, alarm, event, operator, reason, record) VALUES (?, ?, ?, ?, ?, ?)'),
        meta: this.database.prepare('INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)'),
      };
      this.limits = source.plant.machines.flatMap((machine) => machine.signals.map((signal) => signal.limits));
      this.ruleStates = options.initialState ? [...options.initialState.signals] : new Array(source.signalKeys.length).fill(undefined);
      this.connected = options.initialState ? [...options.initialState.connected] : source.brokerIds.map(() => false);
      this.rollups = new RollupAccumulator(source.signalKeys.length);
      // Time never runs backwards across a rollover either, even if the wall clock is set back then.
      this.lastTime = options.initialState?.time ?? 0;
      if (options.startsAt !== undefined) {
        this.lastTime = Math.max(this.lastTime, Math.round(options.startsAt));
        this.startChunk(this.lastTime);
      }
    } catch (error) {
      // The file is whole but cannot take writes: closed, and left as the (empty) recording it is.
      this.database.close();
      throw error;
    }
  }

  /** Records one sample. */
  recordSample(signal: number, value: number, time: number): void {
    const at = this.admit(time);
    if (at === undefined) return;
    this.pending.push(at, signal, value);
    this.ruleStates[signal] = applySample(this.ruleStates[signal], this.limits[signal], value, at);
    this.samplesTotal++;
    this.rollups.add(signal, value, at);
  }

  /** Records a broker connecting or disconnecting. */
  recordConnection(broker: number, connected: boolean, time: number): void {
    const at = this.admit(time);
    if (at === undefined) return;
    this.pending.push(at, -1 - broker, connected ? 1 : 0);
    this.connected[broker] = connected;
  }

  /** Records a machine's health changing (for alarm markers and the health strip). */
  recordHealth(machine: number, health: number, time: number): void {
    if (this.failure) return;
    this.pendingHealth.push([Math.max(Math.round(time), this.lastTime), machine, health]);
  }

  /**
   * Records alarm transitions and flood changes as live published them. Their times are kept exactly
   * (never clamped to the samples'), because replay must show the alarms at the moment live did.
   */
  recordAlarmRows(rows: readonly AlarmRow[]): void {
    if (this.failure) return;
    // One by one: a package hands over every alarm row of a quiet stretch at once, past what spreading into arguments can hold.
    for (const row of rows) this.pendingAlarms.push(row);
  }

  /**
   * Makes the file's recorded range reach `time` though nothing happened since its last event (an
   * empty event block ending there), so that a package's last moment is the one it was cut at.
   */
  recordUntil(time: number): void {
    const at = this.admit(time);
    if (at === undefined || this.chunkStart === undefined) return;
    this.bufferPart();
    this.unwrittenParts.push([this.chunkStart, at, 0, encodeEvents(new EventBuffer(), new Map())]);
  }

  /** Records annotations people added (written at the next commit, at their own times). */
  recordAnnotations(annotations: readonly Annotation[]): void {
    if (this.failure) return;
    for (const annotation of annotations) this.pendingAnnotations.push(annotation);
  }

  /** Keeps what the sources now say about their signals (the whole list), written as the meta row `signalMetadata` at the next commit. */
  recordMetadata(metadata: readonly SignalMetadata[]): void {
    if (this.failure) return;
    this.pendingMetadata = JSON.stringify(metadata);
  }

  /** Writes everything buffered as one batch; after it returns, the batch survives a crash. */
  commit(): void {
    const nothingToWrite =
      this.pending.length === 0 &&
      this.pendingHealth.length === 0 &&
      this.pendingAlarms.length === 0 &&
      this.pendingAnnotations.length === 0 &&
      this.finishedMinutes.length === 0 &&
      this.finishedHours.length === 0 &&
      this.unwrittenChunks.length === 0 &&
      this.unwrittenParts.length === 0 &&
      this.settleMinutesBefore === undefined &&
      this.pendingMetadata === undefined;
    if (this.failure || nothingToWrite) return;
    try {
      this.transaction(() => {
        this.writePart();
        for (const [time, machine, health] of this.pendingHealth) this.statements.health.run(time, machine, health);
        this.pendingHealth = [];
        for (const row of this.pendingAlarms) this.statements.alarm.run(Math.round(row.time), row.alarm, row.event, row.operator, row.reason, row.record);
        this.pendingAlarms = [];
        writeAnnotations(this.database, this.pendingAnnotations);
        this.pendingAnnotations = [];
        this.writeRollups();
        this.statements.meta.run('endTime', String(this.lastTime));
        this.statements.meta.run('rollupsUntil', String(this.rollupsUntil));
        if (this.pendingMetadata !== undefined) this.statements.meta.run('signalMetadata', this.pendingMetadata);
        this.pendingMetadata = undefined;
      });
    } catch (error) {
      this.fail(error);
    }
  }

  /** Commits and closes the file; the minute and hour in progress are written as they stand. */
  close(): void {
    if (!this.failure && this.samplesTotal > 0) this.finishRollups(Number.POSITIVE_INFINITY, this.lastTime + 1);
    this.commit();
    try {
      // Settling moved the last hour's minutes out of rollups_recent; hand the pages they leave back to the disk.
      if (!this.failure) this.database.exec('PRAGMA incremental_vacuum');
    } catch {
      // Only space is lost; the recording is complete.
    }
    try {
      this.database.close();
    } catch {
      // Already closed after a failure.
    }
  }

  /** Every signal's rule state and broker connection as of the last event, and its time. */
  currentState(): { signals: Array<SignalRuleState | undefined>; connected: boolean[]; time: number } {
    return { signals: [...this.ruleStates], connected: [...this.connected], time: this.lastTime };
  }

  status(): RecorderStatus {
    const size = (path: string) => (existsSync(path) ? statSync(path).size : 0);
    const status: RecorderStatus = { file: this.file, bytes: size(this.file) + size(`${this.file}-wal`), samplesTotal: this.samplesTotal };
    if (this.failure) status.error = this.failure;
    return status;
  }

  /** Clamps time to never run backwards (a wall clock may be set back) and starts chunks as time passes. */
  private admit(time: number): number | undefined {
    if (this.failure) return undefined;
    // Whole milliseconds: the format stores time steps as integers.
    const at = Math.max(Math.round(time), this.lastTime);
    // Chunks are aligned to their length, except a file's first, which starts at its first event:
    // a file then never claims a moment before it began, and a session's files never overlap.
    const aligned = Math.floor(at / this.chunkMs) * this.chunkMs;
    if (this.chunkStart === undefined) this.startChunk(at);
    else if (aligned > this.chunkStart) this.startChunk(aligned);
    // A full chunk ends only where a new millisecond begins: readers find a moment's chunk by its
    // start time, so every event of one millisecond must sit in the chunk that starts at or before it.
    else if (this.chunkEvents >= this.maxChunkEvents && at > this.lastTime) this.startChunk(at);
    this.chunkEvents++;
    const minute = Math.floor(at / minuteMs);
    if (minute > this.openMinute) {
      this.finishRollups(minute, minute * minuteMs);
      this.openMinute = minute;
    }
    this.lastTime = at;
    return at;
  }

  /** Moves every minute before `beforeMinute`, and every hour before its hour, out of the accumulator; rollups then hold everything before `until`. */
  private finishRollups(beforeMinute: number, until: number): void {
    this.finishedMinutes.push(...this.rollups.takeMinutes(beforeMinute));
    const hours = this.rollups.takeHours(Math.floor(beforeMinute / 60));
    this.finishedHours.push(...hours);
    // An hour is over: its minutes settle into their per-signal places (at close, all of them).
    if (hours.length > 0 || beforeMinute === Number.POSITIVE_INFINITY) this.settleMinutesBefore = Number.isFinite(beforeMinute) ? Math.floor(beforeMinute / 60) * 60 : Number.MAX_SAFE_INTEGER;
    this.rollupsUntil = until;
  }

  private startChunk(start: number): void {
    // Events of the old chunk are encoded against its own state before the new keyframe is taken.
    if (this.chunkStart !== undefined) this.bufferPart();
    this.chunkStart = start;
    this.chunkEvents = 0;
    this.previousScaled = new Map();
    this.unwrittenChunks.push([start, encodeKeyframe({ signals: this.ruleStates, connected: this.connected })]);
  }

  /** Encodes the pending events as the next part of the current chunk. */
  private bufferPart(): void {
    if (this.pending.length === 0 || this.chunkStart === undefined) return;
    this.unwrittenParts.push([this.chunkStart, this.pending.lastTime(), this.pending.length, encodeEvents(this.pending, this.previousScaled)]);
    this.pending.clear();
  }

  private writePart(): void {
    this.bufferPart();
    for (const [start, keyframe] of this.unwrittenChunks) this.statements.chunk.run(start, keyframe);
    this.unwrittenChunks.length = 0;
    for (const [start, end, count, events] of this.unwrittenParts) this.statements.part.run(start, end, count, events);
    this.unwrittenParts.length = 0;
  }

  private writeRollups(): void {
    for (const row of this.finishedMinutes) this.statements.recentMinute.run(row.minute, row.signal, row.buckets);
    this.finishedMinutes.length = 0;
    if (this.settleMinutesBefore !== undefined) {
      this.statements.settle.run(this.settleMinutesBefore);
      this.statements.settled.run(this.settleMinutesBefore);
      this.settleMinutesBefore = undefined;
    }
    for (const row of this.finishedHours) this.statements.hour.run(row.signal, row.hour, row.first, row.last, row.min, row.max, row.count);
    this.finishedHours.length = 0;
  }

  private transaction(body: () => void): void {
    this.database.exec('BEGIN');
    try {
      body();
      this.database.exec('COMMIT');
    } catch (error) {
      if (this.database.isTransaction) this.database.exec('ROLLBACK');
      throw error;
    }
  }

  private fail(error: unknown): void {
    const message = error instanceof Error ? error.message : String(error);
    this.failure = `Recording to ${this.file} stopped: ${message}`;
    this.pending.clear();
    this.pendingHealth = [];
  }
}

/** A `.partial` older than this was left by a crash; a file is made in well under a second. */
const stalePartialMs = 60_000;

/**
 * Creates `partial` exclusively, so that two recorders given one name in the same instant (two hosts on
 * one folder) never write one file: the second fails with EEXIST and its caller takes another name,
 * also when the first finished its file under that name before this claim. A leftover of a crash is removed first.
 */
function claimPartialFile(partial: string): void {
  try {
    if (Date.now() - statSync(partial).mtimeMs > stalePartialMs) rmSync(partial, { force: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  closeSync(openSync(partial, 'wx'));
  // Another host may have made and renamed the file between the caller's look and this claim: renaming
  // over it would lose that recording, so the name is given up as taken.
  const file = partial.slice(0, -partialRecordingSuffix.length);
  if (existsSync(file)) {
    rmSync(partial, { force: true });
    throw Object.assign(new Error(`${file} was made by another host meanwhile`), { code: 'EEXIST' });
  }
}
