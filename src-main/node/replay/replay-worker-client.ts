import type { ReplayMethod, ReplayMethods, ReplayRequestMessage, ReplayWorkerData, ReplayWorkerMessage } from './replay-protocol.ts';
import type { ReplayUpdate } from './replay-session.ts';
import { ExportProgress, resumeExport, type ExportChunk, type ExportResumePoint } from './export-progress.ts';
import { ReplayThreadMoved, startLocalReplayThread, type ReplayThread, type StartReplayThread } from './replay-thread.ts';

/** How a replay worker is bounded and watched. */
export interface ReplayWorkerClientOptions {
  data: ReplayWorkerData;
  /** Updates the worker pushes while playing. */
  onUpdate(update: ReplayUpdate): void;
  /** The worker stopped unexpectedly (crashed, ran out of memory, or was stopped for taking too long). */
  onFailure(reason: string): void;
  /**
   * The host ended the worker to run replay again in a new process (one other programs cannot starve,
   * or back in the idle class): the requests it had not answered go to a new one, after those `reopen`
   * gives (a view that was replaying opens its moment again), whose updates reach `onUpdate`. Heard
   * with the reason, for the log.
   */
  onMoved?(reason: string): void;
  /** The requests that bring a new worker to where this one was, asked at the moment of a move. */
  reopen?(): ReopenRequest[];
  /** Longest a request may take, from when the worker turns to it, before the worker is stopped (default 10 s). */
  timeoutMs?: number;
  /** Heap the worker may use (default 384 MiB); beyond it the worker, not the host, dies. */
  memoryLimitMb?: number;
  /** Where the worker runs (default: a worker thread of this process). */
  startThread?: StartReplayThread;
}

/** A request that brings a new worker to where the one it replaces was; its answer is an update. */
export type ReopenRequest = { [Method in 'enter' | 'speed' | 'loop' | 'play']: { method: Method; params: ReplayMethods[Method]['params'] } }['enter' | 'speed' | 'loop' | 'play'];

/** Requests that start an export, whose cursor then lives in the worker that answered them. */
const exportStarts = new Set<ReplayMethod>(['exportStart', 'journalStart']);

interface Pending {
  method: ReplayMethod;
  /** As sent, to send again to the worker that replaces a moved one. */
  message: ReplayRequestMessage;
  resolve(result: unknown): void;
  reject(error: Error): void;
  /** Set once the request is the oldest one unanswered, i.e. the one the worker works on. */
  timer: ReturnType<typeof setTimeout> | undefined;
  /** Sent to bring a moved worker to where the view was: a later move sends the view's moment afresh instead. */
  reopening?: true;
}

/**
 * Each replay worker's young generation. Its garbage is short-lived (a frame of every signal, a chunk
 * of CSV), so a small one costs only a few more scavenges. With 4 views seeking a day of 10,000 signals, a seeking worker's heap was 77 MiB at
 * 32 MiB and 52 MiB at 8; the exporting one's 206 and 67.
 */
const youngGenerationMb = 8;
const firstRestartDelayMs = 500;
const longestRestartDelayMs = 30_000;
/** A worker that ran this long before failing counts as healthy: the next one starts at once. */
const healthyRunMs = 30_000;

/**
 * One view's replay worker, seen from the host's thread: typed requests with a time limit each, and
 * the worker started again when it fails — at once after a healthy run, with growing delays after
 * quick failures, so a file that crashes every worker cannot keep a core busy.
 */
export class ReplayWorkerClient {
  private readonly options: ReplayWorkerClientOptions;
  private worker: ReplayThread | undefined;
  private startedAt = 0;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private restartDelayMs = 0;
  /** The live recording's file as last sent: a worker that replaces a moved one reopens in it. */
  private baseFile: string | undefined;
  /** What the view has had of the export in progress, to carry it on in a new worker after a move. */
  private readonly exportProgress = new ExportProgress();
  /** An export that was in progress when its worker moved: the next chunk asked for reads it again there and hands on the rest. */
  private exportResume: { point: ExportResumePoint; reason: string } | undefined;
  private restartAllowedAt = 0;
  private closed = false;
  /**
   * Messages that came after an answer, held until that answer has been applied, and handled in the
   * order they came. An answer is applied when its promise settles (in microtasks after it arrives),
   * an update on arrival: without the hold, an update that came after an answer in the same read (a
   * seek's forecasts, the next playback frame) would be shown first and then overwritten by the older
   * answer, and one that came before an answer (a playing tick before a pause's) after it.
   */
  private held: Array<{ worker: ReplayThread; message: ReplayWorkerMessage }> | undefined;

  constructor(options: ReplayWorkerClientOptions) {
    this.options = options;
  }

  /** Sends a request; rejects with a clear reason when it fails, takes too long, or the worker stops. */
  request<Method extends ReplayMethod>(method: Method, params: ReplayMethods[Method]['params'], baseFile: string | undefined): Promise<ReplayMethods[Method]['result']> {
    if (this.closed) return Promise.reject(new Error('this view has closed'));
    if (this.exportResume && (method === 'exportNext' || method === 'exportCancel')) {
      const resume = this.exportResume;
      this.exportResume = undefined;
      // Nothing of it is open in the new worker: a cancel has nothing to do.
      if (method === 'exportCancel') return Promise.resolve(null as ReplayMethods[Method]['result']);
      return this.resumeExport(resume) as Promise<ReplayMethods[Method]['result']>;
    }
    if (exportStarts.has(method)) {
      this.exportResume = undefined;
      this.exportProgress.started(method as ExportResumePoint['method'], params);
    }
    const wait = this.restartAllowedAt - Date.now();
    if (!this.worker && wait > 0) return Promise.reject(new Error(`replay failed a moment ago and restarts in ${Math.ceil(wait / 1000)} s`));
    const worker = this.ensureWorker();
    const id = this.nextId++;
    this.baseFile = baseFile;
    return new Promise((resolve, reject) => {
      const message: ReplayRequestMessage = { id, method, params, baseFile };
      this.pending.set(id, { method, message, resolve: resolve as (result: unknown) => void, reject, timer: undefined });
      worker.postMessage(message);
      this.timeOldest();
    });
  }

  /**
   * Starts the time limit of the oldest unanswered request. The worker answers in order, so that is
   * the one it works on; a request queued behind others (a view that asked for a seek, its timeline and
   * its trends at once) is timed from when its turn comes, not from when it was sent.
   */
  private timeOldest(): void {
    const oldest = this.pending.values().next().value;
    if (!oldest || oldest.timer !== undefined) return;
    const timeoutMs = this.options.timeoutMs ?? 10_000;
    oldest.timer = setTimeout(() => this.fail(`${oldest.method} took longer than ${timeoutMs / 1000} s, so it was stopped (is the recording damaged?)`), timeoutMs);
  }

  /** Whether a worker is running now. */
  get running(): boolean {
    return this.worker !== undefined;
  }

  /** Stops the worker and refuses further requests. */
  async close(): Promise<void> {
    this.closed = true;
    const worker = this.worker;
    this.worker = undefined;
    this.rejectAll('this view has closed');
    await worker?.terminate();
  }

  private ensureWorker(): ReplayThread {
    if (this.worker) return this.worker;
    const start = this.options.startThread ?? startLocalReplayThread;
    const worker = start(this.options.data, { maxOldGenerationSizeMb: this.options.memoryLimitMb ?? 384, maxYoungGenerationSizeMb: youngGenerationMb });
    this.worker = worker;
    this.startedAt = Date.now();
    worker.on('message', (message: ReplayWorkerMessage) => this.receive(worker, message));
    worker.on('error', (error) => {
      if (this.worker !== worker) return;
      if (error instanceof ReplayThreadMoved) this.move(error.message);
      else this.fail(`replay stopped: ${error.message}`);
    });
    worker.on('exit', (code) => {
      if (this.worker === worker) this.fail(`replay stopped unexpectedly (exit code ${code})`);
    });
    return worker;
  }

  private receive(worker: ReplayThread, message: ReplayWorkerMessage): void {
    if (worker !== this.worker) return;
    if (this.held) {
      this.held.push({ worker, message });
      return;
    }
    if (message.type === 'update') {
      this.showUpdate(message.update);
      return;
    }
    this.answer(message);
    this.held = [];
    setImmediate(() => this.handleHeld());
  }

  /**
   * Handles the messages held behind an answer, in order, on a later turn of the loop (when that
   * answer has been applied): updates at once, and after each answer another turn. Messages of a
   * worker that has since failed or moved are dropped, as they would have been on arrival.
   */
  private handleHeld(): void {
    const held = this.held ?? [];
    for (let next = held.shift(); next; next = held.shift()) {
      if (next.worker !== this.worker || this.closed) continue;
      const { message } = next;
      if (message.type === 'update') {
        this.showUpdate(message.update);
        continue;
      }
      this.answer(message);
      setImmediate(() => this.handleHeld());
      return;
    }
    this.held = undefined;
  }

  /** Hands an update to the view, as the boundary it is. */
  private showUpdate(update: ReplayUpdate): void {
    this.deliver(() => this.options.onUpdate(update), 'a replay update');
  }

  /** Settles the request a worker's response answers. */
  private answer(message: Extract<ReplayWorkerMessage, { type: 'response' }>): void {
    const pending = this.pending.get(message.id);
    if (!pending) return;
    this.pending.delete(message.id);
    if (exportStarts.has(pending.method) || pending.method === 'exportNext') {
      if (message.ok) this.exportProgress.handed((message.result as ExportChunk).chunk);
      else this.exportProgress.ended();
    } else if (pending.method === 'exportCancel') this.exportProgress.ended();
    clearTimeout(pending.timer);
    this.timeOldest();
    if (message.ok) pending.resolve(message.result);
    else pending.reject(new Error(message.message));
  }

  /** Stops a failed or stuck worker, fails what it was doing, and spaces out restarts after quick failures. */
  private fail(reason: string): void {
    const worker = this.worker;
    this.worker = undefined;
    void worker?.terminate();
    const ranMs = Date.now() - this.startedAt;
    this.restartDelayMs = ranMs >= healthyRunMs ? 0 : Math.min(longestRestartDelayMs, Math.max(firstRestartDelayMs, this.restartDelayMs * 2));
    this.restartAllowedAt = Date.now() + this.restartDelayMs;
    this.rejectAll(reason);
    if (!this.closed) this.deliver(() => this.options.onFailure(reason), 'a replay failure report');
  }

  /**
   * The worker was ended to run elsewhere: a new one starts at once, is brought to where the view was,
   * and is sent the requests the old one had not answered, in order. An export in progress is read
   * again there from its start, handing on only what the view has not had; a package being saved is
   * not saved again (the old worker may have written part of it) but ends with a clear reason. A
   * reopening that fails is the view's failure (it returns to live), and a new worker that cannot
   * start fails every request waiting.
   */
  private move(reason: string): void {
    this.worker = undefined;
    if (this.closed) return;
    this.deliver(() => this.options.onMoved?.(reason), 'a replay move report');
    // A reopening still unanswered from an earlier move is replaced by this move's own, from the view's state now.
    const waiting = [...this.pending.values()].filter((pending) => !pending.reopening);
    this.pending.clear();
    for (const pending of waiting) {
      clearTimeout(pending.timer);
      pending.timer = undefined;
    }
    const exportPoint = this.exportProgress.point();
    this.exportProgress.ended();
    // An export whose start is still waiting is simply asked again; one under way is read again when its next chunk is asked for.
    const startWaiting = waiting.some((pending) => exportStarts.has(pending.method));
    this.exportResume = exportPoint && !startWaiting ? { point: exportPoint, reason } : undefined;
    try {
      const worker = this.ensureWorker();
      for (const request of this.options.reopen?.() ?? []) this.sendReopen(worker, request);
      for (let pending = waiting.shift(); pending; pending = waiting.shift()) {
        if (pending.method === 'saveIncident') {
          pending.reject(new Error(`saving the package was cut short: ${reason}; save it again`));
        } else if (pending.method === 'exportNext' || pending.method === 'exportCancel') {
          // Its chunk comes from the export read again in the new worker (or, for a cancel, nothing is left to cancel).
          this.request(pending.method, {}, this.baseFile).then(pending.resolve, pending.reject);
        } else {
          if (exportStarts.has(pending.method)) this.exportProgress.started(pending.method as ExportResumePoint['method'], pending.message.params);
          this.pending.set(pending.message.id, pending);
          worker.postMessage(pending.message);
        }
      }
      this.timeOldest();
    } catch (error) {
      for (const pending of waiting) this.pending.set(pending.message.id, pending);
      this.fail(`replay could not start again after it moved: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  /** Reads an export again in the new worker after a move and hands on the first chunk the view has not had. */
  private resumeExport({ point, reason }: { point: ExportResumePoint; reason: string }): Promise<ExportChunk> {
    return resumeExport(point, (method) => (method === 'exportNext' || method === 'exportCancel' ? this.request(method, {}, this.baseFile) : this.request(method, point.params as never, this.baseFile)), reason);
  }

  /** Sends a request that brings the new worker to where the old one was; its answer is an update, its failure the view's. */
  private sendReopen(worker: ReplayThread, { method, params }: ReopenRequest): void {
    const id = this.nextId++;
    const message: ReplayRequestMessage = { id, method, params, baseFile: this.baseFile };
    this.pending.set(id, {
      method,
      message,
      resolve: (update) => this.deliver(() => this.options.onUpdate(update as ReplayUpdate), 'a reopened replay update'),
      reject: (error) => {
        // Its own answer, not the whole worker failing (which reports itself once).
        if (!this.closed && this.worker === worker) this.deliver(() => this.options.onFailure(`replay could not open its moment again after it moved (${method}): ${error.message}`), 'a replay failure report');
      },
      timer: undefined,
      reopening: true,
    });
    worker.postMessage(message);
  }

  private rejectAll(reason: string): void {
    for (const pending of this.pending.values()) {
      clearTimeout(pending.timer);
      pending.reject(new Error(reason));
    }
    this.pending.clear();
  }

  /** Runs a listener as the boundary it is: what it throws is reported, never left to kill the host. */
  private deliver(listener: () => void, what: string): void {
    try {
      listener();
    } catch (error) {
      console.error(`Twinline: handling ${what} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    }
  }
}
