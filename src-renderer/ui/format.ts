import { Health } from '../../src-main/common/health.ts';

/** A value with sensible precision for its magnitude. */
export function formatValue(value: number): string {
  const magnitude = Math.abs(value);
  if (magnitude >= 1000) return value.toFixed(0);
  if (magnitude >= 100) return value.toFixed(1);
  if (magnitude >= 1) return value.toFixed(2);
  return value.toPrecision(3);
}

/**
 * A signal's latest value as the inspector shows it: a number, or what stands in its place when the
 * sample was no measurement — "bad quality" (NaN, while its health says bad), "source lost"
 * (Infinity, over the desktop transport), or "no value" (a NaN or a null the JSON transport made of
 * either, once its health no longer tells which). Never a number that was not measured.
 */
export function formatSampleValue(value: number | null, health: number): string {
  if (value === null || Number.isNaN(value)) return health === Health.bad ? 'bad quality' : 'no value';
  if (value === Number.POSITIVE_INFINITY) return 'source lost';
  if (!Number.isFinite(value)) return 'no value';
  return formatValue(value);
}

/** An age in ms as "0.4 s", "12 s", "3 min", "2 h". */
export function formatAge(milliseconds: number): string {
  const seconds = Math.max(0, milliseconds) / 1000;
  if (seconds < 10) return `${seconds.toFixed(1)} s`;
  if (seconds < 120) return `${Math.round(seconds)} s`;
  if (seconds < 7200) return `${Math.round(seconds / 60)} min`;
  return `${Math.round(seconds / 3600)} h`;
}

const twoDigits = (value: number) => String(value).padStart(2, '0');

/** A moment in local time as "2026-11-25 08:16:35.8": sortable, 24-hour, to the tenth of a second, the same in every locale. */
export function formatMoment(time: number): string {
  const date = new Date(time);
  const day = `${date.getFullYear()}-${twoDigits(date.getMonth() + 1)}-${twoDigits(date.getDate())}`;
  return `${day} ${twoDigits(date.getHours())}:${twoDigits(date.getMinutes())}:${twoDigits(date.getSeconds())}.${Math.floor(date.getMilliseconds() / 100)}`;
}

/** A count as "950", "12.3k", "4.56M". */
export function compactCount(count: number): string {
  if (count < 1000) return String(Math.round(count));
  // Past 999.5k, three digits of thousands would round up to "1.00e+3k".
  const [value, unit] = count < 999_500 ? [count / 1e3, 'k'] : [count / 1e6, 'M'];
  return `${Number(value.toPrecision(3))}${unit}`;
}
