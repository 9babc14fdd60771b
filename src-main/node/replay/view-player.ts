import type {
  ConnectionStatus,
  Diagnostics,
  FrameBatch,
  HostMethods,
  HostStreams,
  PlantDescription,
  PlayerCommand,
  PlayerState,
  RecordingEntry,
  RecordingSummary,
  SignalTrend,
  StreamName,
  TimelineOverview,
  TwinlineSource,
} from '../../common/contract.ts';
import { maxExportRows, problemKinds, replaySpeeds } from '../../common/contract.ts';
import { exportCsv } from '../recording/export-csv.ts';
import { Health, worseHealth, type HealthCode } from '../../common/health.ts';
import { plantHealthAt, plantRules, type PlantRules } from '../../common/plant-health.ts';
import type { LiveSource } from '../live-source.ts';
import { basename, join } from 'node:path';
import { listRecordings } from '../recording/recording-manager.ts';
import { chartResolution } from '../recording/recording-reader.ts';
import { recordedPlantText, RecordingSequence, sessionFiles } from '../recording/recording-sequence.ts';
import { ReplayCursor } from './replay-cursor.ts';

/** What one view's player is made from. */
export interface ViewPlayerOptions {
  description: PlantDescription;
  /** The live plant; absent when a recording is opened on its own. */
  live?: LiveSource;
  /** The recording to replay: the one being written, or the opened file. */
  recordingFile: () => string | undefined;
  recordingStatus?: () => RecordingSummary | null;
  /** The folder of recordings a view may choose from, by file name. */
  recordingsDirectory?: string;
  /** The plant file's text: of the folder's recordings, only those of this plant are offered (a folder may hold other plants'). */
  plantText?: string;
  tickMs?: number;
  /** Monotonic milliseconds, for playback speed. */
  clock?: () => number;
}

const playerUpdateMs = 250;

/**
 * One view's source: live, or a recorded moment played at any speed. The view talks to it through
 * the same contract either way; only the player stream says which it is.
 */
export class ViewPlayer implements TwinlineSource {
  private readonly options: ViewPlayerOptions;
  private readonly rules: PlantRules;
  private readonly clock: () => number;
  private mode: PlayerState['mode'];
  private playing = false;
  private speed = 1;
  private loop: PlayerState['loop'] = null;
  private history: RecordingSequence | undefined;
  private readonly plantOfFile = new Map<string, boolean>();
  /** A recording the view chose; otherwise the current one. */
  private chosenFile: string | undefined;
  private cursor: ReplayCursor | undefined;
  private lastTick = 0;
  private lastPlayerUpdate = 0;
  private timer: ReturnType<typeof setInterval> | undefined;
  private readonly stopLive: Array<() => void> = [];
  private readonly listeners: { [Stream in StreamName]: Set<(data: HostStreams[Stream]) => void> } = {
    frame: new Set(),
    connection: new Set(),
    diagnostics: new Set(),
    player: new Set(),
  };

  constructor(options: ViewPlayerOptions) {
    this.options = options;
    this.rules = plantRules(options.description.plant);
    this.clock = options.clock ?? (() => performance.now());
    const live = options.live;
    if (live) {
      this.mode = 'live';
      this.stopLive.push(
        live.subscribe('frame', (frame) => this.mode === 'live' && this.emit('frame', frame)),
        live.subscribe('connection', (connections) => this.mode === 'live' && this.emit('connection', connections)),
        live.subscribe('diagnostics', (diagnostics) => this.emit('diagnostics', diagnostics)),
      );
    } else {
      this.mode = 'replay';
      this.openCursor(undefined);
    }
    this.timer = setInterval(() => this.tick(), options.tickMs ?? 33);
  }

  describePlant(): PlantDescription {
    return this.options.description;
  }

  snapshot(): FrameBatch {
    if (this.mode === 'live' && this.options.live) return this.options.live.snapshot();
    return this.cursor!.frame(true);
  }

  connections(): ConnectionStatus[] {
    if (this.mode === 'live' && this.options.live) return this.options.live.connections();
    const connected = this.cursor?.connected ?? [];
    return this.history!.brokerIds.map((brokerId, index) => ({
      brokerId,
      url: 'recorded',
      state: connected[index] ? 'connected' : 'disconnected',
      since: this.cursor?.time ?? 0,
      reconnectAttempts: 0,
    }));
  }

  diagnostics(): Diagnostics {
    if (this.options.live) return this.options.live.diagnostics();
    return { messagesReceived: 0, samplesAccepted: 0, problemCounts: Object.fromEntries(problemKinds.map((kind) => [kind, 0])) as Diagnostics['problemCounts'], recentProblems: [] };
  }

  subscribe<Stream extends StreamName>(stream: Stream, listener: (data: HostStreams[Stream]) => void): () => void {
    const set = this.listeners[stream] as Set<(data: HostStreams[Stream]) => void>;
    set.add(listener);
    return () => set.delete(listener);
  }

  player(): PlayerState {
    const range = this.range();
    // Live shows the host's clock; building a snapshot of every signal just for its time would cost a frame's work each update.
    const time = this.mode === 'live' ? (this.options.live?.now() ?? range.end) : (this.cursor?.time ?? range.end);
    return {
      mode: this.mode,
      time,
      playing: this.mode === 'live' || this.playing,
      speed: this.mode === 'live' ? 1 : this.speed,
      range,
      loop: this.loop,
      capabilities: { live: this.options.live !== undefined, replay: this.recordingFile() !== undefined },
      recording: this.options.recordingStatus?.() ?? null,
      replaying: this.recordingFile() === undefined ? null : basename(this.recordingFile()!),
      sessionFiles: this.sessionFileCount(),
    };
  }

  command(command: PlayerCommand): PlayerState {
    switch (command.action) {
      case 'live':
        if (!this.options.live) throw new Error('this is a recording; there is no live plant to return to');
        this.mode = 'live';
        this.closeCursor();
        this.emit('frame', this.options.live.snapshot());
        this.emit('connection', this.options.live.connections());
        break;
      case 'replay':
        if (command.recording !== undefined) this.choose(command.recording);
        this.enterReplay(command.time);
        break;
      case 'play':
        this.enterReplay(undefined);
        this.playing = true;
        this.lastTick = this.clock();
        break;
      case 'pause':
        this.enterReplay(undefined);
        this.playing = false;
        break;
      case 'seek':
        this.enterReplay(undefined);
        this.moveTo(command.time);
        break;
      case 'step':
        this.enterReplay(undefined);
        this.playing = false;
        this.moveTo(this.cursor!.time + command.milliseconds);
        break;
      case 'speed':
        this.speed = Math.min(replaySpeeds.max, Math.max(replaySpeeds.min, command.speed));
        break;
      case 'loop':
        this.loop = command.range;
        break;
    }
    const state = this.player();
    this.emit('player', state);
    return state;
  }

  timeline({ from, to, buckets, machine }: HostMethods['getTimeline']['params']): TimelineOverview {
    const history = this.ensureHistory();
    const range = history.timeRange();
    const bucketMs = Math.max(1, Math.ceil((to - from) / buckets));
    // The health at `from` comes from the recorded state there, by the rules live used: reading every
    // health change since the session began would grow with its length, 2 s after 2 s.
    const start = history.stateAt(from);
    const current: HealthCode[] = plantHealthAt(this.rules, start.signals, start.connected, from).machineHealth;
    const plantHealth: number[] = new Array(buckets).fill(Health.unknown);
    const machineHealth: number[] | null = machine === null ? null : new Array(buckets).fill(Health.unknown);
    const alarms: TimelineOverview['alarms'] = [];
    const worstNow = () => current.reduce<HealthCode>((worst, health) => worseHealth(worst, health), current[0] ?? Health.unknown);
    let bucket = 0;
    const closeBucketsUntil = (time: number) => {
      while (bucket < buckets && from + (bucket + 1) * bucketMs <= time) {
        bucket++;
        if (bucket < buckets) {
          plantHealth[bucket] = worstNow();
          if (machineHealth && machine !== null) machineHealth[bucket] = current[machine] ?? Health.unknown;
        }
      }
    };
    plantHealth[0] = worstNow();
    if (machineHealth && machine !== null) machineHealth[0] = current[machine] ?? Health.unknown;
    for (const event of history.healthEvents(from, to)) {
      closeBucketsUntil(event.time);
      const previous = current[event.machine];
      current[event.machine] = event.health as HealthCode;
      if (bucket < buckets) {
        plantHealth[bucket] = worseHealth(plantHealth[bucket] as HealthCode, event.health as HealthCode);
        if (machineHealth && event.machine === machine) machineHealth[bucket] = worseHealth(machineHealth[bucket] as HealthCode, event.health as HealthCode);
      }
      if (event.health === Health.alarm && previous !== Health.alarm) alarms.push({ time: event.time, machine: event.machine });
    }
    closeBucketsUntil(to + bucketMs);
    return { range, bucketMs, plantHealth, machineHealth, alarms };
  }

  trends({ machine, from, to, points }: HostMethods['getTrends']['params']): SignalTrend[] {
    const signals = this.rules.machineSignals[machine];
    if (!signals) throw new Error(`the plant has no machine ${machine}`);
    const history = this.ensureHistory();
    const resolution = chartResolution(from, to, points);
    return signals.map((signal) => {
      const series = history.seriesAt(signal, from, to, resolution);
      return {
        signal,
        resolution,
        time: series.map((point) => point.time),
        min: series.map((point) => point.min),
        max: series.map((point) => point.max),
        last: series.map((point) => point.last),
      };
    });
  }

  recordings(): RecordingEntry[] {
    const directory = this.options.recordingsDirectory;
    const current = this.options.recordingFile();
    if (!directory) return current ? [{ name: basename(current), bytes: 0, current: true }] : [];
    return listRecordings(directory)
      .filter((entry) => entry.file === current || this.recordsThisPlant(entry.file))
      .map((entry) => ({ name: basename(entry.file), bytes: entry.bytes, current: entry.file === current }));
  }

  /**
   * Whether a recording is of the plant this view shows; remembered, as a finished file never changes.
   * A file that cannot be read stays on the list, so that choosing it says what is wrong with it.
   */
  private recordsThisPlant(file: string): boolean {
    if (this.options.plantText === undefined) return true;
    let matches = this.plantOfFile.get(file);
    if (matches === undefined) {
      const text = recordedPlantText(file);
      matches = text === undefined || text === this.options.plantText;
      this.plantOfFile.set(file, matches);
    }
    return matches;
  }

  exportCsv({ signals, from, to }: HostMethods['exportCsv']['params']): HostMethods['exportCsv']['result'] {
    const chunks: string[] = [];
    let rows = 0;
    // Read through readers of its own, so an export never disturbs the replay cursor.
    const history = this.ensureHistory().fork();
    try {
      rows = exportCsv(history, signals, from, to, (chunk) => {
        chunks.push(chunk);
        if (chunks.length * 64 * 1024 > maxExportRows * 60) throw new Error(`more than ${maxExportRows} rows: narrow the range, or use twinline export`);
      });
    } finally {
      history.close();
    }
    return { csv: chunks.join(''), rows };
  }

  dispose(): void {
    clearInterval(this.timer);
    this.stopLive.forEach((stop) => stop());
    this.closeCursor();
  }

  private range(): { start: number; end: number } {
    try {
      return this.ensureHistory().timeRange();
    } catch {
      const now = Date.now();
      return { start: now, end: now };
    }
  }

  private enterReplay(time: number | undefined): void {
    if (this.mode === 'replay' && this.cursor) {
      if (time !== undefined) this.moveTo(time);
      return;
    }
    this.playing = false;
    try {
      this.openCursor(time);
      this.mode = 'replay';
    } catch (error) {
      // A recording that cannot be read leaves the view where it can still show something: live, if there is one.
      this.chosenFile = undefined;
      this.closeCursor();
      if (this.options.live) this.mode = 'live';
      throw error;
    }
  }

  private openCursor(time: number | undefined): void {
    const history = this.ensureHistory();
    const range = history.timeRange();
    this.cursor = new ReplayCursor(history, this.rules, clamp(time ?? range.end, range.start, range.end));
    this.emit('frame', this.cursor.frame(true));
    this.emit('connection', this.connections());
  }

  /** The file replay reads: the one the view chose, or the current recording. */
  private recordingFile(): string | undefined {
    return this.chosenFile ?? this.options.recordingFile();
  }

  private choose(name: string): void {
    const entry = this.recordings().find((candidate) => candidate.name === name);
    if (!entry) throw new Error(`no recording named ${name}`);
    const directory = this.options.recordingsDirectory;
    const file = directory ? join(directory, entry.name) : this.options.recordingFile();
    if (file === this.recordingFile()) return;
    this.chosenFile = entry.current ? undefined : file;
    // A different file: start its replay afresh.
    this.mode = 'replay';
    this.closeCursor();
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
    const followingLive = this.options.live !== undefined && this.chosenFile === undefined;
    if (this.history && followingLive) {
      try {
        this.history.extend(files);
        if (this.history.includes(file)) return this.history;
      } catch {
        // Not a continuation (another plant, or a pause): start a new history below.
      }
    }
    this.history?.close();
    // Cleared first: if the new history cannot be read, nothing keeps using the closed one.
    this.history = undefined;
    // The host's own recording in progress is trusted; files chosen or opened from elsewhere are checked.
    const history = new RecordingSequence(files, (candidate) => candidate !== this.options.recordingFile() || this.options.live === undefined);
    this.history = history;
    // A replay in progress moves to the new history at the moment it showed.
    if (this.cursor) {
      const range = history.timeRange();
      this.cursor = new ReplayCursor(history, this.rules, clamp(this.cursor.time, range.start, range.end));
    }
    return history;
  }

  private sessionFileCount(): number {
    if (this.recordingFile() === undefined) return 0;
    try {
      return this.ensureHistory().fileCount();
    } catch {
      return 1;
    }
  }

  private closeCursor(): void {
    this.cursor = undefined;
    this.playing = false;
    this.history?.close();
    this.history = undefined;
  }

  private moveTo(time: number): void {
    const range = this.ensureHistory().timeRange();
    this.cursor!.moveTo(clamp(time, range.start, range.end));
    this.emitReplayFrame();
  }

  private emitReplayFrame(): void {
    const frame = this.cursor!.frame(false);
    if (frame.signalIndex.length > 0 || frame.machineIndex.length > 0) this.emit('frame', frame);
    this.emit('connection', this.connections());
  }

  private tick(): void {
    const now = this.clock();
    if (this.mode === 'replay' && this.cursor && this.playing) {
      const range = this.ensureHistory().timeRange();
      let next = this.cursor.time + (now - this.lastTick) * this.speed;
      if (this.loop && next > this.loop.end) next = this.loop.start;
      if (next >= range.end) {
        next = range.end;
        this.playing = false;
      }
      this.cursor.moveTo(next);
      this.emitReplayFrame();
    }
    this.lastTick = now;
    if (now - this.lastPlayerUpdate >= playerUpdateMs) {
      this.lastPlayerUpdate = now;
      if (this.listeners.player.size > 0) this.emit('player', this.player());
    }
  }

  private emit<Stream extends StreamName>(stream: Stream, data: HostStreams[Stream]): void {
    for (const listener of this.listeners[stream] as Set<(data: HostStreams[Stream]) => void>) listener(data);
  }
}

function clamp(value: number, low: number, high: number): number {
  return Math.min(high, Math.max(low, value));
}
