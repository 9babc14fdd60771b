import { existsSync, statSync } from 'node:fs';
import { DatabaseSync, type StatementSync } from 'node:sqlite';
import { applySample, type SignalRuleState } from '../../common/health.ts';
import type { Limits, Plant } from '../../common/plant-schema.ts';
import { encodeEvents, encodeKeyframe, type RecordedEvent } from './chunk-codec.ts';
import { createRecordingSchema, rollupResolutions } from './recording-schema.ts';

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
  /** State carried over from the previous file when recordings roll over, so the new one starts complete. */
  initialState?: { signals: ReadonlyArray<SignalRuleState | undefined>; connected: readonly boolean[] };
}

/** What the recorder has done, for the status bar. */
export interface RecorderStatus {
  file: string;
  bytes: number;
  samplesTotal: number;
  /** Set once recording has stopped on an error; the live view goes on without it. */
  error?: string;
}

interface OpenBucket {
  bucket: number;
  first: number;
  last: number;
  min: number;
  max: number;
  count: number;
  dirty: boolean;
}

/**
 * Appends live telemetry to a recording file. Events are buffered in memory and written by
 * `commit()` in one transaction per batch (WAL, synchronous=NORMAL: an application crash loses
 * at most the uncommitted batch; a power loss may lose the last commits).
 */
export class Recorder {
  readonly file: string;
  private readonly database: DatabaseSync;
  private readonly chunkMs: number;
  private readonly limits: Array<Limits | undefined>;
  private readonly ruleStates: Array<SignalRuleState | undefined>;
  private readonly connected: boolean[];
  private pending: RecordedEvent[] = [];
  private pendingHealth: Array<[number, number, number]> = [];
  private chunkStart: number | undefined;
  private chunkKeyframe: Buffer | undefined;
  private part = 0;
  private previousScaled = new Map<number, number>();
  private lastTime = 0;
  private samplesTotal = 0;
  private readonly buckets = new Map<number, OpenBucket>();
  private readonly closedBuckets: Array<[number, number, OpenBucket]> = [];
  private failure: string | undefined;
  private readonly statements: {
    chunk: StatementSync;
    part: StatementSync;
    rollup: StatementSync;
    health: StatementSync;
    meta: StatementSync;
  };

  constructor(file: string, source: RecordingSource, options: RecorderOptions = {}) {
    this.file = file;
    this.chunkMs = options.chunkMs ?? 10_000;
    if (existsSync(file)) throw new Error(`${file} already exists; a recording is never overwritten`);
    this.database = new DatabaseSync(file);
    this.database.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;');
    createRecordingSchema(this.database);
    this.statements = {
      chunk: this.database.prepare('INSERT INTO chunks (start_time, keyframe) VALUES (?, ?)'),
      part: this.database.prepare('INSERT INTO chunk_parts (chunk_start, part, end_time, event_count, events) VALUES (?, ?, ?, ?, ?)'),
      rollup: this.database.prepare('INSERT OR REPLACE INTO rollups (signal, resolution, bucket, first, last, min, max, count) VALUES (?, ?, ?, ?, ?, ?, ?, ?)'),
      health: this.database.prepare('INSERT INTO health_events (time, machine, health) VALUES (?, ?, ?)'),
      meta: this.database.prepare('INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)'),
    };
    this.limits = source.plant.machines.flatMap((machine) => machine.signals.map((signal) => signal.limits));
    this.ruleStates = options.initialState ? [...options.initialState.signals] : new Array(source.signalKeys.length).fill(undefined);
    this.connected = options.initialState ? [...options.initialState.connected] : source.brokerIds.map(() => false);
    this.transaction(() => {
      const meta: Record<string, string> = {
        format: 'twinline-recording',
        plantText: source.plantText,
        plantFileName: source.plantFileName,
        plantName: source.plant.name,
        signalKeys: JSON.stringify(source.signalKeys),
        brokerIds: JSON.stringify(source.brokerIds),
        chunkMs: String(this.chunkMs),
        createdAt: new Date().toISOString(),
      };
      for (const [key, value] of Object.entries(meta)) this.statements.meta.run(key, value);
      const insertModel = this.database.prepare('INSERT INTO models (file, bytes) VALUES (?, ?)');
      for (const [name, bytes] of source.models) insertModel.run(name, bytes);
    });
  }

  /** Records one sample. */
  recordSample(signal: number, value: number, time: number): void {
    const at = this.admit(time);
    if (at === undefined) return;
    this.pending.push({ time: at, code: signal, value });
    this.ruleStates[signal] = applySample(this.ruleStates[signal], this.limits[signal], value, at);
    this.samplesTotal++;
    for (let index = 0; index < rollupResolutions.length; index++) this.rollUp(signal, index, value, at);
  }

  /** Records a broker connecting or disconnecting. */
  recordConnection(broker: number, connected: boolean, time: number): void {
    const at = this.admit(time);
    if (at === undefined) return;
    this.pending.push({ time: at, code: -1 - broker, value: connected ? 1 : 0 });
    this.connected[broker] = connected;
  }

  /** Records a machine's health changing (for alarm markers and the health strip). */
  recordHealth(machine: number, health: number, time: number): void {
    if (this.failure) return;
    this.pendingHealth.push([Math.max(time, this.lastTime), machine, health]);
  }

  /** Writes everything buffered as one batch; after it returns, the batch survives a crash. */
  commit(): void {
    if (this.failure || (this.pending.length === 0 && this.pendingHealth.length === 0)) return;
    try {
      this.transaction(() => {
        this.writePart();
        for (const [time, machine, health] of this.pendingHealth) this.statements.health.run(time, machine, health);
        this.pendingHealth = [];
        this.writeRollups();
        this.statements.meta.run('endTime', String(this.lastTime));
      });
    } catch (error) {
      this.fail(error);
    }
  }

  /** Commits and closes the file. */
  close(): void {
    this.commit();
    try {
      this.database.close();
    } catch {
      // Already closed after a failure.
    }
  }

  /** Every signal's rule state and broker connection as of the last event. */
  currentState(): { signals: Array<SignalRuleState | undefined>; connected: boolean[] } {
    return { signals: [...this.ruleStates], connected: [...this.connected] };
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
    const at = Math.max(time, this.lastTime);
    const start = Math.floor(at / this.chunkMs) * this.chunkMs;
    if (this.chunkStart === undefined || start > this.chunkStart) this.startChunk(start);
    this.lastTime = at;
    return at;
  }

  private startChunk(start: number): void {
    // Events of the old chunk are encoded against its own state before the new keyframe is taken.
    if (this.chunkStart !== undefined && this.pending.length > 0) this.bufferPart();
    this.chunkStart = start;
    this.part = 0;
    this.previousScaled = new Map();
    this.chunkKeyframe = encodeKeyframe({ signals: this.ruleStates, connected: this.connected });
    this.unwrittenChunks.push([start, this.chunkKeyframe]);
  }

  private readonly unwrittenChunks: Array<[number, Buffer]> = [];
  private readonly unwrittenParts: Array<[number, number, number, number, Buffer]> = [];

  /** Encodes the pending events as the next part of the current chunk. */
  private bufferPart(): void {
    if (this.pending.length === 0 || this.chunkStart === undefined) return;
    const events = this.pending;
    this.pending = [];
    this.unwrittenParts.push([this.chunkStart, this.part++, events[events.length - 1]!.time, events.length, encodeEvents(events, this.previousScaled)]);
  }

  private writePart(): void {
    this.bufferPart();
    for (const [start, keyframe] of this.unwrittenChunks) this.statements.chunk.run(start, keyframe);
    this.unwrittenChunks.length = 0;
    for (const [start, part, end, count, events] of this.unwrittenParts) this.statements.part.run(start, part, end, count, events);
    this.unwrittenParts.length = 0;
  }

  private rollUp(signal: number, resolutionIndex: number, value: number, time: number): void {
    const resolution = rollupResolutions[resolutionIndex]!;
    const bucket = Math.floor(time / resolution);
    const key = signal * rollupResolutions.length + resolutionIndex;
    const open = this.buckets.get(key);
    if (open && open.bucket === bucket) {
      open.last = value;
      if (value < open.min) open.min = value;
      if (value > open.max) open.max = value;
      open.count++;
      open.dirty = true;
      return;
    }
    if (open?.dirty) this.closedBuckets.push([signal, resolution, open]);
    this.buckets.set(key, { bucket, first: value, last: value, min: value, max: value, count: 1, dirty: true });
  }

  private writeRollups(): void {
    const write = (signal: number, resolution: number, entry: OpenBucket) => {
      this.statements.rollup.run(signal, resolution, entry.bucket, entry.first, entry.last, entry.min, entry.max, entry.count);
      entry.dirty = false;
    };
    for (const [signal, resolution, entry] of this.closedBuckets) write(signal, resolution, entry);
    this.closedBuckets.length = 0;
    for (const [key, entry] of this.buckets) {
      if (entry.dirty) write(Math.floor(key / rollupResolutions.length), rollupResolutions[key % rollupResolutions.length]!, entry);
    }
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
    this.failure = `recording to ${this.file} stopped: ${message}`;
    this.pending = [];
    this.pendingHealth = [];
  }
}
