import type { ForecastSnapshot } from '../../common/forecast/forecast-record.ts';
import { PlantForecaster } from '../../common/forecast/plant-forecaster.ts';
import type { Plant } from '../../common/plant-schema.ts';
import type { RecordedHistory } from '../recording/recorded-history.ts';

/** The part of a recorded history forecasts read: every event of a range, inclusive, in recorded order. */
export type ForecastHistory = Pick<RecordedHistory, 'eventSlicesBetween' | 'chunkStartAtOrBefore'>;

/** How far forward the forecasts are read with a step's answer, beyond the chunk last read: a tick of fast playback. */
const nearMs = 1000;

/**
 * The look ahead of a replayed moment: the same forecaster live uses, fed the recorded samples of the
 * window before the cursor. Moving forward feeds only what came since; a jump back or far ahead reads
 * the window again. So a replayed moment shows what live showed then.
 *
 * Reading a whole window is the costly part of a jump: ten minutes of a recording written at 50k
 * samples/s are 30 million events, most of a second. So a move can be answered first and its
 * forecasts read after (`near` tells which), and that read gives up as soon as `interrupted` says so.
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

  /** Whether the forecasts at `time` follow on from what was fed last, so that they cost only the events since. */
  follows(time: number): boolean {
    return this.forecaster.signalCount === 0 || (this.fedTo <= time && time - this.fedTo <= this.forecaster.longestWindowMs);
  }

  /**
   * Whether the forecasts at `time` are cheap enough to read with the answer: they follow on from what
   * was fed last, inside the chunk last read or less than a second on (at most about a chunk's events:
   * playing forward). Anything else (a jump, or a seek further forward) is read after the answer.
   */
  near(history: ForecastHistory, time: number): boolean {
    if (this.forecaster.signalCount === 0) return true;
    if (!this.follows(time)) return false;
    return time - this.fedTo <= nearMs || history.chunkStartAtOrBefore(time) === history.chunkStartAtOrBefore(this.fedTo);
  }

  /**
   * The forecasts at `time`; undefined when `interrupted` (asked after each decoded block) said to give
   * up, which forgets everything fed so far.
   */
  at(history: ForecastHistory, time: number, interrupted: () => boolean = () => false): ForecastSnapshot | undefined {
    if (this.forecaster.signalCount === 0) return { time, forecasts: [] };
    const incremental = this.follows(time);
    if (!incremental) this.forecaster.clear();
    const after = incremental ? this.fedTo : time - this.forecaster.longestWindowMs;
    // Until the whole stretch is fed, the forecaster holds part of a window: nothing may follow on from it.
    this.fedTo = Number.NaN;
    for (const { events, first, end } of history.eventSlicesBetween(after, time)) {
      const { times, codes, values } = events;
      for (let index = first; index < end; index++) {
        // Samples only (connection events have negative codes); those at `after` were fed last time.
        if (codes[index]! >= 0 && !(incremental && times[index]! <= after)) this.forecaster.add(codes[index]!, values[index]!, times[index]!);
      }
      if (interrupted()) return undefined;
    }
    this.fedTo = time;
    return this.forecaster.evaluate(time);
  }

  /** The forecasts at `time` if they differ from those last sent: null when they do not, undefined when interrupted (see `at`). */
  changed(history: ForecastHistory, time: number, interrupted?: () => boolean): ForecastSnapshot | null | undefined {
    const snapshot = this.at(history, time, interrupted);
    if (!snapshot) return undefined;
    const text = JSON.stringify(snapshot.forecasts);
    if (text === this.sent) return null;
    this.sent = text;
    return snapshot;
  }

  /** What a view is sent while the forecasts at `time` are being read: none, marked pending, so that no earlier moment's show as this one's. */
  pending(time: number): ForecastSnapshot {
    // Whatever is read next differs from this.
    this.sent = undefined;
    return { time, forecasts: [], pending: true };
  }

  /** Forgets what was fed and sent (a new moment or recording is entered). */
  reset(): void {
    this.fedTo = Number.NaN;
    this.sent = undefined;
    this.forecaster.clear();
  }
}
