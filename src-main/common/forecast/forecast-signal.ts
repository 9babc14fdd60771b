import type { ForecastConfidence } from './forecast-record.ts';
import type { TrendFit } from './theil-sen.ts';

/** A trend must stand this many standard deviations from none (Mann–Kendall, about 99.7 % one-sided) before it forecasts anything. */
export const minTrendZ = 3;
/** Fewest points a forecast is fitted from. */
export const minForecastPoints = 12;
/** Farthest a forecast reaches: beyond a day a straight line says nothing useful. */
export const maxForecastLeadMs = 86_400_000;

/** The limits of a signal that a forecast heads for (any may be absent). */
export interface ForecastLimits {
  lowAlarm?: number;
  lowWarn?: number;
  highWarn?: number;
  highAlarm?: number;
}

/** What a fitted trend says about a signal's limits, seen from `now`; times in ms since the epoch. */
export interface LimitCrossing {
  side: 'high' | 'low';
  limit: 'warning' | 'alarm';
  limitValue: number;
  at: number;
  earliest: number;
  latest: number | null;
  warningAt: number | null;
  alarmAt: number | null;
  confidence: ForecastConfidence;
}

/**
 * When the trend reaches the nearest limit ahead of it, or undefined when it is flat, not significant,
 * heading away from every limit, already past them, or further off than a day. `intercept`: the
 * trend's value at `now` (the fit's own is at the moment its times were measured from).
 */
export function limitCrossing(fit: TrendFit, limits: ForecastLimits, now: number, intercept: number): LimitCrossing | undefined {
  if (Math.abs(fit.z) < minTrendZ || fit.slope === 0 || Math.sign(fit.z) !== Math.sign(fit.slope)) return undefined;
  const side = fit.slope > 0 ? 'high' : 'low';
  const warning = side === 'high' ? limits.highWarn : limits.lowWarn;
  const alarm = side === 'high' ? limits.highAlarm : limits.lowAlarm;
  const secondsTo = (limit: number | undefined, slope: number): number | null => {
    if (limit === undefined || !(slope * (side === 'high' ? 1 : -1) > 0)) return null;
    const seconds = (limit - intercept) / slope;
    // Already past it (or there now): not a forecast, the signal's health says so.
    return seconds > 0 && seconds * 1000 <= maxForecastLeadMs ? seconds : null;
  };
  const warningSeconds = secondsTo(warning, fit.slope);
  const alarmSeconds = secondsTo(alarm, fit.slope);
  const limit = warningSeconds !== null ? 'warning' : alarmSeconds !== null ? 'alarm' : undefined;
  if (limit === undefined) return undefined;
  const limitValue = (limit === 'warning' ? warning : alarm)!;
  const seconds = (limit === 'warning' ? warningSeconds : alarmSeconds)!;
  const steep = side === 'high' ? fit.slopeHigh : fit.slopeLow;
  const shallow = side === 'high' ? fit.slopeLow : fit.slopeHigh;
  const earliestSeconds = secondsTo(limitValue, steep) ?? seconds;
  const latestSeconds = (limitValue - intercept) / shallow;
  const latest = shallow * (side === 'high' ? 1 : -1) > 0 && latestSeconds > 0 ? now + Math.round(latestSeconds * 1000) : null;
  return {
    side,
    limit,
    limitValue,
    at: now + Math.round(seconds * 1000),
    earliest: now + Math.round(Math.min(earliestSeconds, seconds) * 1000),
    latest,
    warningAt: warningSeconds === null ? null : now + Math.round(warningSeconds * 1000),
    alarmAt: alarmSeconds === null ? null : now + Math.round(alarmSeconds * 1000),
    confidence: confidenceOf(fit),
  };
}

/** High when the slope's 90 % interval lies within ±25 % of it, medium within ±50 %, low otherwise. */
export function confidenceOf(fit: TrendFit): ForecastConfidence {
  const relative = (fit.slopeHigh - fit.slopeLow) / (2 * Math.abs(fit.slope));
  return relative <= 0.25 ? 'high' : relative <= 0.5 ? 'medium' : 'low';
}
