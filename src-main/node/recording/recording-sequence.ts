import { maxAnnotationsPerRead, type Annotation } from '../../common/annotations/annotation.ts';
import { existsSync } from 'node:fs';
import { basename } from 'node:path';
import type { DatabaseSync } from 'node:sqlite';
import type { SignalRuleState } from '../../common/health.ts';
import type { Plant } from '../../common/plant-schema.ts';
import type { RecordedEvent } from './chunk-codec.ts';
import type { EventSlice, RecordedHealthEvent, RecordedHistory, RecordedState } from './recorded-history.ts';
import { maxAlarmRowsPerRead, tooManyAlarmEvents, type RecordedAlarmEvent, type RecordedAlarms } from './recorded-alarms.ts';
import { DamageLog, type DamagedRange } from './damage-log.ts';
import { openRecordingDatabase } from './open-recording-database.ts';
import { endOfRecordedTime } from './recorded-time.ts';
import { RecordingError } from './recording-error.ts';
import { listRecordings } from './recording-manager.ts';
import { readRecordingMeta, type ParsedPlant } from './recording-meta.ts';
import { appendRollup, maxHealthEventsPerRead, RecordingReader } from './recording-reader.ts';
import { recordedRangeQuery } from './recording-schema.ts';
import type { RollupPoint } from './rollup-codec.ts';

/** What a file contributes to a sequence, read without parsing its plant. */
interface FileSummary {
  file: string;
  plantText: string;
  /** First and last event; NaN while the file has none (just rolled over to). */
  start: number;
  end: number;
  /** When the file was made: where a file with no events stands in a session. */
  created: number;
  /** The name of the file this one continues after a rollover, if it does. */
  continues: string | undefined;
  /** An incident package: a range cut from a session, never part of one (its times overlap the files it was cut from). */
  isPackage: boolean;
}

/** Longest pause between two files for them still to count as one session: a rollover leaves none, a quick restart a few seconds. */
const maxGapMs = 60_000;
/** Files kept open at once; a long session reads the others again when the timeline reaches them. */
const maxOpenReaders = 8;

/**
 * Plant text and time range of a recording, or undefined when it is not a readable one (damaged files
 * are reported when opened in full). Opened as untrusted, as the reader opens it, but without checking
 * every page or parsing the plant: a folder's files are summarized each time it is listed.
 */
function summarize(file: string): FileSummary | undefined {
  let database: DatabaseSync;
  try {
    database = openRecordingDatabase(file, { verify: false });
  } catch (error) {
    // A file that cannot be opened as a recording has no summary; opening it in full says why.
    if (error instanceof RecordingError) return undefined;
    throw error;
  }
  try {
    const meta = readRecordingMeta(database, file);
    const range = database.prepare(recordedRangeQuery).get(endOfRecordedTime, meta.chunkMs) as { start: number | null; end: number | null } | undefined;
    const { plantText, createdAt: created, continues } = meta;
    const isPackage = database.prepare("SELECT 1 FROM meta WHERE key = 'packageRange'").get() !== undefined;
    if (!range || range.start === null) return { file, plantText, start: Number.NaN, end: Number.NaN, created, continues, isPackage };
    return { file, plantText, start: range.start, end: Math.max(range.start, range.end ?? range.start), created, continues, isPackage };
  } catch (error) {
    // Damaged meta or rows: not a readable recording, as above. Anything else is a fault of this reader.
    if (error instanceof RecordingError || (error as { code?: unknown }).code === 'ERR_SQLITE_ERROR') return undefined;
    throw error;
  } finally {
    database.close();
  }
}

/** The plant text a recording was made with, or undefined when the file is not a readable recording. */
export function recordedPlantText(file: string): string | undefined {
  return summarize(file)?.plantText;
}

/**
 * The recordings of `directory` that form one session with `anchor`: the files before and after it,
 * in name (= start time) order, that record the same plant with no pause longer than a minute
 * between them. Files roll over hourly, so this is what makes yesterday's alarm reachable from today.
 */
export function sessionFiles(directory: string, anchor: string): string[] {
  const files = listRecordings(directory).map((entry) => entry.file);
  const index = files.indexOf(anchor);
  const anchored = index < 0 ? undefined : summarize(anchor);
  if (!anchored) return [anchor];
  const session = [anchored];
  // A rollover names the file it continues: a host that kept recording through an outage keeps one
  // session, however long nothing came. Between host runs, only a short pause does (a file with no
  // events stands where it was made).
  const startOf = (summary: FileSummary) => (Number.isNaN(summary.start) ? summary.created : summary.start);
  const endOf = (summary: FileSummary) => (Number.isNaN(summary.end) ? summary.created : summary.end);
  const continues = (earlier: FileSummary, later: FileSummary) =>
    !earlier.isPackage &&
    !later.isPackage &&
    earlier.plantText === later.plantText && (later.continues === basename(earlier.file) || startOf(later) - endOf(earlier) <= maxGapMs);
  for (let before = index - 1; before >= 0; before--) {
    const summary = summarize(files[before]!);
    if (!summary || !continues(summary, session[0]!)) break;
    session.unshift(summary);
  }
  for (let after = index + 1; after < files.length; after++) {
    const summary = summarize(files[after]!);
    if (!summary || !continues(session[session.length - 1]!, summary)) break;
    session.push(summary);
  }
  return session.map((summary) => summary.file);
}

/**
 * Consecutive recordings of one plant read as one history: replay, the timeline and export cross
 * from file to file without the view knowing where one ends. Each file starts with the full state
 * (a rollover carries it over), so any moment is read from the one file that holds it.
 */
export class RecordingSequence implements RecordedHistory {
  readonly plant: Plant;
  readonly signalKeys: readonly string[];
  readonly brokerIds: readonly string[];
  private readonly files: string[];
  private readonly starts: number[];
  private readonly verify: (file: string) => boolean;
  // Applies events with the plant's limits; it touches no file, so it serves even once closed or deleted.
  private readonly applier: RecordingReader;
  private lastStartCheck = 0;
  // Open readers by file, least recently used first.
  private readonly readers = new Map<string, RecordingReader>();
  // Damage found in each file, kept while its reader is closed and opened again.
  private readonly damage: Map<string, DamageLog>;
  // The plant as the first file's reader parsed it: every later file (and a fork's) records the same text, so none parses it again.
  private parsedPlant: ParsedPlant | undefined;

  /**
   * `files` in time order; `verify` says which to check in full when first opened (files from
   * elsewhere); `damage` is where damage found in each file is kept (a fork shares its original's).
   */
  constructor(files: readonly string[], verify: (file: string) => boolean, damage = new Map<string, DamageLog>(), parsedPlant?: ParsedPlant) {
    if (files.length === 0) throw new Error('a recording sequence needs at least one file');
    this.verify = verify;
    this.damage = damage;
    this.parsedPlant = parsedPlant;
    this.files = [...files];
    const first = this.reader(0);
    this.applier = first;
    this.parsedPlant = first.parsedPlant;
    this.plant = first.plant;
    this.signalKeys = first.signalKeys;
    this.brokerIds = first.brokerIds;
    // Summaries give the starts without opening every file in full; NaN until a file has its first event.
    this.starts = this.files.map((file) => summarize(file)?.start ?? Number.NaN);
  }

  get name(): string {
    const first = basename(this.files[0]!);
    return this.files.length === 1 ? first : `${first} and ${this.files.length - 1} later file${this.files.length > 2 ? 's' : ''}`;
  }

  /** How many files the sequence spans. */
  fileCount(): number {
    return this.files.length;
  }

  /** Whether `file` is part of this sequence. */
  includes(file: string): boolean {
    return this.files.includes(file);
  }

  /** The last file, the one a live recording is writing. */
  lastFile(): string {
    return this.files[this.files.length - 1]!;
  }

  /**
   * Continues the sequence with the files of `session` (a session's files in order) after its last
   * one: the files a live recording rolled over to meanwhile. Throws if `session` does not continue it.
   */
  extend(session: readonly string[]): void {
    const last = session.indexOf(this.lastFile());
    if (last < 0) throw new Error(`${session.at(-1) ?? 'nothing'} does not continue ${this.name}`);
    for (const file of session.slice(last + 1)) this.append(file);
  }

  /** Adds the next file; it must record the same plant. */
  private append(file: string): void {
    if (this.includes(file)) return;
    this.files.push(file);
    let reader: RecordingReader;
    try {
      reader = this.reader(this.files.length - 1);
    } catch (error) {
      // A file that cannot be opened does not join: the sequence stays as it was, and the caller hears why.
      this.files.pop();
      this.damage.delete(file);
      throw error;
    }
    if (reader.plantText !== this.applier.plantText) {
      this.files.pop();
      this.readers.delete(file);
      this.damage.delete(file);
      reader.close();
      throw new Error(`${file} records a different plant; it cannot continue ${this.name}`);
    }
    this.starts.push(summarize(file)?.start ?? Number.NaN);
  }

  /** A second sequence over the same files, so a long read (an export) never disturbs this one's readers. */
  fork(): RecordingSequence {
    this.forgetDeletedFiles();
    // What an export finds damaged shows on the timeline too.
    return new RecordingSequence(this.files, () => false, this.damage, this.parsedPlant);
  }

  timeRange(): { start: number; end: number } {
    this.forgetDeletedFiles();
    // The newest file with events ends the range: one just rolled over to has none yet.
    let last = this.files.length - 1;
    while (last > 0 && Number.isNaN(this.startOf(last))) last--;
    const end = this.reader(last).timeRange().end;
    const start = this.starts.find((candidate) => !Number.isNaN(candidate)) ?? this.startOf(0);
    return Number.isNaN(start) ? { start: end, end } : { start, end };
  }

  stateAt(time: number, reuse?: RecordedState): RecordedState {
    return this.reader(this.indexAt(time)).stateAt(time, reuse);
  }

  chunkStartAtOrBefore(time: number): number | undefined {
    return this.reader(this.indexAt(time)).chunkStartAtOrBefore(time);
  }

  *eventsBetween(from: number, to: number): Generator<RecordedEvent> {
    for (const index of this.indicesBetween(from, to)) yield* this.reader(index).eventsBetween(from, to);
  }

  *eventSlicesBetween(from: number, to: number): Generator<EventSlice> {
    for (const index of this.indicesBetween(from, to)) yield* this.reader(index).eventSlicesBetween(from, to);
  }

  apply(code: number, value: number, time: number, signals: Array<SignalRuleState | undefined>, connected: boolean[]): void {
    this.applier.apply(code, value, time, signals, connected);
  }

  healthEvents(from: number, to: number): RecordedHealthEvent[] {
    const events: RecordedHealthEvent[] = [];
    for (const index of this.indicesBetween(from, to)) {
      // One by one: spreading a file's changes into push's arguments overflows the stack past about 100,000.
      for (const event of this.reader(index).healthEvents(from, to)) events.push(event);
      if (events.length > maxHealthEventsPerRead) throw new Error(`more than ${maxHealthEventsPerRead.toLocaleString('en')} machine health changes between ${from} and ${to}; choose a shorter range`);
    }
    return events;
  }

  /**
   * The alarms at `time`, from the file holding it (each file starts with the alarms carried into it),
   * with the changes of `time` or earlier that reached the next file after a rollover.
   */
  alarmsAt(time: number): RecordedAlarms {
    const index = this.indexAt(time);
    const alarms = this.reader(index).alarmsAt(time);
    if (index + 1 < this.files.length) this.reader(index + 1).applyLateAlarmRows(alarms, time);
    return alarms;
  }

  /** Alarm events from `from` to `to`, across the files of the session. */
  alarmEvents(from: number, to: number): RecordedAlarmEvent[] {
    const events: RecordedAlarmEvent[] = [];
    for (const index of this.indicesBetween(from, to)) {
      for (const event of this.reader(index).alarmEvents(from, to)) events.push(event);
      // Bounded across the session as in one file: many files never add up to more than a read may hold.
      if (events.length > maxAlarmRowsPerRead) throw new Error(tooManyAlarmEvents(from, to));
    }
    return events;
  }

  /**
   * Annotations pinned from `from` to `to`, in time order, each once, at most `maxAnnotationsPerRead`.
   * Every file is asked: a note is kept in the file being written when it was added, which may be long
   * after the moment it is pinned to.
   */
  annotations(from: number, to: number): Annotation[] {
    this.forgetDeletedFiles();
    const byId = new Map<string, Annotation>();
    for (let index = 0; index < this.files.length; index++) for (const annotation of this.reader(index).annotations(from, to)) byId.set(annotation.id, annotation);
    return [...byId.values()].sort((a, b) => a.time - b.time || a.createdAt - b.createdAt).slice(0, maxAnnotationsPerRead);
  }

  seriesAt(signal: number, from: number, to: number, resolution: number): RollupPoint[] {
    const points: RollupPoint[] = [];
    // Whole buckets, so one that straddles two files is read from both.
    const first = Math.floor(from / resolution) * resolution;
    const last = (Math.floor(to / resolution) + 1) * resolution - 1;
    for (const index of this.indicesBetween(first, last)) {
      // A bucket that straddles two files is folded into one.
      for (const point of this.reader(index).seriesAt(signal, first, last, resolution)) appendRollup(points, point, resolution);
    }
    return points;
  }

  damagedRanges(from: number, to: number): DamagedRange[] {
    const ranges: DamagedRange[] = [];
    for (const file of this.files) ranges.push(...(this.damage.get(file)?.between(from, to) ?? []));
    return ranges.sort((a, b) => a.start - b.start);
  }

  pauses(from: number, to: number): Array<{ start: number; end: number }> {
    const pauses: Array<{ start: number; end: number }> = [];
    const indices = this.indicesBetween(from, to).filter((index) => !Number.isNaN(this.startOf(index)));
    // A stretch that ends inside a pause still shows that pause: the file after it bounds it.
    const after = this.files.findIndex((_, index) => index > (indices.at(-1) ?? this.files.length) && !Number.isNaN(this.startOf(index)));
    if (after >= 0) indices.push(after);
    for (let position = 1; position < indices.length; position++) {
      const start = this.reader(indices[position - 1]!).timeRange().end;
      const end = this.startOf(indices[position]!);
      if (end > start && end > from && start < to) pauses.push({ start, end });
    }
    return pauses;
  }

  close(): void {
    for (const reader of this.readers.values()) reader.close();
    this.readers.clear();
  }

  /** Drops the oldest files once retention has deleted them (one is always kept: the newest is being written or was opened). */
  private forgetDeletedFiles(): void {
    while (this.files.length > 1 && !existsSync(this.files[0]!)) {
      const file = this.files.shift()!;
      this.starts.shift();
      this.readers.get(file)?.close();
      this.readers.delete(file);
      this.damage.delete(file);
    }
  }

  /** The file holding `time`: the last one with events starting at or before it (files with none hold no moment). */
  private indexAt(time: number): number {
    let found = 0;
    for (let index = 1; index < this.files.length; index++) {
      const start = this.startOf(index);
      if (start <= time) found = index;
      else if (!Number.isNaN(start)) break;
    }
    return found;
  }

  /**
   * The files that may hold events from `from` to `to`: from the last one that started before
   * `from` (strictly: a rollover may leave events of the same millisecond at the end of the file
   * before) to the one holding `to`.
   */
  private indicesBetween(from: number, to: number): number[] {
    let first = 0;
    for (let index = 1; index < this.files.length; index++) {
      const start = this.startOf(index);
      if (start < from) first = index;
      else if (!Number.isNaN(start)) break;
    }
    const last = this.indexAt(to);
    const indices: number[] = [];
    for (let index = first; index <= last; index++) if (index === first || !Number.isNaN(this.startOf(index))) indices.push(index);
    return indices;
  }

  /**
   * When a file's first event was recorded; NaN while it has none. Only the newest file can still
   * gain one, and it is looked at again at most once a second (each look opens the file).
   */
  private startOf(index: number): number {
    const last = index === this.files.length - 1;
    if (Number.isNaN(this.starts[index]) && last && Date.now() - this.lastStartCheck >= 1000) {
      this.lastStartCheck = Date.now();
      this.starts[index] = summarize(this.files[index]!)?.start ?? Number.NaN;
    }
    return this.starts[index]!;
  }

  private reader(index: number): RecordingReader {
    const file = this.files[index]!;
    let reader = this.readers.get(file);
    if (reader) {
      this.readers.delete(file);
    } else {
      let damage = this.damage.get(file);
      if (!damage) this.damage.set(file, (damage = new DamageLog()));
      reader = new RecordingReader(file, { verify: this.verify(file), damage, ...(this.parsedPlant && { parsedPlant: this.parsedPlant }) });
      if (this.readers.size >= maxOpenReaders) {
        const [oldest, oldestReader] = this.readers.entries().next().value!;
        oldestReader.close();
        this.readers.delete(oldest);
      }
    }
    this.readers.set(file, reader);
    return reader;
  }
}
