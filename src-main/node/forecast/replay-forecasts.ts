import type { ForecastSnapshot } from '../../common/forecast/forecast-record.ts';
import { PlantForecaster } from '../../common/forecast/plant-forecaster.ts';
import type { Plant } from '../../common/plant-schema.ts';
import type { RecordedEvent } from '../recording/chunk-codec.ts';

/** The part of a recorded history forecasts read: every event of a range, inclusive, in recorded order. */
export interface ForecastHistory {
  eventsBetween(from: number, to: number): Iterable<RecordedEvent>;
}

/**
 * The look ahead of a replayed moment: the same forecaster live uses, fed the recorded samples of the
 * window before the cursor. Moving forward feeds only what came since; a jump back or far ahead reads
 * the window again. So a replayed moment shows what live showed then.
 */
export class ReplayForecasts {
  private readonly forecaster: PlantForecaster;
  /** The time up to which (inclusive) recorded samples have been fed; NaN when nothing has. */
  private fedTo = Number.NaN;
  /** The forecasts last sent (as text, without their time), so an update carries them only when they changed. */
  private sent: string | undefined;

  constructor(plant: Plant) {
    this.forecaster = new PlantForecaster(plant);
  }

  /** The forecasts at `time`. */
  at(history: ForecastHistory, time: number): ForecastSnapshot {
    if (this.forecaster.signalCount === 0) return { time, forecasts: [] };
    const window = this.forecaster.longestWindowMs;
    const incremental = this.fedTo <= time && time - this.fedTo <= window;
    if (!incremental) this.forecaster.clear();
    const after = incremental ? this.fedTo : time - window;
    for (const event of history.eventsBetween(after, time)) {
      // Samples only (connection events have negative codes); those at `fedTo` were fed last time.
      if (event.code >= 0 && !(incremental && event.time <= after)) this.forecaster.add(event.code, event.value, event.time);
    }
    this.fedTo = time;
    return this.forecaster.evaluate(time);
  }

  /** The forecasts at `time` if they differ from those last sent. */
  changed(history: ForecastHistory, time: number): ForecastSnapshot | null {
    const snapshot = this.at(history, time);
    const text = JSON.stringify(snapshot.forecasts);
    if (text === this.sent) return null;
    this.sent = text;
    return snapshot;
  }

  /** Forgets what was fed and sent (a new moment or recording is entered). */
  reset(): void {
    this.fedTo = Number.NaN;
    this.sent = undefined;
    this.forecaster.clear();
  }
}
