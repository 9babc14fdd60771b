import { basename } from 'node:path';
import type {
  AnnotationList,
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
  SignalMetadata,
  SignalTrend,
  ChartSeries,
  StreamName,
  TimelineOverview,
  TwinlineSource,
} from '../../common/contract.ts';
import { emptyProblemCounts, encodeFrameEvent, type EncodedFrameEvent } from '../../common/contract.ts';
import type { AlarmAction, AlarmActionResult } from '../../common/alarms/alarm-contract.ts';
import type { AlarmSnapshot } from '../../common/alarms/alarm-record.ts';
import type { ShiftSummary } from '../../common/shift-summary.ts';
import type { AlarmService } from '../alarm-service.ts';
import type { LiveSource } from '../live-source.ts';
import type { ReplayMethod, ReplayMethods } from './replay-protocol.ts';
import type { ReplayStatus, ReplayUpdate } from './replay-session.ts';
import type { ForecastService } from '../forecast/forecast-service.ts';
import { ReplayWorkerClient, type ReopenRequest } from './replay-worker-client.ts';
import { FrameEventBytes } from './frame-event-bytes.ts';
import type { ReplayTrafficBudget } from './replay-traffic-budget.ts';
import { processLiveFirstGate } from './live-first-gate.ts';
import { replayThreadsBesideLive } from './replay-process-client.ts';

/** What one view's player is made from. */
export interface ViewPlayerOptions {
  description: PlantDescription;
  /** The live plant; absent when a recording is opened on its own. */
  live?: LiveSource;
  /** The live plant's alarms; absent when a recording is opened on its own. */
  liveAlarms?: AlarmService;
  /** The live plant's forecasts; absent when a recording is opened on its own. */
  liveForecasts?: ForecastService;
  /** What the opened recording's sources said about its signals (units, ranges); with a live plant, live's is given instead. */
  recordedMetadata?: SignalMetadata[];
  /** The recording to replay: the one being written, or the opened file. */
  recordingFile: () => string | undefined;
  recordingStatus?: () => RecordingSummary | null;
  /** The folder of recordings a view may choose from, by file name. */
  recordingsDirectory?: string;
  /** The plant file's text: of the folder's recordings, only those of this plant are offered (a folder may hold other plants'). */
  plantText?: string;
  /** Where unexpected errors are reported, with context. */
  log?: (line: string) => void;
  /** Longest a recording read may take before its worker is stopped (default 10 s, or 60 s beside live). */
  readTimeoutMs?: number;
  /** The rate replay's seek frames and export chunks share with the host's other views beside live (none: unlimited); unused without live. */
  replayTraffic?: ReplayTrafficBudget;
}

const playerUpdateMs = 250;
/** Longest a view's request for its player state waits for replay's own status before it is answered with the last one known. */
const statusWaitMs = 3000;
/**
 * Beside live, replay runs only on CPU nothing else wants (the replay process's idle class), so a read
 * that takes a second of CPU may take ten on a machine busy with ingest: its limit is wall time, and a
 * read that runs away costs only that idle CPU until it is stopped.
 */
const besideLiveReadTimeoutMs = 60_000;

/** Live frames encoded once for every view that sends text: the same frame object reaches each view's player. */
const encodedLiveFrames = new WeakMap<FrameBatch, EncodedFrameEvent>();

function encodedLiveFrame(frame: FrameBatch): EncodedFrameEvent {
  let event = encodedLiveFrames.get(frame);
  if (!event) {
    event = encodeFrameEvent(frame);
    encodedLiveFrames.set(frame, event);
  }
  return event;
}

/**
 * One view's source: live, or a recorded moment played at any speed. The view talks to it through
 * the same contract either way; only the player stream says which it is. Live frames pass straight
 * through on the host's thread; everything that reads a recording runs in this view's replay worker,
 * so a slow or hostile file delays or fails only this view, never ingest or the other views.
 */
export class ViewPlayer implements TwinlineSource {
  private readonly options: ViewPlayerOptions;
  private readonly replay: ReplayWorkerClient;
  private mode: PlayerState['mode'];
  /** The replay worker's last word on its state; live mode reads the range and file from it too. */
  private status: ReplayStatus;
  private recordedConnections: ConnectionStatus[] = [];
  private failure: string | null = null;
  private statusRequest: Promise<void> | undefined;
  private readonly timer: ReturnType<typeof setInterval>;
  private readonly stopLive: Array<() => void> = [];
  private disposed = false;
  private readonly listeners: { [Stream in StreamName]: Set<(data: HostStreams[Stream]) => void> } = {
    frame: new Set(),
    connection: new Set(),
    diagnostics: new Set(),
    player: new Set(),
    // The view count comes from the server that holds the connections (withViewCount), never from here.
    views: new Set(),
    metadata: new Set(),
    alarms: new Set(),
    forecast: new Set(),
    // Annotations added live come from the host's annotation service (withAnnotations), never from here.
    annotations: new Set(),
  };
  private readonly encodedFrameListeners = new Set<(event: EncodedFrameEvent) => void>();
  /** A seek is being read in the worker; the next waits in `queuedSeek`. */
  private seeking = false;
  /** The seek being read, settled once it is shown (or failed). */
  private seekInFlight: Promise<void> = Promise.resolve();
  /** The seek to run once the one being read is done; later seeks replace its moment and share its outcome. */
  private queuedSeek: { time: number; waiters: Array<{ resolve(): void; reject(error: unknown): void }> } | undefined;
  /** Seeks answered with a later seek's outcome instead of being read on their own. */
  supersededSeeks = 0;
  /** Beside live, what replay's output to views may take of the ingest loop, which hands it on. */
  private readonly traffic: ReplayTrafficBudget | undefined;
  /** Bytes of the last replayed frame: what the next move is charged before it is read. */
  private lastFrameBytes = 0;
  /** The last command's turn: beside live, commands wait for the budget in the order they came, so a pause never overtakes a play still waiting. */
  private turn: Promise<void> = Promise.resolve();
  /** Counts returns to live: a move still waiting its turn when the view went live is not read. */
  private liveRequests = 0;

  constructor(options: ViewPlayerOptions) {
    this.options = options;
    this.traffic = options.live ? options.replayTraffic : undefined;
    const now = Date.now();
    this.status = { active: false, time: now, playing: false, speed: 1, range: { start: now, end: now }, loop: null, replaying: null, sessionFiles: 0, problem: null };
    this.replay = new ReplayWorkerClient({
      // Beside a live plant, replay gives way while the host's loop is behind; an opened recording has no live to protect.
      data: { plant: options.description.plant, hasLive: options.live !== undefined, recordingsDirectory: options.recordingsDirectory, plantText: options.plantText, liveFirst: options.live ? processLiveFirstGate().shared : undefined },
      // Beside live, replay's threads run in a process of their own at the lowest priority, so that all of its work yields to ingest.
      startThread: options.live ? replayThreadsBesideLive() : undefined,
      onUpdate: (update) => this.applyUpdate(update),
      onFailure: (reason) => this.onReplayFailure(reason),
      onMoved: (reason) => this.report(`a view's ${reason}`),
      reopen: () => this.reopenRequests(),
      timeoutMs: options.readTimeoutMs ?? (options.live ? besideLiveReadTimeoutMs : undefined),
    });
    const live = options.live;
    this.mode = live ? 'live' : 'replay';
    if (live) {
      this.stopLive.push(
        live.subscribe('frame', (frame) => this.mode === 'live' && this.emitFrame(frame)),
        live.subscribe('connection', (connections) => this.mode === 'live' && this.emit('connection', connections)),
        live.subscribe('diagnostics', (diagnostics) => this.emit('diagnostics', diagnostics)),
        // Units and ranges describe the signals, not a moment: live's are shown in replay too.
        live.subscribe('metadata', (metadata) => this.emit('metadata', metadata)),
      );
    }
    const liveAlarms = options.liveAlarms;
    if (liveAlarms) this.stopLive.push(liveAlarms.subscribe((snapshot) => this.mode === 'live' && this.emit('alarms', snapshot)));
    const liveForecasts = options.liveForecasts;
    if (liveForecasts) this.stopLive.push(liveForecasts.subscribe((snapshot) => this.mode === 'live' && this.emit('forecast', snapshot)));
    this.timer = setInterval(() => this.refresh(), playerUpdateMs);
    // An opened recording has no live plant: the view starts in its replay. The worker answers in
    // order, so every request the view sends next finds the replay open.
    if (!live) this.runReplay('enter', {}).catch((error: unknown) => (this.failure = describe(error)));
  }

  describePlant(): PlantDescription {
    return this.options.description;
  }

  async snapshot(): Promise<FrameBatch> {
    if (this.mode === 'live' && this.options.live) return this.options.live.snapshot();
    // A replay worker that failed and started again has no moment open: it opens one where the view was.
    if (!this.status.active) await this.runReplay('enter', { time: this.status.time });
    return this.call('snapshot', {});
  }

  /** The whole state now as an encoded frame: live's, or the replayed moment's, encoded in the replay worker. */
  async encodedSnapshot(): Promise<EncodedFrameEvent> {
    if (this.mode === 'live' && this.options.live) return encodedLiveFrame(this.options.live.snapshot());
    if (!this.status.active) await this.runReplay('enter', { time: this.status.time });
    return new FrameEventBytes(await this.call('encodedSnapshot', {}));
  }

  connections(): ConnectionStatus[] {
    if (this.mode === 'live' && this.options.live) return this.options.live.connections();
    return this.recordedConnections;
  }

  diagnostics(): Diagnostics {
    if (this.options.live) return this.options.live.diagnostics();
    return { messagesReceived: 0, samplesAccepted: 0, problemCounts: emptyProblemCounts(), recentProblems: [], brokers: [] };
  }

  /** Live's word on its signals' units and ranges, or the opened recording's. */
  metadata(): SignalMetadata[] {
    return this.options.live?.metadata() ?? this.options.recordedMetadata ?? [];
  }

  subscribe<Stream extends StreamName>(stream: Stream, listener: (data: HostStreams[Stream]) => void): () => void {
    const set = this.listeners[stream] as Set<(data: HostStreams[Stream]) => void>;
    set.add(listener);
    return () => set.delete(listener);
  }

  subscribeEncodedFrames(listener: (event: EncodedFrameEvent) => void): () => void {
    this.encodedFrameListeners.add(listener);
    return () => this.encodedFrameListeners.delete(listener);
  }

  /** The player's state, with the recorded range read afresh. */
  async player(): Promise<PlayerState> {
    // A view's first player state must not wait on replay, which beside live runs on spare CPU only:
    // on a machine with none, it is answered with what is known, and the periodic update brings the rest.
    let timer: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([this.refreshStatus(), new Promise((resolve) => (timer = setTimeout(resolve, statusWaitMs)))]);
    clearTimeout(timer);
    return this.playerState();
  }

  private playerState(): PlayerState {
    const live = this.mode === 'live' ? this.options.live : undefined;
    const status = this.status;
    return {
      mode: this.mode,
      // Live shows the host's clock; building a snapshot of every signal just for its time would cost a frame's work each update.
      time: live ? live.now() : status.time,
      playing: live !== undefined || status.playing,
      speed: live ? 1 : status.speed,
      range: status.range,
      loop: status.loop,
      capabilities: { live: this.options.live !== undefined, replay: status.replaying !== null || this.options.recordingFile() !== undefined },
      recording: this.options.recordingStatus?.() ?? null,
      replaying: status.replaying,
      sessionFiles: status.sessionFiles,
      problem: this.failure ?? status.problem,
    };
  }

  async command(command: PlayerCommand): Promise<PlayerState> {
    // Commands that move the view run after the seeks sent before them, as they were sent: playing after
    // a drag across the timeline plays from where the drag ended; returning to live (or entering another
    // moment) replaces a seek still waiting, which would otherwise take the view back into replay.
    if (command.action === 'live' || command.action === 'replay') this.dropQueuedSeek();
    if (command.action !== 'seek' && command.action !== 'speed' && command.action !== 'loop') await this.seeksSettled();
    switch (command.action) {
      case 'live':
        if (!this.options.live) throw new Error('this is a recording; there is no live plant to return to');
        this.liveRequests++;
        await this.returnToLive();
        break;
      case 'replay':
        await this.runReplay('enter', { time: command.time, recording: command.recording });
        break;
      case 'play':
        await this.enterReplay();
        await this.runReplay('play', {});
        break;
      case 'pause':
        await this.enterReplay();
        await this.runReplay('pause', {});
        break;
      case 'seek':
        await this.seek(command.time);
        break;
      case 'step':
        await this.enterReplay();
        await this.runReplay('step', { milliseconds: command.milliseconds });
        break;
      case 'speed':
        await this.waitTurn(0);
        this.applyUpdate(await this.call('speed', { speed: command.speed }));
        break;
      case 'loop':
        await this.waitTurn(0);
        this.applyUpdate(await this.call('loop', { range: command.range }));
        break;
    }
    const state = this.playerState();
    this.emit('player', state);
    return state;
  }

  timeline(params: HostMethods['getTimeline']['params']): Promise<TimelineOverview> {
    return this.call('timeline', params);
  }

  /** The shift summary of a recorded range, read in the replay worker. */
  shiftSummary(params: HostMethods['getShiftSummary']['params']): Promise<ShiftSummary> {
    return this.call('shiftSummary', params);
  }

  trends(params: HostMethods['getTrends']['params']): Promise<SignalTrend[]> {
    return this.call('trends', params);
  }

  chart(params: HostMethods['getChart']['params']): Promise<ChartSeries[]> {
    return this.call('chart', params);
  }

  /** The alarms at the moment shown: live's, or as recorded at the replayed moment. */
  async alarms(): Promise<AlarmSnapshot> {
    if (this.mode === 'live' && this.options.liveAlarms) return this.options.liveAlarms.snapshot();
    if (!this.status.active) await this.runReplay('enter', { time: this.status.time });
    return this.call('alarms', {});
  }

  /** An operator's action on the live alarms; refused while this view replays, where what is shown is the past. */
  alarmAction(action: AlarmAction): AlarmActionResult {
    if (!this.options.liveAlarms) throw new Error('a recording\'s alarms cannot be acted on');
    if (this.mode !== 'live') throw new Error('return to live to act on alarms: replay shows them as they were');
    return this.options.liveAlarms.act(action);
  }

  /** The annotations pinned in a range, read from the recording (a recording opened alone can take none). */
  async annotations(params: HostMethods['getAnnotations']['params']): Promise<AnnotationList> {
    return { annotations: await this.call('annotations', params), canAdd: false };
  }

  /** Writes an incident package of a range into the recordings folder (in this view's replay worker, off the ingest loop). */
  saveIncident(params: HostMethods['saveIncident']['params']): Promise<HostMethods['saveIncident']['result']> {
    return this.call('saveIncident', params);
  }

  recordings(): Promise<RecordingEntry[]> {
    return this.call('recordings', {});
  }

  /** Streams the CSV one bounded chunk at a time: the next is read only once the last one is handed on. */
  async exportCsv(params: HostMethods['exportCsv']['params'], write: (chunk: string) => void | Promise<void>): Promise<HostMethods['exportCsv']['result']> {
    return this.streamExport(await this.call('exportStart', params), write);
  }

  /** Streams the alarm journal of a range as CSV, chunk by chunk, from this view's replay worker as the sample export does. */
  async exportAlarmJournal(params: HostMethods['exportAlarmJournal']['params'], write: (chunk: string) => void | Promise<void>): Promise<HostMethods['exportAlarmJournal']['result']> {
    return this.streamExport(await this.call('journalStart', params), write);
  }

  /** Hands on a started export's chunks, reading the next only once the last is taken; cancels it in the worker on failure. */
  private async streamExport(first: { chunk: string | null; rows: number }, write: (chunk: string) => void | Promise<void>): Promise<{ rows: number; bytes: number }> {
    let bytes = 0;
    let next = first;
    try {
      while (next.chunk !== null) {
        if (this.disposed) throw new Error('the view closed during the export');
        const chunkBytes = Buffer.byteLength(next.chunk);
        bytes += chunkBytes;
        await this.traffic?.take(chunkBytes);
        if (this.disposed) throw new Error('the view closed during the export');
        // The next chunk is read once the view has room for it; meanwhile, and between chunks, the ingest loop runs.
        await write(next.chunk);
        await new Promise((resolve) => setImmediate(resolve));
        next = await this.call('exportNext', {});
      }
    } catch (error) {
      if (this.replay.running) await this.call('exportCancel', {}).catch((cancelError: unknown) => this.report(`cancelling an export failed: ${describe(cancelError)}`));
      throw error;
    }
    return { rows: next.rows, bytes };
  }

  dispose(): void {
    this.disposed = true;
    clearInterval(this.timer);
    this.stopLive.forEach((stop) => stop());
    void this.replay.close();
  }

  /**
   * Seeks, one read at a time: a seek that comes while another is read waits, and a later one replaces
   * its moment (dragging across the timeline asks for many); each is answered once the latest is shown.
   */
  private async seek(time: number): Promise<void> {
    if (this.seeking) {
      return new Promise((resolve, reject) => {
        if (this.queuedSeek) {
          this.supersededSeeks++;
          this.queuedSeek.time = time;
          this.queuedSeek.waiters.push({ resolve, reject });
        } else this.queuedSeek = { time, waiters: [{ resolve, reject }] };
      });
    }
    this.seeking = true;
    const read = (async () => {
      try {
        await this.enterReplay();
        await this.runReplay('seek', { time });
      } finally {
        this.seeking = false;
        this.runQueuedSeek();
      }
    })();
    // Later commands only wait for it: its failure reaches its own caller through `read`, returned below.
    this.seekInFlight = read.catch(() => undefined);
    return read;
  }

  /** Waits until no seek is read or waiting (a seek's failure is its own caller's to report). */
  private async seeksSettled(): Promise<void> {
    while (this.seeking) await this.seekInFlight;
  }

  /** Answers a waiting seek's callers without reading it: a later command decides what the view shows. */
  private dropQueuedSeek(): void {
    const queued = this.queuedSeek;
    if (!queued) return;
    this.queuedSeek = undefined;
    // Its earlier moments were counted as they were replaced; its last is answered unread too.
    this.supersededSeeks++;
    for (const waiter of queued.waiters) waiter.resolve();
  }

  private runQueuedSeek(): void {
    const queued = this.queuedSeek;
    if (!queued) return;
    this.queuedSeek = undefined;
    this.seek(queued.time).then(
      () => queued.waiters.forEach((waiter) => waiter.resolve()),
      (error: unknown) => queued.waiters.forEach((waiter) => waiter.reject(error)),
    );
  }

  /** Enters replay at the moment shown, unless already replaying. */
  private async enterReplay(): Promise<void> {
    if (this.mode === 'replay' && this.status.active) return;
    await this.runReplay('enter', {});
  }

  /** Runs a replay step and shows its result; a failure returns the view to live, where there is one. */
  private async runReplay<Method extends 'enter' | 'seek' | 'step' | 'play' | 'pause'>(method: Method, params: ReplayMethods[Method]['params']): Promise<void> {
    const wasLive = this.mode === 'live';
    if (method === 'enter') this.mode = 'replay';
    try {
      // Beside live, a move waits its turn before it is read, not after: its frame is charged as the size
      // of the last one (a frame of every signal after a jump), so the answer is shown as soon as it is
      // read, and replay does not take a held answer for a cursor at rest (whose forecasts it then reads).
      const liveRequests = this.liveRequests;
      await this.waitTurn(method === 'pause' ? 0 : this.lastFrameBytes);
      if (liveRequests !== this.liveRequests || this.disposed) return;
      const update = (await this.call(method, params)) as ReplayUpdate;
      this.failure = null;
      this.mode = 'replay';
      this.applyUpdate(update, true);
    } catch (error) {
      if (this.options.live && (wasLive || method === 'enter')) await this.returnToLive();
      throw error;
    }
  }

  /** Waits until the commands before this one have had their turn and `bytes` fit the budget (at once without one). */
  private waitTurn(bytes: number): Promise<void> {
    const traffic = this.traffic;
    if (!traffic) return Promise.resolve();
    const turn = this.turn.then(() => traffic.take(bytes));
    this.turn = turn;
    return turn;
  }

  private async returnToLive(): Promise<void> {
    const live = this.options.live!;
    this.mode = 'live';
    this.emitFrame(live.snapshot());
    this.emit('connection', live.connections());
    if (this.options.liveAlarms) this.emit('alarms', this.options.liveAlarms.snapshot());
    if (this.options.liveForecasts) this.emit('forecast', this.options.liveForecasts.snapshot());
    if (this.replay.running) {
      try {
        // After any move still waiting its turn, which then finds the view live and is not read.
        await this.waitTurn(0);
        this.status = await this.call('leave', {});
      } catch (error) {
        this.report(`leaving replay failed: ${describe(error)}`);
      }
    }
  }

  /** Requests from the replay worker, told which file the live recording writes now. */
  private call<Method extends ReplayMethod>(method: Method, params: ReplayMethods[Method]['params']): Promise<ReplayMethods[Method]['result']> {
    return this.replay.request(method, params, this.options.recordingFile());
  }

  /** Shows what a replay step produced; `force` shows a frame even if the view had left replay meanwhile. */
  private applyUpdate(update: ReplayUpdate, force = false): void {
    this.status = update.status;
    if (this.mode !== 'replay' && !force) return;
    if (update.connections) this.recordedConnections = update.connections;
    if (update.frame) {
      this.lastFrameBytes = update.frame.byteLength;
      this.emitEncodedFrame(new FrameEventBytes(update.frame));
    }
    if (update.connections) this.emit('connection', update.connections);
    if (update.alarms) this.emit('alarms', update.alarms);
    if (update.forecast) this.emit('forecast', update.forecast);
  }

  /**
   * What brings a new replay worker to where this view's was, when replay moved to a new process (one
   * other programs cannot starve, or back to the idle class): nothing failed, so a view that was
   * replaying opens its moment (in the recording it chose, if not live's), speed and loop again, and
   * plays on if it was playing, instead of returning to live.
   */
  private reopenRequests(): ReopenRequest[] {
    const { active, time, speed, loop, playing, replaying } = this.status;
    if (this.mode !== 'replay' || !active) return [];
    const liveFile = this.options.recordingFile();
    const chosen = replaying !== null && (liveFile === undefined || replaying !== basename(liveFile)) ? replaying : undefined;
    const requests: ReopenRequest[] = [{ method: 'enter', params: { time, recording: chosen } }];
    if (speed !== 1) requests.push({ method: 'speed', params: { speed } });
    if (loop) requests.push({ method: 'loop', params: { range: loop } });
    if (playing) requests.push({ method: 'play', params: {} });
    return requests;
  }

  private onReplayFailure(reason: string): void {
    this.failure = reason;
    this.report(`a view's replay failed: ${reason}`);
    this.status = { ...this.status, active: false, playing: false };
    if (this.options.live && this.mode === 'replay') void this.returnToLive();
    this.emit('player', this.playerState());
  }

  /** The periodic player update, with the replay worker's status refreshed alongside (one request at a time). */
  private refresh(): void {
    try {
      if (this.listeners.player.size > 0) this.emit('player', this.playerState());
      void this.refreshStatus();
    } catch (error) {
      this.report(`updating a view's player failed: ${describe(error)}`);
    }
  }

  /** Asks the replay worker for its status; callers meanwhile share the request in flight. */
  private refreshStatus(): Promise<void> {
    // Nothing to ask before anything is recorded; while playing, the worker's updates carry the status.
    if (this.disposed || (this.options.recordingFile() === undefined && !this.replay.running) || this.status.playing) return Promise.resolve();
    this.statusRequest ??= this.call('status', {})
      .then(
        (status) => void (this.status = status),
        // A failed worker reports itself through onFailure; this request failing with it adds nothing.
        (error: unknown) => void (this.replay.running && this.report(`reading the replay status failed: ${describe(error)}`)),
      )
      .finally(() => (this.statusRequest = undefined));
    return this.statusRequest;
  }

  private report(line: string): void {
    (this.options.log ?? console.error)(line);
  }

  /** A frame as an object: to object listeners as it is, to text listeners encoded (once for all views). */
  private emitFrame(frame: FrameBatch): void {
    this.emit('frame', frame);
    if (this.encodedFrameListeners.size > 0) this.emitEncoded(encodedLiveFrame(frame));
  }

  /** A frame the replay worker encoded: to text listeners as it is, to object listeners (tests, in-process views) decoded. */
  private emitEncodedFrame(event: EncodedFrameEvent): void {
    this.emitEncoded(event);
    if (this.listeners.frame.size > 0) this.emit('frame', (JSON.parse(event.encoded) as { data: FrameBatch }).data);
  }

  private emitEncoded(event: EncodedFrameEvent): void {
    for (const listener of this.encodedFrameListeners) {
      try {
        listener(event);
      } catch (error) {
        this.report(`delivering a frame to a view failed: ${describe(error)}`);
      }
    }
  }

  private emit<Stream extends StreamName>(stream: Stream, data: HostStreams[Stream]): void {
    for (const listener of this.listeners[stream] as Set<(data: HostStreams[Stream]) => void>) {
      try {
        listener(data);
      } catch (error) {
        this.report(`delivering a ${stream} event to a view failed: ${describe(error)}`);
      }
    }
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
