import { performance } from 'node:perf_hooks';
import type { ForecastSnapshot, SignalForecast } from '../../common/forecast/forecast-record.ts';
import { forecastSnapshot, PlantForecaster } from '../../common/forecast/plant-forecaster.ts';
import type { Plant } from '../../common/plant-schema.ts';

/** What the live forecast service is made from. */
export interface ForecastServiceOptions {
  plant: Plant;
  clock?: () => number;
  /** How often forecasts are evaluated and sent (default 1 s). */
  intervalMs?: number;
  log?: (line: string) => void;
  /** Longest the ingest loop gives forecasts at a stretch (default 4 ms; 0: one signal per slice). */
  sliceMs?: number;
}

/** One evaluation of every signal at one moment, done a slice at a time. */
interface ForecastPass {
  now: number;
  /** The position of the next signal to evaluate. */
  next: number;
  forecasts: SignalForecast[];
}

/**
 * The live look ahead: every accepted sample goes into the plant's forecaster (a few typed-array
 * stores, nothing allocated), and once a second the forecasts are evaluated and sent to views. Off
 * the per-message path: fitting runs on the timer only, once per signal each time its window moves on
 * by a bucket, and a pass over the plant is cut into slices of a few milliseconds with the loop's other
 * work (MQTT, frames) between them. Fitting 10,000 trending signals every second, in one piece, held
 * the ingest loop 1.4 s a second on a 2-core AMD EPYC (`npm run bench -- forecast`).
 */
export class ForecastService {
  private readonly forecaster: PlantForecaster;
  private readonly clock: () => number;
  private readonly log: (line: string) => void;
  private readonly sliceMs: number;
  private readonly listeners = new Set<(snapshot: ForecastSnapshot) => void>();
  private readonly timer: ReturnType<typeof setInterval>;
  private latest: ForecastSnapshot;
  private pass: ForecastPass | undefined;
  private nextSlice: ReturnType<typeof setImmediate> | undefined;

  constructor(options: ForecastServiceOptions) {
    this.forecaster = new PlantForecaster(options.plant);
    this.clock = options.clock ?? Date.now;
    this.log = options.log ?? ((line) => console.error(line));
    this.sliceMs = options.sliceMs ?? 4;
    this.latest = { time: this.clock(), forecasts: [] };
    this.timer = setInterval(() => this.guard(() => this.startPass(), 'evaluating forecasts'), options.intervalMs ?? 1000);
    this.timer.unref();
  }

  /** Takes one accepted sample, as the recorder does (a `LiveObserver` hook). */
  onSample(signalIndex: number, value: number, time: number): void {
    this.forecaster.add(signalIndex, value, time);
  }

  /** The forecasts as last evaluated. */
  snapshot(): ForecastSnapshot {
    return this.latest;
  }

  /** Listens for every evaluation; returns the unsubscribe function. */
  subscribe(listener: (snapshot: ForecastSnapshot) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Starts a pass over the plant at this moment, unless one is still under way (it then covers this tick too). */
  private startPass(): void {
    if (this.pass) return;
    this.pass = { now: this.clock(), next: 0, forecasts: [] };
    this.continuePass();
  }

  /** Evaluates signals for one slice, then leaves the loop to other work until the next. */
  private continuePass(): void {
    const pass = this.pass;
    if (!pass) return;
    this.nextSlice = undefined;
    const started = performance.now();
    let finishedSlice = false;
    try {
      pass.next = this.forecaster.evaluateSome(pass.now, pass.forecasts, pass.next, () => performance.now() - started >= this.sliceMs);
      finishedSlice = true;
    } finally {
      // A slice that threw ends its pass (the guard logs why); the next tick starts a new one.
      if (!finishedSlice) this.pass = undefined;
    }
    if (pass.next < this.forecaster.signalCount) {
      this.nextSlice = setImmediate(() => this.guard(() => this.continuePass(), 'evaluating forecasts'));
      return;
    }
    this.pass = undefined;
    this.publish(forecastSnapshot(pass.now, pass.forecasts));
  }

  private publish(snapshot: ForecastSnapshot): void {
    this.latest = snapshot;
    for (const listener of this.listeners) this.guard(() => listener(snapshot), 'sending forecasts to a view');
  }

  stop(): void {
    clearInterval(this.timer);
    if (this.nextSlice) clearImmediate(this.nextSlice);
    this.pass = undefined;
  }

  private guard(work: () => void, what: string): void {
    try {
      work();
    } catch (error) {
      this.log(`Twinline: ${what} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    }
  }
}
