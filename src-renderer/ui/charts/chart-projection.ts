import type { SignalForecast } from '../../../src-main/common/forecast/forecast-record.ts';

/** The forecast's projected line as a chart draws it: times in ms since the epoch. */
export interface ChartProjection {
  /** The last fitted point: where the line starts. */
  from: number;
  value: number;
  /** The predicted crossing: where the line ends, on the limit it reaches. */
  at: number;
  limitValue: number;
  limit: 'warning' | 'alarm';
  /** The 90 % range of the crossing; `latest` null when the shallowest slope never gets there. */
  earliest: number;
  latest: number | null;
  /** Whether the crossing falls within the forecast horizon (drawn in the predicted colour, and shown by stretching the x range). */
  predicted: boolean;
}

/** The projection a chart draws for a signal's forecast, or null (nothing drawn) when it has none or it is not a usable line. */
export function chartProjection(forecast: SignalForecast | undefined): ChartProjection | null {
  if (!forecast) return null;
  const { from, value, at, limitValue, earliest, latest } = forecast;
  // Values come from the host; a line that is not finite or runs backwards in time is not drawn.
  if (![from, value, at, limitValue, earliest].every(Number.isFinite) || at < from) return null;
  return {
    from,
    value,
    at,
    limitValue,
    limit: forecast.limit,
    earliest: Math.max(from, earliest),
    latest: latest !== null && Number.isFinite(latest) ? Math.max(from, latest) : null,
    predicted: forecast.predicted,
  };
}

/** The x range a chart shows: its own range, stretched to the predicted crossing when the crossing is within the horizon and past the range's end. */
export function rangeWithProjection(range: { from: number; to: number }, projection: ChartProjection | null): { from: number; to: number } {
  if (!projection?.predicted || projection.at <= range.to) return range;
  return { from: range.from, to: projection.at + (projection.at - range.from) * 0.02 };
}
