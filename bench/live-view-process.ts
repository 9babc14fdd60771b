/**
 * The isolation benchmark's live view, run as a process of its own (`fork`), as the renderer is: it
 * connects to the host over the contract's WebSocket, applies every live frame to a frame buffer as
 * the renderer does and records the publish→view latency of each value in the window it is given.
 * Nothing else runs here. In the benchmark's own process it shared a heap with the bookkeeping between
 * phases, which V8 later shrank in one pause of 180 ms inside a busy window (README, *Host isolation*).
 */
import { constants, monitorEventLoopDelay, performance, PerformanceObserver } from 'node:perf_hooks';
import { applyFrame, createFrameBuffer, isFrameBatch } from '../src-renderer/telemetry/frame-buffer.ts';
import { LatencyHistogram } from './latency-histogram.ts';
import { sharedClockNow } from './shared-clock.ts';
import { connectView, type ConnectedView, type ViewTraffic } from './view-connection.ts';

/** A stretch of time, ms since the epoch (publish times on the shared clock, or frame times on the wall clock). */
export interface TimeSpan {
  start: number;
  end: number;
}

/** The live view's garbage collections over a stretch: their pauses summed, and the longest pause (ms) with its kind. */
export interface LiveViewGc {
  pauseMs: number;
  longestMs: number;
  longestKind: string;
}

/** What the live view has done up to now: read at both ends of a window. */
export interface LiveViewSnapshot {
  frames: number;
  /** The longest its loop ran late since the snapshot before (ms): its stalls delay every frame it applies. */
  loopLateMs: number;
  /** Its garbage collections since the snapshot before. */
  gc: LiveViewGc;
}

/** The latencies of one measured window. NaN (an empty histogram) arrives as null over IPC: read with `orNaN`. */
export interface LiveViewWindowResult {
  p50: number | null;
  p99: number | null;
  max: number;
  count: number;
  negative: number;
  /** Cut→view of the frames cut inside the window. */
  deliveryP50: number | null;
  deliveryP99: number | null;
}

/** The questions the benchmark asks, each with what it sends and what it gets back. */
export interface LiveViewQuestions {
  /** Connect to the host's view server on 127.0.0.1 and take its first snapshot. */
  open: { params: { port: number }; answer: null };
  /** How many MQTT messages the host says it has received. */
  received: { params: Record<string, never>; answer: number };
  /** Start recording latencies of values published in `window` (and of frames cut in `deliveryWindow`); `pooled`: also into the pool of quiet phases. */
  measure: { params: { window: TimeSpan; deliveryWindow: TimeSpan; pooled: boolean }; answer: null };
  snapshot: { params: Record<string, never>; answer: LiveViewSnapshot };
  /** Stop recording and give the window's latencies. */
  finish: { params: Record<string, never>; answer: LiveViewWindowResult };
  /** p99 of every pooled window's latencies together. */
  pooledP99: { params: Record<string, never>; answer: number | null };
  /** How the connection stands: closed by the host, and what HostClient found wrong. */
  traffic: { params: Record<string, never>; answer: Pick<ViewTraffic, 'closed' | 'protocolErrors'> };
}

/** A question from the benchmark, with the id its answer carries. */
export type LiveViewQuestion = { [Name in keyof LiveViewQuestions]: { id: number; name: Name; params: LiveViewQuestions[Name]['params'] } }[keyof LiveViewQuestions];
/** An answer to the question with `id`, or why it could not be answered. */
export type LiveViewAnswer = { id: number; answer: unknown } | { id: number; failed: string };

/** What a gc performance entry's kind says (node:perf_hooks constants), for the table. */
const gcKinds = new Map([
  [constants.NODE_PERFORMANCE_GC_MINOR, 'minor'],
  [constants.NODE_PERFORMANCE_GC_MAJOR, 'major'],
  [constants.NODE_PERFORMANCE_GC_INCREMENTAL, 'incremental'],
  [constants.NODE_PERFORMANCE_GC_WEAKCB, 'weak callbacks'],
]);

const noGc = (): LiveViewGc => ({ pauseMs: 0, longestMs: 0, longestKind: '' });
/** A window that holds nothing, for between phases. */
const nowhere: TimeSpan = { start: Number.POSITIVE_INFINITY, end: Number.NEGATIVE_INFINITY };

/** The live view and what it has measured. */
class LiveView {
  private window: TimeSpan = nowhere;
  private deliveryWindow: TimeSpan = nowhere;
  private endToEnd = new LatencyHistogram();
  private delivery = new LatencyHistogram();
  private readonly pool = new LatencyHistogram();
  private pooling = false;
  private frames = 0;
  private gc = noGc();
  private readonly loopDelay = monitorEventLoopDelay({ resolution: 5 });
  private readonly view: ConnectedView;

  private constructor(view: ConnectedView) {
    this.view = view;
  }

  /** Connects, subscribes to frames and applies the host's snapshot. */
  static async open(port: number): Promise<LiveView> {
    const live = new LiveView(await connectView(port));
    live.loopDelay.enable();
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) live.countCollection(entry);
    }).observe({ entryTypes: ['gc'] });
    const client = live.view.client;
    const description = await client.request('getPlant', {});
    const buffer = createFrameBuffer(description.signalKeys.length, description.plant.machines.length);
    client.subscribe('frame', (frame) => {
      if (!isFrameBatch(frame)) return;
      applyFrame(buffer, frame, performance.now());
      live.recordFrame(frame.time, frame.signalValue);
    });
    applyFrame(buffer, await client.request('getSnapshot', {}), performance.now());
    return live;
  }

  private countCollection(entry: PerformanceEntry): void {
    this.gc.pauseMs += entry.duration;
    if (entry.duration <= this.gc.longestMs) return;
    this.gc.longestMs = entry.duration;
    const kind = (entry as PerformanceEntry & { detail?: { kind?: number } }).detail?.kind;
    this.gc.longestKind = gcKinds.get(kind ?? -1) ?? `kind ${String(kind)}`;
  }

  /** Records a frame just applied: its cut→view delay, and publish→view for each value published inside the window. */
  private recordFrame(cutTime: number, published: readonly number[]): void {
    const now = sharedClockNow();
    const { start, end } = this.window;
    this.frames++;
    if (cutTime >= this.deliveryWindow.start && cutTime < this.deliveryWindow.end) this.delivery.record(Date.now() - cutTime);
    for (const time of published) {
      if (time < start || time >= end) continue;
      this.endToEnd.record(now - time);
      if (this.pooling) this.pool.record(now - time);
    }
  }

  /** Answers one of the benchmark's questions (`open` is answered by opening one). */
  async answer(question: Exclude<LiveViewQuestion, { name: 'open' }>): Promise<unknown> {
    switch (question.name) {
      case 'received':
        return (await this.view.client.request('getStatus', {})).diagnostics.messagesReceived;
      case 'measure':
        this.window = question.params.window;
        this.deliveryWindow = question.params.deliveryWindow;
        this.pooling = question.params.pooled;
        this.endToEnd = new LatencyHistogram();
        this.delivery = new LatencyHistogram();
        return null;
      case 'snapshot': {
        const snapshot: LiveViewSnapshot = { frames: this.frames, loopLateMs: this.loopDelay.max / 1e6, gc: this.gc };
        this.loopDelay.reset();
        this.gc = noGc();
        return snapshot;
      }
      case 'finish': {
        this.window = nowhere;
        this.deliveryWindow = nowhere;
        this.pooling = false;
        const result: LiveViewWindowResult = {
          p50: this.endToEnd.quantile(0.5),
          p99: this.endToEnd.quantile(0.99),
          max: this.endToEnd.max,
          count: this.endToEnd.count,
          negative: this.endToEnd.negative,
          deliveryP50: this.delivery.quantile(0.5),
          deliveryP99: this.delivery.quantile(0.99),
        };
        return result;
      }
      case 'pooledP99':
        return this.pool.quantile(0.99);
      case 'traffic':
        return { closed: this.view.traffic.closed, protocolErrors: this.view.traffic.protocolErrors };
    }
  }

  close(): void {
    this.view.close();
  }
}

/** A number from an answer: null (how IPC carries NaN) back to NaN. */
export function orNaN(value: number | null): number {
  return value ?? Number.NaN;
}

if (process.argv[1] === import.meta.filename) {
  let live: LiveView | undefined;
  const reply = (answer: LiveViewAnswer) => process.send?.(answer);
  process.on('message', (question: LiveViewQuestion) => {
    let answered: Promise<unknown>;
    if (question.name === 'open')
      answered = live
        ? Promise.reject(new Error('the live view is already open'))
        : LiveView.open(question.params.port).then((opened) => {
            live = opened;
            return null;
          });
    else answered = live ? live.answer(question) : Promise.reject(new Error(`"${question.name}" before the live view was open`));
    // A failed question is the benchmark's to report; the view stays up for the next one.
    answered.then(
      (answer) => reply({ id: question.id, answer }),
      (error: unknown) => reply({ id: question.id, failed: error instanceof Error ? (error.stack ?? error.message) : String(error) }),
    );
  });
  process.on('disconnect', () => {
    live?.close();
    process.exit(0);
  });
}
