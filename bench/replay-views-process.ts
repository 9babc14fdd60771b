/**
 * The busy views of the isolation benchmark, run as their own process (`fork`) so that their work
 * does not slow the live view being measured in the benchmark's process: views that connect to the
 * host over the contract's WebSocket, switch to replay of one recording, count the frames they get
 * (applying one in eight as the renderer does, after checking it is a frame batch), and seek to a
 * random moment every `seekIntervalMs`; the first of them also exports the chosen signals over the
 * whole recording as CSV, one export after another.
 */
import { performance } from 'node:perf_hooks';
import { isFrameBatch, applyFrame, createFrameBuffer } from '../src-renderer/telemetry/frame-buffer.ts';
import { frameEventPrefix } from '../src-main/common/contract.ts';
import { seededRandom } from '../src-main/common/seeded-random.ts';
import { LatencyHistogram } from './latency-histogram.ts';
import { connectView, type ConnectedView } from './view-connection.ts';

/** How the views are to behave. */
export interface ReplayViewsPlan {
  port: number;
  views: number;
  /** The recording to replay, by file name in the host's recordings folder. */
  recording: string;
  /** Where seeks land and what the export covers. */
  range: { start: number; end: number };
  /** 0: no seeks. */
  seekIntervalMs: number;
  /** Signal keys the first view exports; none: no export. */
  exportSignals: string[];
}

/** One export as the view saw it. */
export interface ExportOutcome {
  milliseconds: number;
  rows: number;
  /** Characters of CSV received in chunks. */
  characters: number;
  chunks: number;
  error?: string;
}

/** What the views did between `go` and `stop`. */
export interface ReplayViewsReport {
  seeksSent: number;
  seeksAnswered: number;
  seeksFailed: number;
  firstSeekError?: string;
  /** Timer ticks on which a view still waited for its previous seek, so sent none. */
  seeksSkipped: number;
  /** Seeks still unanswered at the end (after a grace period). */
  seeksPending: number;
  seekLatency: { p50: number; p95: number; p99: number; max: number };
  /** Replay frames each view received (counted; one in `checkEveryFrames` also parsed, validated and applied). */
  frames: number[];
  /** Replay frames each view parsed, found to be frame batches and applied as the renderer does. */
  framesChecked: number[];
  /** Seeks each view had answered. */
  seeksAnsweredPerView: number[];
  exports: ExportOutcome[];
  /** An export still running at the end: what had arrived so far. */
  exportInProgress?: Pick<ExportOutcome, 'milliseconds' | 'characters' | 'chunks'>;
  /** Views the host closed (code and reason) or whose messages HostClient could not use. */
  closed: Array<{ view: number; code: number; reason: string }>;
  protocolErrors: string[];
  cpuMicros: number;
}

/** What the benchmark tells this process: connect and enter replay, start the work, stop and report. */
export type ReplayViewsCommand = { type: 'start'; plan: ReplayViewsPlan } | { type: 'go' } | { type: 'stop' };
/** What this process tells the benchmark. */
export type ReplayViewsMessage =
  | { type: 'ready'; replaying: string[] }
  | { type: 'report'; report: ReplayViewsReport }
  | { type: 'failed'; message: string };

/**
 * Of a busy view's replay frames, one in this many is parsed, validated and applied in full (the first
 * always); the others are counted from the bytes. Parsing every frame (300 kB then) of four views
 * seeking every 100 ms took this process most of a core, which the host and broker share: that was the
 * benchmark loading the machine, not the host's doing.
 */
const checkEveryFrames = 8;
/** How a frame event's text begins. */
const framePrefix = Buffer.from(frameEventPrefix);

const describe = (error: unknown) => (error instanceof Error ? error.message : String(error));

function send(message: ReplayViewsMessage): void {
  process.send?.(message);
}

/** Connected views in replay, and the work they do once told to go. */
class ReplayViews {
  private readonly plan: ReplayViewsPlan;
  private readonly views: ConnectedView[];
  private readonly frames: number[] = [];
  private readonly framesChecked: number[] = [];
  private readonly seeksAnsweredPerView: number[] = [];
  private readonly frameErrors: string[] = [];
  private readonly latency = new LatencyHistogram();
  private readonly timers: Array<ReturnType<typeof setInterval>> = [];
  private readonly pending = new Set<number>();
  private running = false;
  private seeksSent = 0;
  private seeksAnswered = 0;
  private seeksFailed = 0;
  private seeksSkipped = 0;
  private firstSeekError: string | undefined;
  private readonly exports: ExportOutcome[] = [];
  private exportInProgress: { started: number; characters: number; chunks: number } | undefined;
  private cpuAtGo = process.cpuUsage();

  private constructor(plan: ReplayViewsPlan, views: ConnectedView[]) {
    this.plan = plan;
    this.views = views;
  }

  /** Connects the views, has each apply its frames, and switches each to replay of the plan's recording. */
  static async open(plan: ReplayViewsPlan): Promise<{ views: ReplayViews; replaying: string[] }> {
    const views: ConnectedView[] = [];
    const opened = new ReplayViews(plan, views);
    const replaying: string[] = [];
    // One after another, as people open a replay: at once, each view's worker would open the same file meanwhile.
    for (let index = 0; index < plan.views; index++) {
      opened.frames.push(0);
      opened.framesChecked.push(0);
      opened.seeksAnsweredPerView.push(0);
      let buffer: ReturnType<typeof createFrameBuffer> | undefined;
      const view = await connectView(plan.port, {
        takeMessage: (bytes) => {
          if (buffer === undefined || bytes.length < framePrefix.length || !bytes.subarray(0, framePrefix.length).equals(framePrefix)) return false;
          if (opened.frames[index]!++ % checkEveryFrames !== 0) return true;
          let frame: unknown;
          try {
            frame = (JSON.parse(bytes.toString('utf8')) as { data?: unknown }).data;
          } catch (error) {
            opened.frameErrors.push(`view ${index} received a frame event that is no JSON: ${describe(error)}`);
            return true;
          }
          if (!isFrameBatch(frame)) {
            opened.frameErrors.push(`view ${index} received a frame event that is no frame batch`);
            return true;
          }
          applyFrame(buffer, frame, performance.now());
          opened.framesChecked[index]!++;
          return true;
        },
      });
      views.push(view);
      const description = await view.client.request('getPlant', {});
      buffer = createFrameBuffer(description.signalKeys.length, description.plant.machines.length);
      view.client.subscribe('frame', () => undefined);
      view.client.subscribe('player', () => undefined);
      const started = performance.now();
      const state = await view.client.request('player', { action: 'replay', recording: plan.recording, time: plan.range.start + (plan.range.end - plan.range.start) / 2 });
      if (state.mode !== 'replay' || state.problem) throw new Error(`view ${index} could not replay ${plan.recording}: ${state.problem ?? `mode ${state.mode}`}`);
      replaying.push(`view ${index} replays ${state.replaying ?? '?'} (${state.sessionFiles} file${state.sessionFiles === 1 ? '' : 's'}, ${new Date(state.range.start).toISOString()} to ${new Date(state.range.end).toISOString()}), entered in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    }
    return { views: opened, replaying };
  }

  /** Starts every view's seeks and the first view's exports. */
  go(): void {
    this.running = true;
    this.cpuAtGo = process.cpuUsage();
    const random = seededRandom(7);
    const { start, end } = this.plan.range;
    this.views.forEach((view, index) => {
      if (this.plan.seekIntervalMs <= 0) return;
      const tick = () => {
        if (this.pending.has(index)) {
          this.seeksSkipped++;
          return;
        }
        this.pending.add(index);
        this.seeksSent++;
        const sent = performance.now();
        view.client
          .request('player', { action: 'seek', time: start + Math.floor(random() * (end - start)) })
          .then((state) => {
            if (state.problem) throw new Error(state.problem);
            this.seeksAnswered++;
            this.seeksAnsweredPerView[index]!++;
            this.latency.record(performance.now() - sent);
          })
          .catch((error: unknown) => {
            this.seeksFailed++;
            this.firstSeekError ??= describe(error);
          })
          .finally(() => this.pending.delete(index));
      };
      // The views' timers are spread over the interval, as independent people's would be.
      setTimeout(() => {
        if (this.running) this.timers.push(setInterval(tick, this.plan.seekIntervalMs));
      }, (index * this.plan.seekIntervalMs) / this.views.length);
    });
    if (this.plan.exportSignals.length > 0) void this.exportUntilStopped(this.views[0]!);
  }

  /** Stops the work, waits a while for answers still due, and reports. */
  async stop(): Promise<ReplayViewsReport> {
    this.running = false;
    this.timers.forEach(clearInterval);
    const cpu = process.cpuUsage(this.cpuAtGo);
    const deadline = performance.now() + 5000;
    while (this.pending.size > 0 && performance.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    const inProgress = this.exportInProgress;
    const report: ReplayViewsReport = {
      seeksSent: this.seeksSent,
      seeksAnswered: this.seeksAnswered,
      seeksFailed: this.seeksFailed,
      seeksSkipped: this.seeksSkipped,
      seeksPending: this.pending.size,
      seekLatency: { p50: this.latency.quantile(0.5), p95: this.latency.quantile(0.95), p99: this.latency.quantile(0.99), max: this.latency.max },
      frames: [...this.frames],
      framesChecked: [...this.framesChecked],
      seeksAnsweredPerView: [...this.seeksAnsweredPerView],
      exports: [...this.exports],
      closed: this.views.flatMap((view, index) => (view.traffic.closed ? [{ view: index, ...view.traffic.closed }] : [])),
      protocolErrors: [...this.frameErrors, ...this.views.flatMap((view) => view.traffic.protocolErrors)],
      cpuMicros: cpu.user + cpu.system,
    };
    if (this.firstSeekError !== undefined) report.firstSeekError = this.firstSeekError;
    if (inProgress) report.exportInProgress = { milliseconds: performance.now() - inProgress.started, characters: inProgress.characters, chunks: inProgress.chunks };
    return report;
  }

  /** Closes every view and waits (at most a second) for the host to see them go, so none is left to time out. */
  async close(): Promise<void> {
    for (const view of this.views) view.close();
    const deadline = performance.now() + 1000;
    while (this.views.some((view) => view.traffic.closed === undefined) && performance.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
  }

  /** Exports back to back while running; a refused export is reported and tried again after a second. */
  private async exportUntilStopped(view: ConnectedView): Promise<void> {
    const { start, end } = this.plan.range;
    // A view the host closed can export no more; its one failure says why.
    while (this.running && view.traffic.closed === undefined) {
      const progress = { started: performance.now(), characters: 0, chunks: 0 };
      this.exportInProgress = progress;
      try {
        const result = await view.client.request('exportCsv', { signals: this.plan.exportSignals, from: start, to: end }, (data) => {
          progress.characters += data.length;
          progress.chunks++;
        });
        this.exports.push({ milliseconds: performance.now() - progress.started, rows: result.rows, characters: progress.characters, chunks: progress.chunks });
      } catch (error) {
        this.exports.push({ milliseconds: performance.now() - progress.started, rows: 0, characters: progress.characters, chunks: progress.chunks, error: describe(error) });
        await new Promise((resolve) => setTimeout(resolve, 1000));
      } finally {
        this.exportInProgress = undefined;
      }
    }
  }
}

if (process.argv[1] === import.meta.filename) {
  let views: ReplayViews | undefined;
  const fail = (error: unknown) => {
    send({ type: 'failed', message: error instanceof Error ? (error.stack ?? error.message) : String(error) });
    process.exit(1);
  };
  process.on('uncaughtException', fail);
  process.on('message', (command: ReplayViewsCommand) => {
    if (command.type === 'start') {
      ReplayViews.open(command.plan)
        .then((opened) => {
          views = opened.views;
          send({ type: 'ready', replaying: opened.replaying });
        })
        .catch(fail);
    } else if (command.type === 'go') views?.go();
    else if (command.type === 'stop') {
      if (!views) return fail(new Error('stop before start'));
      views
        .stop()
        .then(async (report) => {
          send({ type: 'report', report });
          await views?.close();
          process.exit(0);
        })
        .catch(fail);
    }
  });
}
