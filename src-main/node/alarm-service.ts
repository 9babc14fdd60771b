import type { FrameBatch } from '../common/contract.ts';
import { frameSignalAt } from '../common/frame-batch.ts';
import type { AlarmAction, AlarmActionResult } from '../common/alarms/alarm-contract.ts';
import { AlarmEngine } from '../common/alarms/alarm-engine.ts';
import { alarmsPerSignal, type AlarmRecord, type AlarmSnapshot } from '../common/alarms/alarm-record.ts';
import type { RestorePlan } from '../common/alarms/match-restored-alarms.ts';
import type { Plant } from '../common/plant-schema.ts';
import { Health } from '../common/health.ts';
import { RateLimit } from '../common/rate-limit.ts';
import { signalOrder } from '../common/signal-order.ts';
import { alarmRows, type AlarmRow } from './recording/recorded-alarms.ts';

/** Alarms that actions from all views may name at once, then one every `alarmActionEveryMs`: each change is a row of the recording and a snapshot to every view. */
export const alarmActionBurst = 10_000;
/** See `alarmActionBurst`. */
export const alarmActionEveryMs = 10;

/** Frames kept while the restore is awaited (about 30 s of live at 33 ms a frame); past it the oldest go. */
export const maxPendingFrames = 1000;

/** Alarms not restored after a restart that are named in the log one by one; the rest are counted. */
const maxRestoreLogLines = 20;

/** What the alarm service is made from. */
export interface AlarmServiceOptions {
  plant: Plant;
  /** Live frames: every signal whose value or health changed, at the moment live shows it. */
  frames: { subscribe(stream: 'frame', listener: (frame: FrameBatch) => void): () => void };
  /** Where every alarm change goes to be recorded, as it is published. */
  recorder?: { onAlarmRows(rows: readonly AlarmRow[]): void };
  clock?: () => number;
  /**
   * Frames wait until `release` (or `restore`) is called: a restart's restored states come first, then
   * what live said meanwhile, so the read of the last recording never holds up ingest or recording.
   */
  awaitRestore?: boolean;
  /** How often shelf expiry and the flood's decay are looked at (default 250 ms). */
  tickIntervalMs?: number;
  log?: (line: string) => void;
}

/**
 * The host's live alarms: the alarm engine fed with live frames, operator actions applied at once,
 * and every change published to views and recorded in the same step, with the same time. So the
 * recording holds exactly the states views were sent, when they were sent: what replay shows.
 */
export class AlarmService {
  private readonly engine: AlarmEngine;
  private readonly recorder: AlarmServiceOptions['recorder'];
  private readonly clock: () => number;
  private readonly log: (line: string) => void;
  private readonly listeners = new Set<(snapshot: AlarmSnapshot) => void>();
  private readonly stopFrames: () => void;
  private readonly timer: ReturnType<typeof setInterval>;
  private latest: AlarmSnapshot;
  private readonly actionRate: RateLimit;
  /** Alarms restored after a restart whose signal has given no new sample yet: views see them marked `restored`. */
  private readonly unconfirmed = new Set<number>();
  /** Alarms confirmed since the last publish: their unmarked record is recorded even when no transition changed them. */
  private readonly confirmed = new Set<number>();
  /** Each signal's on-delay (ms). */
  private readonly onDelayMs: number[];
  /**
   * Signals of restored alarms whose health rule starts over after the restart: within their on-delay of
   * the first new sample a crossing the old run had matured reads as normal, so their latest health and
   * value wait here until then instead of clearing (and re-raising, unacknowledged) an alarm that still stands.
   */
  private readonly held = new Map<number, { until: number; health: number; value: number }>();
  /** Live frames that came while the restore was awaited, in order; undefined once released. */
  private pendingFrames: FrameBatch[] | undefined;

  constructor(options: AlarmServiceOptions) {
    this.engine = new AlarmEngine(options.plant);
    this.onDelayMs = signalOrder(options.plant).signals.map((signal) => (signal.limits?.onDelay ?? 0) * 1000);
    if (options.awaitRestore) this.pendingFrames = [];
    this.recorder = options.recorder;
    this.clock = options.clock ?? Date.now;
    this.log = options.log ?? ((line) => console.error(line));
    this.latest = this.engine.snapshot(this.clock());
    this.actionRate = new RateLimit({ burst: alarmActionBurst, everyMs: alarmActionEveryMs, clock: this.clock });
    this.stopFrames = options.frames.subscribe('frame', (frame) => this.guard(() => this.onFrame(frame), 'evaluating alarms of a frame'));
    this.timer = setInterval(() => this.guard(() => this.tick(this.clock()), 'checking alarm shelves and the flood indicator'), options.tickIntervalMs ?? 250);
    this.timer.unref();
  }

  /** The alarms as last published. */
  snapshot(): AlarmSnapshot {
    return this.latest;
  }

  /** Listens for every published change; returns the unsubscribe function. */
  subscribe(listener: (snapshot: AlarmSnapshot) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Puts back the alarms a recording left standing before a restart, at `now`, before any live frame is
   * evaluated (those that came meanwhile are, after it: see `awaitRestore`):
   * each is recorded as a `restored` row, marked `restored` until its signal's next sample (which then
   * decides through the engine's normal path), and a shelf that ran out meanwhile ends at once (recorded
   * as its expiry). Returns how many were put back; one the engine refuses is logged and left normal.
   */
  restore(plan: RestorePlan, now: number): number {
    try {
      return this.putBack(plan, now);
    } finally {
      this.release(now);
    }
  }

  /** Evaluates the live frames that waited for the restore (see `awaitRestore`), in order, and from now on each as it comes. */
  release(now: number): void {
    const pending = this.pendingFrames;
    if (!pending) return;
    this.pendingFrames = undefined;
    for (const frame of pending) this.guard(() => this.applyFrame(frame), 'evaluating alarms of a frame that waited for the restore');
    this.publish(now);
  }

  private putBack(plan: RestorePlan, now: number): number {
    const rows: AlarmRow[] = [];
    const notRestored: string[] = [];
    for (const { alarm, record } of plan.restore) {
      const why = this.engine.restore(alarm, record, now);
      if (why !== null) {
        // Named by this plant's message: the recording's own text could forge lines in the log.
        notRestored.push(`${this.engine.exists(alarm) ? this.engine.record(alarm).message : `alarm ${alarm}`}: ${why}`);
        continue;
      }
      this.unconfirmed.add(alarm);
      const restored = this.marked(this.engine.record(alarm));
      // Not `carried`: replay between this moment and the new file's first event reads the file before, plus the next file's own rows up to then.
      rows.push({ time: now, alarm, event: 'restored', operator: null, reason: null, record: JSON.stringify(restored) });
    }
    // A plant much changed may drop thousands: the first lines say what kind, the count says how many.
    const unrestored = [...plan.dropped, ...notRestored];
    const logged = Math.min(unrestored.length, maxRestoreLogLines);
    const total = unrestored.length + (plan.droppedUnnamed ?? 0);
    for (const line of unrestored.slice(0, logged)) this.log(`Twinline: an alarm of the last recording was not restored: ${line}`);
    if (total > logged) this.log(`Twinline: … and ${total - logged} more alarms of the last recording were not restored`);
    this.guard(() => this.recorder?.onAlarmRows(rows), 'recording restored alarms');
    this.engine.tick(now);
    this.latest = this.decorated(this.engine.snapshot(now));
    if (!this.engine.changed && rows.length > 0) for (const listener of this.listeners) this.guard(() => listener(this.latest), 'sending alarms to a view');
    this.publish(now);
    return rows.length;
  }

  /** Applies an operator's action (already validated against the contract) and publishes what it changed. */
  act(action: AlarmAction): AlarmActionResult {
    if (!this.actionRate.take(action.alarms.length)) throw new Error(`alarm actions are coming faster than the host records them; try again in ${Math.ceil(this.actionRate.waitMs(action.alarms.length) / 1000)} s`);
    const now = this.clock();
    const engine = this.engine;
    let result: AlarmActionResult;
    switch (action.action) {
      case 'acknowledge':
        result = engine.acknowledge(action.alarms, action.operator, now);
        break;
      case 'shelve':
        result = engine.shelve(action.alarms, action.durationMs, action.reason, action.operator, now);
        break;
      case 'unshelve':
        result = engine.unshelve(action.alarms, action.operator, now);
        break;
      case 'suppress':
        result = engine.suppress(action.alarms, action.reason, action.operator, now);
        break;
      case 'returnToService':
        result = engine.returnToService(action.alarms, action.operator, now);
        break;
    }
    this.publish(now);
    return result;
  }

  stop(): void {
    clearInterval(this.timer);
    this.stopFrames();
  }

  private onFrame(frame: FrameBatch): void {
    if (this.pendingFrames) {
      if (this.pendingFrames.length >= maxPendingFrames) this.pendingFrames.shift();
      this.pendingFrames.push(frame);
      return;
    }
    this.applyFrame(frame);
    this.publish(frame.time);
  }

  /** Feeds one frame to the engine (restored alarms' confirmation and on-delay first); publishes nothing. */
  private applyFrame(frame: FrameBatch): void {
    const { signalHealth, signalValue, time } = frame;
    for (let position = 0; position < signalValue.length; position++) {
      const signal = frameSignalAt(frame, position);
      const health = signalHealth[position]!;
      if (this.unconfirmed.size > 0 && this.hold(signal, health, signalValue[position]!, time)) continue;
      if (this.unconfirmed.size > 0) this.confirm(signal, health);
      this.engine.evaluate(signal, health, signalValue[position]!, time);
    }
    // After the frame's own samples: a newer sample of a held signal has replaced what it held.
    this.releaseHeld(time);
    this.engine.tick(time);
  }

  private tick(now: number): void {
    this.releaseHeld(now);
    this.engine.tick(now);
    this.publish(now);
  }

  /** Whether a sample of a restored alarm's signal waits out its on-delay (see `held`); keeps the latest. */
  private hold(signal: number, health: number, value: number, time: number): boolean {
    const delay = this.onDelayMs[signal] ?? 0;
    if (delay <= 0 || !isLevel(health)) return false;
    const waiting = this.held.get(signal);
    if (!waiting && !this.hasUnconfirmed(signal)) return false;
    const until = waiting?.until ?? time + delay;
    if (time >= until) {
      this.held.delete(signal);
      return false;
    }
    this.held.set(signal, { until, health, value });
    return true;
  }

  /** Evaluates the held signals whose on-delay has passed, with their latest sample. */
  private releaseHeld(now: number): void {
    if (this.held.size === 0) return;
    for (const [signal, waiting] of this.held) {
      if (now < waiting.until) continue;
      this.held.delete(signal);
      this.confirm(signal, waiting.health);
      this.engine.evaluate(signal, waiting.health, waiting.value, now);
    }
  }

  private hasUnconfirmed(signal: number): boolean {
    for (let alarm = signal * alarmsPerSignal; alarm < (signal + 1) * alarmsPerSignal; alarm++) if (this.unconfirmed.has(alarm)) return true;
    return false;
  }

  /** A sample the engine evaluates (a level, not stale or offline) confirms the restored alarms of its signal. */
  private confirm(signal: number, health: number): void {
    if (!isLevel(health)) return;
    for (let alarm = signal * alarmsPerSignal; alarm < (signal + 1) * alarmsPerSignal; alarm++) {
      if (this.unconfirmed.delete(alarm)) this.confirmed.add(alarm);
    }
  }

  /** Records and sends what changed, all at one time; nothing when nothing did. */
  private publish(time: number): void {
    if (!this.engine.changed && this.confirmed.size === 0) return;
    const { alarms, flood } = this.engine.takeTransitions();
    for (const transition of alarms) {
      transition.record = this.marked(transition.record);
      this.confirmed.delete(transition.record.alarm);
    }
    // Every row carries the publishing time: replay at T shows what views had been sent by T.
    const rows = alarmRows(alarms, flood).map((row) => ({ ...row, time }));
    // A confirmation changes no state: the alarm's record without its mark is recorded as it now stands.
    for (const alarm of this.confirmed) rows.push({ time, alarm, event: 'carried', operator: null, reason: null, record: JSON.stringify(this.engine.record(alarm)) });
    this.confirmed.clear();
    this.latest = this.decorated(this.engine.snapshot(time));
    this.guard(() => this.recorder?.onAlarmRows(rows), 'recording alarm changes');
    for (const listener of this.listeners) this.guard(() => listener(this.latest), 'sending alarms to a view');
  }

  /** The record as views see it: marked while it is restored and unconfirmed. */
  private marked(record: AlarmRecord): AlarmRecord {
    return this.unconfirmed.has(record.alarm) ? { ...record, restored: true } : record;
  }

  private decorated(snapshot: AlarmSnapshot): AlarmSnapshot {
    return this.unconfirmed.size === 0 ? snapshot : { ...snapshot, alarms: snapshot.alarms.map((record) => this.marked(record)) };
  }

  private guard(work: () => void, what: string): void {
    try {
      work();
    } catch (error) {
      this.log(`Twinline: ${what} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    }
  }
}

/** Whether health is a level the engine evaluates (not stale, offline, bad or unknown). */
function isLevel(health: number): boolean {
  return health === Health.ok || health === Health.warn || health === Health.alarm;
}
