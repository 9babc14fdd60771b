import type { Annotation } from '../../common/annotations/annotation.ts';
import { saveIncident } from '../packages/save-incident.ts';
import { basename, join } from 'node:path';
import type { ChartSeries, ConnectionStatus, FrameBatch, HostMethods, PlayerState, RecordingEntry, SignalTrend, TimelineOverview } from '../../common/contract.ts';
import { replaySpeeds } from '../../common/contract.ts';
import { encodeFrameEventBytes } from './frame-event-bytes.ts';
import { plantRules, type PlantRules } from '../../common/plant-health.ts';
import type { AlarmSnapshot } from '../../common/alarms/alarm-record.ts';
import type { Plant } from '../../common/plant-schema.ts';
import { chartResolution } from '../recording/recording-reader.ts';
import { RecordingSequence, sessionFiles } from '../recording/recording-sequence.ts';
import { chartBuckets } from './chart-buckets.ts';
import { csvChunks } from './csv-export-chunks.ts';
import { alarmJournalChunks } from './alarm-journal-chunks.ts';
import type { ForecastSnapshot } from '../../common/forecast/forecast-record.ts';
import { ReplayForecasts } from '../forecast/replay-forecasts.ts';
import { RecordingCatalog } from './recording-catalog.ts';
import { ReplayCursor } from './replay-cursor.ts';
import { timelineOverview } from './timeline-overview.ts';
import { shiftSummary } from './shift-summary.ts';
import type { ShiftSummary } from '../../common/shift-summary.ts';

/** What a replay session is made from; plain data, so it crosses into a worker thread. */
export interface ReplaySessionOptions {
  plant: Plant;
  /** Whether a live plant stands beside the replay (then the live recording is trusted and followed across rollovers). */
  hasLive: boolean;
  /** The folder of recordings a view may choose from, by file name. */
  recordingsDirectory?: string;
  /** The plant file's text: of the folder's recordings, only those of this plant are offered. */
  plantText?: string;
}

/** The replay half of a player's state, as the session reports it after every step. */
export interface ReplayStatus {
  /** Whether a recorded moment is shown (a cursor is open). */
  active: boolean;
  time: number;
  playing: boolean;
  speed: number;
  range: { start: number; end: number };
  loop: PlayerState['loop'];
  /** File name replay reads, or null when nothing is recorded. */
  replaying: string | null;
  sessionFiles: number;
  problem: string | null;
}

/**
 * What a step of the session changed: its status, and the frame (encoded here, in the worker, as the
 * UTF-8 bytes of the text a view receives: they are transferred and the host's thread only passes
 * them on) and connections a view must be sent.
 */
export interface ReplayUpdate {
  status: ReplayStatus;
  frame: Uint8Array | null;
  connections: ConnectionStatus[] | null;
  /** The alarms at the cursor, when they differ from the last ones sent (always on entering a moment). */
  alarms: AlarmSnapshot | null;
  /** The forecasts at the cursor, when they differ from the last ones sent (always on entering a moment). */
  forecast?: ForecastSnapshot | null;
}

/**
 * One view's replay: the recorded history (a session of files), a cursor in it, playback, and every
 * read the timeline, charts, listing and export make. It runs in a worker thread, off the ingest
 * loop; every method is synchronous and throws a clear error that ends only the request that asked.
 */
export class ReplaySession {
  private readonly options: ReplaySessionOptions;
  private readonly rules: PlantRules;
  /** The file replay reads when the view chose none: the live recording being written, or the opened file. */
  private baseFile: string | undefined;
  private chosenFile: string | undefined;
  private history: RecordingSequence | undefined;
  private cursor: ReplayCursor | undefined;
  private readonly catalog: RecordingCatalog;
  private playing = false;
  private speed = 1;
  private loop: PlayerState['loop'] = null;
  private lastTick = 0;
  private problem: string | null = null;
  private exporting: Iterator<string, number> | undefined;
  /** The alarms last sent (flood and records, as text), so an update carries them only when they changed. */
  private sentAlarms: string | undefined;
  private readonly forecasts: ReplayForecasts;
  /** The cursor time whose forecasts a jump left to be read after its answer; undefined when none are. */
  private forecastDue: number | undefined;
  /** Whether the view was told the forecasts at the cursor are pending, and has not had them since. */
  private pendingSent = false;

  constructor(options: ReplaySessionOptions) {
    this.options = options;
    this.rules = plantRules(options.plant);
    this.catalog = new RecordingCatalog(options.recordingsDirectory, options.plantText);
    this.forecasts = new ReplayForecasts(options.plant);
  }

  /**
   * Tells the session which file the live recording writes now (it changes at rollovers). When
   * recording stops, the last file stays replayable: it is still on disk.
   */
  setBaseFile(file: string | undefined): void {
    if (file !== undefined) this.baseFile = file;
  }

  /** The session's state; reading the range is cheap (two primary-key lookups). */
  status(): ReplayStatus {
    const file = this.recordingFile();
    let range = { start: 0, end: 0 };
    let sessionFiles = 0;
    if (file !== undefined) {
      try {
        const history = this.ensureHistory();
        range = history.timeRange();
        sessionFiles = history.fileCount();
      } catch (error) {
        this.problem = describe(error);
        sessionFiles = 1;
      }
    }
    return {
      active: this.cursor !== undefined,
      time: this.cursor?.time ?? range.end,
      playing: this.playing,
      speed: this.speed,
      range,
      loop: this.loop,
      replaying: file === undefined ? null : basename(file),
      sessionFiles,
      problem: this.problem,
    };
  }

  /** Starts showing a recorded moment (default: the newest), optionally of another recording of the folder. */
  enter(time: number | undefined, recording: string | undefined): ReplayUpdate {
    if (recording !== undefined) this.choose(recording);
    if (this.cursor) {
      if (time === undefined) return this.update(null);
      return this.moveTo(time);
    }
    this.playing = false;
    this.problem = null;
    try {
      const history = this.ensureHistory();
      const range = history.timeRange();
      this.cursor = new ReplayCursor(history, this.rules, clamp(time ?? range.end, range.start, range.end));
    } catch (error) {
      // A recording that cannot be read leaves the view where it was; the caller returns it to live.
      this.chosenFile = undefined;
      this.leave();
      throw error;
    }
    this.sentAlarms = undefined;
    this.forecasts.reset();
    this.forecastDue = undefined;
    this.pendingSent = false;
    return { status: this.status(), frame: encodeFrameEventBytes(this.cursor.frame(true)), connections: this.connections(), alarms: this.changedAlarms(), forecast: this.forecastAt(this.cursor.time) };
  }

  /** The alarms as recorded at the cursor (or at the recording's end before a moment is chosen). */
  alarms(): AlarmSnapshot {
    const time = this.cursor?.time ?? this.ensureHistory().timeRange().end;
    const recorded = this.ensureHistory().alarmsAt(time);
    return { time, flood: recorded.flood, alarms: recorded.alarms };
  }

  /** The alarms at the cursor if they differ from those last sent. */
  private changedAlarms(): AlarmSnapshot | null {
    const snapshot = this.alarms();
    const text = JSON.stringify([snapshot.flood, snapshot.alarms]);
    if (text === this.sentAlarms) return null;
    this.sentAlarms = text;
    return snapshot;
  }

  /** Stops replaying and releases the files. */
  leave(): void {
    this.forecasts.reset();
    this.forecastDue = undefined;
    this.pendingSent = false;
    this.cursor = undefined;
    this.playing = false;
    this.exporting = undefined;
    this.history?.close();
    this.history = undefined;
  }

  /** Moves the cursor to `time`, within what was recorded. */
  seek(time: number): ReplayUpdate {
    return this.moveTo(time);
  }

  /** Moves by `milliseconds` and pauses. */
  step(milliseconds: number): ReplayUpdate {
    this.playing = false;
    return this.moveTo(this.requireCursor().time + milliseconds);
  }

  /** Plays forward at the session's speed from `now` (monotonic milliseconds). */
  play(now: number): ReplayUpdate {
    this.requireCursor();
    this.playing = true;
    this.lastTick = now;
    return this.update(null);
  }

  pause(): ReplayUpdate {
    this.playing = false;
    return this.update(null);
  }

  setSpeed(speed: number): ReplayUpdate {
    this.speed = Math.min(replaySpeeds.max, Math.max(replaySpeeds.min, speed));
    return this.update(null);
  }

  setLoop(range: PlayerState['loop']): ReplayUpdate {
    this.loop = range;
    return this.update(null);
  }

  /**
   * Advances playback to `now`; undefined when not playing. A failure stops playback with the reason
   * in the status, so one damaged stretch ends this view's playing, never the host.
   */
  tick(now: number): ReplayUpdate | undefined {
    const elapsed = now - this.lastTick;
    this.lastTick = now;
    if (!this.cursor || !this.playing) return undefined;
    try {
      const range = this.ensureHistory().timeRange();
      let next = this.cursor.time + elapsed * this.speed;
      if (this.loop && next > this.loop.end) next = this.loop.start;
      if (next >= range.end) {
        next = range.end;
        this.playing = false;
      }
      this.cursor.moveTo(next);
      return this.update(this.cursor.frame(false));
    } catch (error) {
      this.playing = false;
      this.problem = `Replay stopped: ${describe(error)}`;
      return this.update(null);
    }
  }

  /** Whether playback is running (ticks move the cursor). */
  get isPlaying(): boolean {
    return this.playing;
  }

  /** Everything at the cursor, for a view that (re)starts. */
  snapshot(): FrameBatch {
    return this.requireCursor().frame(true);
  }

  /** Everything at the cursor as a frame event's bytes, for a view that fell behind on frames. */
  encodedSnapshot(): Uint8Array {
    return encodeFrameEventBytes(this.snapshot());
  }

  /** Broker connections at the cursor, as recorded. */
  connections(): ConnectionStatus[] {
    const connected = this.cursor?.connected ?? [];
    const time = this.cursor?.time ?? 0;
    return (this.history?.brokerIds ?? []).map((brokerId, index) => ({
      brokerId,
      url: 'recorded',
      state: connected[index] ? 'connected' : 'disconnected',
      since: time,
      reconnectAttempts: 0,
      // What the live connection spoke is not recorded; replay reads no broker.
      protocol: 4,
      subscriptions: 0,
      warnings: [],
    }));
  }

  timeline(params: HostMethods['getTimeline']['params']): TimelineOverview {
    return timelineOverview(this.ensureHistory(), this.rules, params);
  }

  /** The shift summary of a range of the recording. */
  shiftSummary(params: HostMethods['getShiftSummary']['params']): ShiftSummary {
    return shiftSummary(this.ensureHistory(), this.rules, params);
  }

  trends({ machine, from, to, points }: HostMethods['getTrends']['params']): SignalTrend[] {
    const signals = this.rules.machineSignals[machine];
    if (!signals) throw new Error(`the plant has no machine ${machine}`);
    const history = this.ensureHistory();
    const resolution = chartResolution(from, to, points);
    return signals.map((signal) => {
      const series = history.seriesAt(signal, from, to, resolution);
      return { signal, resolution, time: series.map((point) => point.time), min: series.map((point) => point.min), max: series.map((point) => point.max), last: series.map((point) => point.last) };
    });
  }

  /** Chosen signals' min/max charts over a range, in `buckets` equal buckets (signals outside the plant are refused). */
  chart({ signals, from, to, buckets }: HostMethods['getChart']['params']): ChartSeries[] {
    const count = this.rules.rules.length;
    for (const signal of signals) if (signal >= count) throw new Error(`the plant has no signal ${signal}`);
    const history = this.ensureHistory();
    return signals.map((signal) => chartBuckets(history, signal, from, to, buckets));
  }

  /** The annotations pinned from `from` to `to` in the recording being replayed (or the live one's session). */
  annotations(from: number, to: number): Annotation[] {
    // Before the first file is made there is nothing to read, and nothing pinned yet.
    if (!this.recordingFile()) return [];
    return this.ensureHistory().annotations(from, to);
  }

  /** Writes an incident package of a range of the recording shown into the recordings folder's `incidents` folder. */
  saveIncident(params: HostMethods['saveIncident']['params']): HostMethods['saveIncident']['result'] {
    const file = this.recordingFile();
    const directory = this.options.recordingsDirectory;
    if (!file || !directory) throw new Error('nothing has been recorded yet');
    return saveIncident(file, directory, params);
  }

  /** The recordings of the folder that record this plant (the live one always). */
  recordings(): RecordingEntry[] {
    return this.catalog.entries(this.baseFile);
  }

  /**
   * Starts an export and returns its first chunk of CSV text (null when it is done). Reads through a
   * history of its own, so an export never disturbs the replay cursor; the rest comes by `exportNext`.
   */
  exportStart({ signals, from, to }: HostMethods['exportCsv']['params']): string | null {
    const history = this.ensureHistory().fork();
    this.exportedRows = 0;
    this.exporting = csvChunks(history, signals, from, to);
    return this.exportNext();
  }

  /** Starts an export of the alarm journal of a range, as `exportStart` does for samples; the rest comes by `exportNext`. */
  journalStart({ from, to }: HostMethods['exportAlarmJournal']['params']): string | null {
    const history = this.ensureHistory().fork();
    this.exportedRows = 0;
    this.exporting = alarmJournalChunks(history, from, to);
    return this.exportNext();
  }

  /** The export's next chunk, or null when it is done (its row count is then in `exportedRows`). */
  exportNext(): string | null {
    if (!this.exporting) throw new Error('no export is running');
    try {
      const next = this.exporting.next();
      if (!next.done) return next.value;
      this.exportedRows = next.value;
      this.exporting = undefined;
      return null;
    } catch (error) {
      this.exporting = undefined;
      throw error;
    }
  }

  /** Rows the last finished export wrote. */
  exportedRows = 0;

  /** Stops an export part way (the view went away). */
  exportCancel(): void {
    this.exporting?.return?.(0);
    this.exporting = undefined;
  }

  close(): void {
    this.exportCancel();
    this.leave();
  }

  private requireCursor(): ReplayCursor {
    if (!this.cursor) throw new Error('not replaying: choose a moment on the timeline first');
    return this.cursor;
  }

  private moveTo(time: number): ReplayUpdate {
    const cursor = this.requireCursor();
    const range = this.ensureHistory().timeRange();
    cursor.moveTo(clamp(time, range.start, range.end));
    return this.update(cursor.frame(false));
  }

  private update(frame: FrameBatch | null): ReplayUpdate {
    const changed = frame !== null && (frame.signalValue.length > 0 || frame.machineHealth.length > 0);
    return { status: this.status(), frame: changed ? encodeFrameEventBytes(frame) : null, connections: frame ? this.connections() : null, alarms: frame ? this.changedAlarms() : null, forecast: frame && this.cursor ? this.forecastAt(this.cursor.time) : null };
  }

  /**
   * The forecasts to send with a step to `time`: read at once when near those read last (playing
   * forward), else left due, read after the answer (`readDueForecasts`), and sent as pending
   * meanwhile, once, so that no other moment's are shown as this one's.
   */
  private forecastAt(time: number): ForecastSnapshot | null {
    if (this.forecastDue === undefined && this.forecasts.near(this.ensureHistory(), time)) return this.forecasts.changed(this.ensureHistory(), time) ?? null;
    this.forecastDue = time;
    if (this.pendingSent) return null;
    this.pendingSent = true;
    return this.forecasts.pending(time);
  }

  /** Whether the forecasts at the cursor are still to be read. */
  get forecastsDue(): boolean {
    return this.forecastDue !== undefined && this.cursor !== undefined;
  }

  /**
   * Reads the forecasts a jump left due, asking `interrupted` after each decoded block; the update
   * carrying them, or undefined when interrupted (they stay due) or none were due. Where the window
   * cannot be read, the update carries none (no longer pending) and the status says why.
   */
  readDueForecasts(interrupted: () => boolean): ReplayUpdate | undefined {
    const time = this.forecastDue;
    if (time === undefined || !this.cursor) return undefined;
    let forecast: ForecastSnapshot | null | undefined;
    try {
      forecast = this.forecasts.changed(this.ensureHistory(), time, interrupted);
    } catch (error) {
      this.forecastDue = undefined;
      this.pendingSent = false;
      // Pending no longer: none are shown, and the status says why.
      this.problem = `The forecasts at this moment could not be read: ${describe(error)}`;
      return { ...this.update(null), forecast: { time, forecasts: [] } };
    }
    if (forecast === undefined) return undefined;
    this.forecastDue = undefined;
    this.pendingSent = false;
    return { status: this.status(), frame: null, connections: null, alarms: null, forecast };
  }

  /** The file replay reads: the one the view chose, or the base file. */
  private recordingFile(): string | undefined {
    return this.chosenFile ?? this.baseFile;
  }

  private choose(name: string): void {
    const entry = this.recordings().find((candidate) => candidate.name === name);
    if (!entry) throw new Error(`no recording named ${name}`);
    const directory = this.options.recordingsDirectory;
    const file = directory ? join(directory, entry.name) : this.baseFile;
    if (file === this.recordingFile()) return;
    this.chosenFile = entry.current ? undefined : file;
    // A different file: its replay starts afresh.
    this.leave();
  }

  /**
   * The history replay reads: the chosen file, or the live recording, with the files before and
   * after it of the same session. When the live recording rolls over, the new file joins the
   * history in place, so a replay in progress carries on across the boundary.
   */
  private ensureHistory(): RecordingSequence {
    const file = this.recordingFile();
    if (!file) throw new Error('nothing has been recorded yet');
    if (this.history?.includes(file)) return this.history;
    const directory = this.options.recordingsDirectory;
    const files = directory ? sessionFiles(directory, file) : [file];
    const followingLive = this.options.hasLive && this.chosenFile === undefined;
    if (this.history && followingLive) {
      try {
        this.history.extend(files);
        if (this.history.includes(file)) return this.history;
      } catch (error) {
        // Not a continuation (another plant, or a pause): a new history starts below, and says why.
        this.problem = `A new recording session began: ${describe(error)}`;
      }
    }
    this.history?.close();
    // Cleared first: if the new history cannot be read, nothing keeps using the closed one.
    this.history = undefined;
    // The host's own recording in progress is trusted; files chosen or opened from elsewhere are checked.
    const trusted = this.options.hasLive ? this.baseFile : undefined;
    const history = new RecordingSequence(files, (candidate) => candidate !== trusted);
    this.history = history;
    // A replay in progress moves to the new history at the moment it showed.
    if (this.cursor) {
      const range = history.timeRange();
      this.cursor = new ReplayCursor(history, this.rules, clamp(this.cursor.time, range.start, range.end));
    }
    return history;
  }
}

function clamp(value: number, low: number, high: number): number {
  return Math.min(high, Math.max(low, value));
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
