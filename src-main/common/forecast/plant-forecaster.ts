import type { Plant } from '../plant-schema.ts';
import { signalOrder } from '../signal-order.ts';
import type { ForecastSnapshot, SignalForecast } from './forecast-record.ts';
import { resolveForecastSettings } from './forecast-settings.ts';
import { limitCrossing, minForecastPoints, minTrendZ, type ForecastLimits } from './forecast-signal.ts';
import { maxTrendPoints, TheilSen, type TrendFit } from './theil-sen.ts';

/** Ring slots per signal: a window's buckets, the one filling now, and one spare so a boundary never overwrites a needed bucket. */
const slotsPerSignal = maxTrendPoints + 2;

interface ForecastSignal {
  signal: number;
  machine: number;
  limits: ForecastLimits;
  windowMs: number;
  horizonMs: number;
  /** Width of a bucket: the window in 64. */
  bucketMs: number;
  /** Where this signal's slots start in the shared arrays. */
  offset: number;
}

/**
 * Every forecast signal's recent trend, and the forecasts it gives. Samples are kept as the mean value
 * and mean time of each bucket (window ÷ 64, aligned to the epoch) in one ring of typed arrays per signal, so adding
 * one allocates nothing and costs a few stores. A forecast at T is a pure function of the complete
 * buckets inside T's window: live (fed sample by sample) and replay (fed the recorded window) agree.
 */
export class PlantForecaster {
  private readonly signals: ForecastSignal[] = [];
  /** For each signal index, its position in `signals`, or −1 when it has no forecast. */
  private readonly positionOf: Int32Array;
  private readonly bucketOf: Float64Array;
  private readonly sampleCount: Float64Array;
  private readonly valueSum: Float64Array;
  /** Sum of the samples' times after their bucket's start, so each bucket's point sits at its samples' mean time. */
  private readonly offsetSum: Float64Array;
  /**
   * Each signal's fit over the window it was last fitted for (its oldest and newest bucket; NaN: none
   * cached), null when that window held no significant trend. A window's complete buckets only change
   * when it moves on, once a bucket (the window ÷ 64), or when a late sample lands in one: in between,
   * evaluating reuses the fit instead of redoing its O(n²) work every second.
   */
  private readonly fittedOldest: Float64Array;
  private readonly fittedNewest: Float64Array;
  private readonly fits: Array<TrendFit | null>;
  private readonly fitter = new TheilSen();
  private readonly times = new Float64Array(maxTrendPoints);
  private readonly values = new Float64Array(maxTrendPoints);
  /** The longest window (and its bucket) of any signal: how far back a replay must read to fill them all. */
  readonly longestWindowMs: number;

  constructor(plant: Plant) {
    const order = signalOrder(plant);
    this.positionOf = new Int32Array(order.signals.length).fill(-1);
    let longest = 0;
    order.signals.forEach((signal, index) => {
      const limits = signal.limits;
      if (!limits || (limits.highWarn ?? limits.highAlarm ?? limits.lowWarn ?? limits.lowAlarm) === undefined) return;
      const settings = resolveForecastSettings(plant.forecast, signal.forecast);
      if (!settings.enabled) return;
      const bucketMs = Math.ceil(settings.windowMs / maxTrendPoints);
      this.positionOf[index] = this.signals.length;
      this.signals.push({ signal: index, machine: order.machineOf[index]!, limits, windowMs: settings.windowMs, horizonMs: settings.horizonMs, bucketMs, offset: this.signals.length * slotsPerSignal });
      longest = Math.max(longest, settings.windowMs + bucketMs);
    });
    this.longestWindowMs = longest;
    this.bucketOf = new Float64Array(this.signals.length * slotsPerSignal).fill(-1);
    this.sampleCount = new Float64Array(this.signals.length * slotsPerSignal);
    this.valueSum = new Float64Array(this.signals.length * slotsPerSignal);
    this.offsetSum = new Float64Array(this.signals.length * slotsPerSignal);
    this.fittedOldest = new Float64Array(this.signals.length).fill(Number.NaN);
    this.fittedNewest = new Float64Array(this.signals.length).fill(Number.NaN);
    this.fits = new Array<TrendFit | null>(this.signals.length).fill(null);
  }

  /** How many signals have a forecast. */
  get signalCount(): number {
    return this.signals.length;
  }

  /** Takes one accepted sample (in the order they were accepted); bad-quality and lost-source values are no measurements and are left out. */
  add(signal: number, value: number, time: number): void {
    const position = signal >= 0 && signal < this.positionOf.length ? this.positionOf[signal]! : -1;
    if (position < 0 || !Number.isFinite(value) || !Number.isFinite(time)) return;
    const entry = this.signals[position]!;
    const bucket = Math.floor(time / entry.bucketMs);
    const slot = entry.offset + (bucket % slotsPerSignal);
    const previous = this.bucketOf[slot]!;
    // A sample older than the bucket its slot holds now belongs to a bucket already passed over.
    if (bucket < previous) return;
    // A late sample in a bucket the cached fit read, or a bucket it read giving up its slot, makes the fit stale.
    if (bucket <= this.fittedNewest[position]! || (bucket !== previous && previous >= this.fittedOldest[position]! && previous <= this.fittedNewest[position]!)) this.fittedNewest[position] = Number.NaN;
    if (bucket !== previous) {
      this.bucketOf[slot] = bucket;
      this.sampleCount[slot] = 0;
      this.valueSum[slot] = 0;
      this.offsetSum[slot] = 0;
    }
    this.sampleCount[slot]!++;
    this.valueSum[slot]! += value;
    this.offsetSum[slot]! += time - bucket * entry.bucketMs;
  }

  /** Forgets every sample (a replay jumping elsewhere). */
  clear(): void {
    this.bucketOf.fill(-1);
    this.fittedNewest.fill(Number.NaN);
  }

  /** Every forecast at `now` that reaches a limit within a day, nearest first. */
  evaluate(now: number): ForecastSnapshot {
    const forecasts: SignalForecast[] = [];
    this.evaluateSome(now, forecasts, 0, () => false);
    return forecastSnapshot(now, forecasts);
  }

  /**
   * Evaluates the signals from position `first` on at `now`, adding their forecasts to `into`, until
   * `enough()` (asked after each signal) says to stop; returns the position to go on from, `signalCount`
   * once every signal is done. A host cuts a pass over a large plant into slices this way.
   */
  evaluateSome(now: number, into: SignalForecast[], first: number, enough: () => boolean): number {
    let position = first;
    while (position < this.signals.length) {
      const forecast = this.forecast(position, now);
      if (forecast) into.push(forecast);
      position++;
      if (enough()) break;
    }
    return position;
  }

  private forecast(position: number, now: number): SignalForecast | undefined {
    const entry = this.signals[position]!;
    const { bucketMs } = entry;
    // Complete buckets only, wholly inside the window: the one filling now would differ between live and replay.
    const newest = Math.floor(now / bucketMs) - 1;
    const oldest = Math.ceil((now - entry.windowMs) / bucketMs);
    if (newest !== this.fittedNewest[position] || oldest !== this.fittedOldest[position]) {
      this.fits[position] = this.fitWindow(entry, oldest, newest);
      this.fittedOldest[position] = oldest;
      this.fittedNewest[position] = newest;
    }
    const fit = this.fits[position];
    if (!fit) return undefined;
    const from = (newest + 1) * bucketMs;
    // The fit's times are seconds before `from`, a moment that depends on the window only, so that live
    // (fitting once per window) and replay (fitting at whichever moment it is asked) agree to the bit.
    const crossing = limitCrossing(fit, entry.limits, now, fit.intercept + (fit.slope * (now - from)) / 1000);
    if (!crossing) return undefined;
    return {
      signal: entry.signal,
      machine: entry.machine,
      ...crossing,
      from,
      value: fit.intercept,
      slopePerSecond: fit.slope,
      horizonMs: entry.horizonMs,
      predicted: crossing.at - now <= entry.horizonMs,
    };
  }

  /** The trend of the complete buckets `oldest`…`newest`, in seconds before the newest one's end; null without a significant one. */
  private fitWindow(entry: ForecastSignal, oldest: number, newest: number): TrendFit | null {
    const { bucketMs, offset } = entry;
    const reference = (newest + 1) * bucketMs;
    let count = 0;
    for (let bucket = oldest; bucket <= newest; bucket++) {
      const slot = offset + (((bucket % slotsPerSignal) + slotsPerSignal) % slotsPerSignal);
      if (this.bucketOf[slot] !== bucket) continue;
      // The bucket's mean sample at its samples' mean time.
      const samples = this.sampleCount[slot]!;
      this.times[count] = (bucket * bucketMs + this.offsetSum[slot]! / samples - reference) / 1000;
      this.values[count] = this.valueSum[slot]! / samples;
      count++;
    }
    if (count < minForecastPoints) return null;
    const z = this.fitter.kendallZ(this.times, this.values, count);
    if (Math.abs(z) < minTrendZ) return null;
    return this.fitter.fit(this.times, this.values, count, z) ?? null;
  }
}

/** The snapshot of the forecasts a pass evaluated at `now`, nearest first (sorts `forecasts` in place). */
export function forecastSnapshot(now: number, forecasts: SignalForecast[]): ForecastSnapshot {
  forecasts.sort((a, b) => a.at - b.at || a.signal - b.signal);
  return { time: now, forecasts };
}
