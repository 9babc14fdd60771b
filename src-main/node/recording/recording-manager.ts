import type { Annotation } from '../../common/annotations/annotation.ts';
import { accessSync, constants, existsSync, lstatSync, mkdirSync, readdirSync, statSync, unlinkSync, type Stats } from 'node:fs';
import { basename, join } from 'node:path';
import type { SignalMetadata } from '../../common/contract.ts';
import type { LiveObserver } from '../live-source.ts';
import type { AlarmRow } from './recorded-alarms.ts';
import { partialRecordingSuffix, Recorder, type RecordingSource } from './recorder.ts';

/** Where and how much to record. */
export interface RecordingOptions {
  directory: string;
  /** Start a new file past this size (default 1 GiB) … */
  maxFileBytes?: number;
  /** … or this age (default 1 h). */
  maxFileMs?: number;
  /** Delete the oldest recordings while all of them exceed this (default 20 GiB). */
  maxTotalBytes?: number;
  /** How often buffered samples are committed (default 1 s): the most a crash can lose. */
  commitIntervalMs?: number;
  clock?: () => number;
  /** The most pages each file may take (SQLite's max_page_count), read at every new file: a disk that fills up, for tests. */
  maxFilePages?: () => number | undefined;
  /** Where failures are reported, with context (default stderr). */
  log?: (line: string) => void;
}

/** What the status bar shows of recording. */
export interface RecordingStatus {
  recording: boolean;
  directory: string;
  file?: string;
  bytes: number;
  samplesTotal: number;
  samplesPerSecond: number;
  error?: string;
}

/** How often retention looks again between rollovers. */
const retentionCheckMs = 60_000;
/** After a failure, recording tries again after this long, doubling up to `longestRetryMs`: the disk may be freed meanwhile. */
const firstRetryMs = 5_000;
const longestRetryMs = 300_000;

/** File extension of recordings. */
export const recordingExtension = '.twinline';

/**
 * Orders recording names as they were made: by their time stamp, and a name made in the same second
 * ("…Z-2", "…Z-10") after the one without a number and in numeric order.
 */
export function compareRecordingNames(a: string, b: string): number {
  const stem = (name: string) => name.replace(/\.twinline$/, '');
  return stem(a).localeCompare(stem(b), 'en', { numeric: true });
}

/** A recording file in a folder; `problem` says why it cannot be read, when it cannot. */
export interface RecordingFileEntry {
  file: string;
  /** Its size with its write-ahead log (0 when it cannot be read). */
  bytes: number;
  modified: number;
  problem?: string;
}

/**
 * Recordings in a folder, oldest first. A name that cannot be read as a file — a link to nothing, a
 * folder, a file without read permission — is listed too, with the reason, so a person choosing it
 * learns what is wrong; listing never throws for what one file is.
 */
export function listRecordings(directory: string): RecordingFileEntry[] {
  let names: string[];
  try {
    names = readdirSync(directory);
  } catch {
    // A folder that does not exist (yet) or cannot be listed holds no recordings to offer.
    return [];
  }
  const entries: RecordingFileEntry[] = [];
  for (const name of names) {
    if (!name.endsWith(recordingExtension)) continue;
    const entry = recordingFileEntry(join(directory, name));
    if (entry) entries.push(entry);
  }
  return entries.sort((a, b) => compareRecordingNames(basename(a.file), basename(b.file)));
}

/** One file's entry, or undefined when it went away since the folder was read. */
function recordingFileEntry(file: string): RecordingFileEntry | undefined {
  let stats: Stats;
  try {
    stats = statSync(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    // stat follows links: a name that is still there is a link to nothing (or to itself).
    if (!lstatSafely(file)) return undefined;
    const problem = code === 'ENOENT' ? 'it is a link to a file that does not exist' : code === 'ELOOP' ? 'it is a link that leads back to itself' : `it cannot be read (${code ?? String(error)})`;
    return { file, bytes: 0, modified: 0, problem };
  }
  if (!stats.isFile()) return { file, bytes: 0, modified: stats.mtimeMs, problem: 'it is not a file' };
  let wal = 0;
  try {
    wal = statSync(`${file}-wal`).size;
  } catch {
    // No write-ahead log: the file is closed or empty.
  }
  const entry: RecordingFileEntry = { file, bytes: stats.size + wal, modified: stats.mtimeMs };
  try {
    accessSync(file, constants.R_OK);
  } catch (error) {
    entry.problem = `it cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)})`;
  }
  return entry;
}

function lstatSafely(file: string): boolean {
  try {
    lstatSync(file);
    return true;
  } catch {
    // Gone between listing the folder and looking at it: nothing to list.
    return false;
  }
}

/**
 * Records everything live sees, continuously: commits once a second, rolls over to a new file by
 * size or age, deletes the oldest files beyond the retention limit. A failure (disk full, folder not
 * writable) stops recording with a visible error; live viewing is never affected.
 */
export class RecordingManager implements LiveObserver {
  private readonly options: Required<Omit<RecordingOptions, 'clock' | 'maxFilePages' | 'log'>> & Pick<RecordingOptions, 'maxFilePages'> & { clock: () => number; log: (line: string) => void };
  private readonly source: RecordingSource;
  private recorder: Recorder | undefined;
  private fileStartedAt = 0;
  private timer: ReturnType<typeof setInterval> | undefined;
  private error: string | undefined;
  private lastTotals: Array<[number, number]> = [];
  private samplesBefore = 0;
  private retentionAppliedAt = 0;
  private retryDelayMs = 0;
  private retryAt = 0;
  /** What the sources last said about their signals: every new file starts with it. */
  private metadata: readonly SignalMetadata[] = [];
  /** Each alarm's (and the flood indicator's) last row: every new file starts with them, so it holds the alarms whole. */
  private readonly latestAlarmRows = new Map<number, AlarmRow>();

  constructor(source: RecordingSource, options: RecordingOptions) {
    this.source = source;
    this.options = {
      directory: options.directory,
      maxFileBytes: options.maxFileBytes ?? 1024 ** 3,
      maxFileMs: options.maxFileMs ?? 3_600_000,
      maxTotalBytes: options.maxTotalBytes ?? 20 * 1024 ** 3,
      commitIntervalMs: options.commitIntervalMs ?? 1000,
      clock: options.clock ?? Date.now,
      maxFilePages: options.maxFilePages,
      log: options.log ?? ((line) => console.error(line)),
    };
  }

  /** Opens the first file and commits once per interval. */
  start(): void {
    this.open();
    this.timer = setInterval(() => this.commitSafely(), this.options.commitIntervalMs);
    this.timer.unref?.();
  }

  /** Opens the first file, for a caller that commits by itself (the recording worker, after each batch). */
  open(): void {
    try {
      mkdirSync(this.options.directory, { recursive: true });
      this.removePartialFiles();
      this.openFile();
    } catch (error) {
      this.fail(`Cannot record in ${this.options.directory}`, error);
    }
  }

  /**
   * Commits as `commit` does, as the boundary every timer and message handler calls: whatever a
   * commit, a rollover or retention throws stops recording with the reason shown, and recording
   * tries again later; live viewing never notices.
   */
  commitSafely(): void {
    try {
      this.commit();
    } catch (error) {
      this.fail('Recording stopped', error);
    }
  }

  stop(): void {
    clearInterval(this.timer);
    if (this.recorder) {
      this.recorder.close();
      this.samplesBefore += this.recorder.status().samplesTotal;
    }
    this.recorder = undefined;
  }

  /** The file being written, for replay while recording goes on. */
  currentFile(): string | undefined {
    return this.recorder?.file;
  }

  onSample(signal: number, value: number, time: number): void {
    this.recorder?.recordSample(signal, value, time);
  }

  onConnection(broker: number, connected: boolean, time: number): void {
    this.recorder?.recordConnection(broker, connected, time);
  }

  onMachineHealth(machine: number, health: number, time: number): void {
    this.recorder?.recordHealth(machine, health, time);
  }

  onMetadata(metadata: readonly SignalMetadata[]): void {
    this.metadata = metadata;
    this.recorder?.recordMetadata(metadata);
  }

  /** Alarm transitions and flood changes as live published them. */
  onAlarmRows(rows: readonly AlarmRow[]): void {
    for (const row of rows) this.latestAlarmRows.set(row.alarm, row);
    this.recorder?.recordAlarmRows(rows);
  }

  /** Annotations people added: written with the next commit into the file being written. */
  onAnnotations(annotations: readonly Annotation[]): void {
    this.recorder?.recordAnnotations(annotations);
  }

  /** Commits the batch, then rolls over and applies retention when due; after a failure, tries a new file when its retry is due. */
  commit(): void {
    const recorder = this.recorder;
    if (!recorder) {
      if (this.error !== undefined && this.options.clock() >= this.retryAt) this.retry();
      return;
    }
    recorder.commit();
    const status = recorder.status();
    if (status.error) {
      // The recorder's message names the file and the problem already.
      this.fail(undefined, new Error(status.error));
      return;
    }
    this.retryDelayMs = 0;
    const now = this.options.clock();
    this.lastTotals.push([now, this.samplesBefore + status.samplesTotal]);
    if (this.lastTotals.length > 6) this.lastTotals.shift();
    const rollOver = status.bytes >= this.options.maxFileBytes || now - this.fileStartedAt >= this.options.maxFileMs;
    if (rollOver) {
      const carried = recorder.currentState();
      this.samplesBefore += status.samplesTotal;
      recorder.close();
      this.recorder = undefined;
      this.openFile(carried, recorder.file);
    }
    // Listing the folder costs a stat per file: at each rollover, and once a minute for files a replay held open.
    if (rollOver || now - this.retentionAppliedAt >= retentionCheckMs) this.applyRetention(now);
  }

  status(): RecordingStatus {
    const current = this.recorder?.status();
    const [first, last] = [this.lastTotals[0], this.lastTotals[this.lastTotals.length - 1]];
    const rate = first && last && last[0] > first[0] ? ((last[1] - first[1]) * 1000) / (last[0] - first[0]) : 0;
    const status: RecordingStatus = {
      recording: this.recorder !== undefined,
      directory: this.options.directory,
      bytes: current?.bytes ?? 0,
      samplesTotal: this.samplesBefore + (current?.samplesTotal ?? 0),
      samplesPerSecond: Math.round(rate),
    };
    if (current) status.file = current.file;
    if (this.error) status.error = this.error;
    return status;
  }

  /** Removes what a crash left of files being made: never a recording, only in the way. */
  private removePartialFiles(): void {
    const marker = `${recordingExtension}${partialRecordingSuffix}`;
    for (const name of readdirSync(this.options.directory)) {
      const at = name.lastIndexOf(marker);
      if (at < 0 || !['', '-wal', '-shm', '-journal'].includes(name.slice(at + marker.length))) continue;
      try {
        unlinkSync(join(this.options.directory, name));
      } catch (error) {
        this.options.log(`Twinline: could not remove ${name}, left by a crash: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  }

  /** Stops recording on an error: shown in the status bar, logged, and tried again after a growing pause. */
  private fail(context: string | undefined, error: unknown): void {
    const reason = error instanceof Error ? error.message : String(error);
    const message = context === undefined ? reason : `${context}: ${reason}`;
    this.error = message;
    const recorder = this.recorder;
    this.recorder = undefined;
    if (recorder) {
      this.samplesBefore += recorder.status().samplesTotal;
      try {
        recorder.close();
      } catch (closeError) {
        this.options.log(`Twinline: closing ${recorder.file} after a failure failed too: ${closeError instanceof Error ? closeError.message : String(closeError)}`);
      }
    }
    this.retryDelayMs = Math.min(longestRetryMs, Math.max(firstRetryMs, this.retryDelayMs * 2));
    this.retryAt = this.options.clock() + this.retryDelayMs;
    this.options.log(`Twinline: ${message} (trying again in ${Math.round(this.retryDelayMs / 1000)} s)`);
  }

  /** Starts a new file after a failure; retention first, since a full disk is the usual cause. */
  private retry(): void {
    this.applyRetention(this.options.clock());
    mkdirSync(this.options.directory, { recursive: true });
    this.openFile();
    this.error = undefined;
    this.options.log(`Twinline: recording again, to ${this.recorder?.file}`);
  }

  private openFile(initialState?: ReturnType<Recorder['currentState']>, previous?: string): void {
    // Named and dated never before the file it follows, so names sort in recording order even if the clock was set back.
    const now = Math.max(this.options.clock(), this.fileStartedAt);
    const stamp = new Date(now).toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z').replace('T', '-');
    let file = join(this.options.directory, `twinline-${stamp}${recordingExtension}`);
    // A file being made (by another host on this folder, such as the one a changed plant file replaces) takes its name too.
    const taken = (candidate: string) => existsSync(`${candidate}${partialRecordingSuffix}`) || listRecordings(this.options.directory).some((entry) => entry.file === candidate);
    let suffix = 2;
    const nextName = () => {
      while (taken(file)) file = join(this.options.directory, `twinline-${stamp}-${suffix++}${recordingExtension}`);
    };
    nextName();
    const maxPages = this.options.maxFilePages?.();
    const limits = maxPages === undefined ? {} : { maxPages };
    const signalMetadata = this.metadata;
    for (let attempt = 1; ; attempt++) {
      try {
        this.recorder = new Recorder(file, this.source, initialState && previous ? { initialState, createdAt: now, continues: basename(previous), signalMetadata, ...limits } : { createdAt: now, signalMetadata, ...limits });
        break;
      } catch (error) {
        // Claimed by another host in the same instant (see Recorder): the next name is free.
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || attempt >= 10) throw error;
        nextName();
      }
    }
    this.fileStartedAt = now;
    // Carried at their own times, which precede anything the new file holds: its alarms at any moment need no file before it.
    if (this.latestAlarmRows.size > 0) this.recorder.recordAlarmRows([...this.latestAlarmRows.values()].map((row) => ({ ...row, event: 'carried' })));
  }

  private applyRetention(now: number): void {
    this.retentionAppliedAt = now;
    const recordings = listRecordings(this.options.directory);
    let total = recordings.reduce((sum, entry) => sum + entry.bytes, 0);
    for (const entry of recordings) {
      if (total <= this.options.maxTotalBytes || entry.file === this.recorder?.file) break;
      // What cannot be read as a file (a folder, a link to nothing) holds no bytes to free and is not ours to delete.
      if (entry.problem !== undefined) continue;
      for (const path of [entry.file, `${entry.file}-wal`, `${entry.file}-shm`]) {
        try {
          unlinkSync(path);
        } catch (error) {
          // A -wal or -shm is absent once a file is closed; anything else (a file a replay holds open on Windows) is tried again next time.
          if ((error as NodeJS.ErrnoException).code !== 'ENOENT') this.options.log(`Twinline: retention could not delete ${path} yet: ${(error as Error).message}`);
        }
      }
      total -= entry.bytes;
    }
  }
}
