/** How sure a forecast is, from its slope's 90 % confidence interval: high within ±25 %, medium within ±50 %, else low. */
export type ForecastConfidence = 'high' | 'medium' | 'low';

/**
 * One signal's look ahead, as views (inspector, charts, scene) get it. The projected line runs from
 * (`from`, `value`) with `slopePerSecond`; it meets `limitValue` at `at`.
 */
export interface SignalForecast {
  /** Index of the signal in the signal order. */
  signal: number;
  /** Index of its machine in the plant. */
  machine: number;
  /** Which side the trend heads for. */
  side: 'high' | 'low';
  /** The first limit the trend reaches: the warning limit, or the alarm limit once the trend is past the warning. */
  limit: 'warning' | 'alarm';
  limitValue: number;
  /** When the trend line reaches `limitValue` (ms since the epoch). */
  at: number;
  /** The same for the steepest and shallowest slopes of the 90 % interval; `latest` is null when the shallowest does not head there. */
  earliest: number;
  latest: number | null;
  /** When the trend reaches the warning and the alarm limit of that side, where it has one still ahead. */
  warningAt: number | null;
  alarmAt: number | null;
  confidence: ForecastConfidence;
  /** Where the projected line starts: the end of the newest complete bucket, and the trend's value there. */
  from: number;
  value: number;
  slopePerSecond: number;
  /** The signal's horizon, and whether `at` falls within it of the snapshot's time. */
  horizonMs: number;
  predicted: boolean;
}

/** Every signal's forecast at one moment: those with a limit ahead, nearest first. */
export interface ForecastSnapshot {
  time: number;
  forecasts: SignalForecast[];
  /** Replay only: the forecasts at `time` are still being read from the recording (`forecasts` is empty until they come). */
  pending?: true;
}

/** The machines with at least one forecast within its horizon, by machine index (sorted, each once). */
export function predictedMachines(snapshot: ForecastSnapshot | null | undefined): number[] {
  if (!snapshot) return [];
  const machines = new Set<number>();
  for (const forecast of snapshot.forecasts) if (forecast.predicted) machines.add(forecast.machine);
  return [...machines].sort((a, b) => a - b);
}
