import type { ForecastSnapshot } from '../../common/forecast/forecast-record.ts';
import { PlantForecaster } from '../../common/forecast/plant-forecaster.ts';
import type { Plant } from '../../common/plant-schema.ts';

/** What the live forecast service is made from. */
export interface ForecastServiceOptions {
  plant: Plant;
  clock?: () => number;
  /** How often forecasts are evaluated and sent (default 1 s). */
  intervalMs?: number;
  log?: (line: string) => void;
}

/**
 * The live look ahead: every accepted sample goes into the plant's forecaster (a few typed-array
 * stores, nothing allocated), and once a second the forecasts are evaluated and sent to views. Off
 * the per-message path: fitting runs on the timer only, and only for signals whose trend is significant.
 */
export class ForecastService {
  private readonly forecaster: PlantForecaster;
  private readonly clock: () => number;
  private readonly log: (line: string) => void;
  private readonly listeners = new Set<(snapshot: ForecastSnapshot) => void>();
  private readonly timer: ReturnType<typeof setInterval>;
  private latest: ForecastSnapshot;

  constructor(options: ForecastServiceOptions) {
    this.forecaster = new PlantForecaster(options.plant);
    this.clock = options.clock ?? Date.now;
    this.log = options.log ?? ((line) => console.error(line));
    this.latest = { time: this.clock(), forecasts: [] };
    this.timer = setInterval(() => this.guard(() => this.evaluate(), 'evaluating forecasts'), options.intervalMs ?? 1000);
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

  /** Evaluates now and sends the result (the timer's work; tests call it to pick the moment). */
  evaluate(): ForecastSnapshot {
    this.latest = this.forecaster.evaluate(this.clock());
    for (const listener of this.listeners) this.guard(() => listener(this.latest), 'sending forecasts to a view');
    return this.latest;
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private guard(work: () => void, what: string): void {
    try {
      work();
    } catch (error) {
      this.log(`Twinline: ${what} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    }
  }
}
