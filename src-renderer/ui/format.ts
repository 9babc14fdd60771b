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

/** Which clock the view shows times in: the computer's own (its zone always shown) or UTC. */
export type Clock = 'local' | 'utc';

/** Minutes the clock is ahead of UTC at `time` (Chicago in winter: -360); daylight saving moves it. */
export function zoneOffsetMinutes(time: number, clock: Clock): number {
  // getTimezoneOffset is UTC minus local; a zone ahead of UTC has a positive offset here, as in ISO 8601.
  return clock === 'utc' ? 0 : -new Date(time).getTimezoneOffset();
}

/** An offset as ISO 8601 writes it: "+01:00", "-06:00" ("+00:00" for a local clock that is on UTC). */
export function formatOffset(minutes: number): string {
  const magnitude = Math.abs(minutes);
  return `${minutes < 0 ? '-' : '+'}${twoDigits(Math.floor(magnitude / 60))}:${twoDigits(magnitude % 60)}`;
}

/** The wall-clock fields of `time` on `clock`, read from a Date shifted by the clock's offset. */
function wallClock(time: number, clock: Clock): { date: Date; offset: number } {
  const offset = zoneOffsetMinutes(time, clock);
  return { date: new Date(time + offset * 60_000), offset };
}

/** The zone a time is written with: "UTC", or the local clock's offset ("-06:00"), which twinline export --from accepts. */
export function zoneLabel(time: number, clock: Clock): string {
  return clock === 'utc' ? 'UTC' : formatOffset(zoneOffsetMinutes(time, clock));
}

/** The local zone's short name where the system knows one ("CST", "CET"; else "GMT+1"), for labels; undefined if none. */
export function localZoneName(time: number): string | undefined {
  try {
    return new Intl.DateTimeFormat('en-US', { timeZoneName: 'short' }).formatToParts(new Date(time)).find((part) => part.type === 'timeZoneName')?.value;
  } catch (error) {
    // An engine without time zone data cannot name the zone; the offset beside it still says which it is.
    console.warn(`Twinline: the local time zone has no name here (${error instanceof Error ? error.message : String(error)})`);
    return undefined;
  }
}

/**
 * A moment on the chosen clock as "2026-11-25 08:16:35.8 +01:00" (local) or "2026-11-25 07:16:35.8 UTC":
 * sortable, 24-hour, to the tenth of a second, the same in every locale, and always with its zone, so
 * a time copied from the screen into `twinline export --from` names the same instant.
 */
export function formatMoment(time: number, clock: Clock): string {
  const { date } = wallClock(time, clock);
  const day = `${date.getUTCFullYear()}-${twoDigits(date.getUTCMonth() + 1)}-${twoDigits(date.getUTCDate())}`;
  const clockTime = `${twoDigits(date.getUTCHours())}:${twoDigits(date.getUTCMinutes())}:${twoDigits(date.getUTCSeconds())}.${Math.floor(date.getUTCMilliseconds() / 100)}`;
  return `${day} ${clockTime} ${zoneLabel(time, clock)}`;
}

/** A moment's time of day with its zone, "08:16:35.8 +01:00", for lists where the day goes without saying. */
export function formatTimeOfDay(time: number, clock: Clock): string {
  return formatMoment(time, clock).slice(11);
}

/** Whether two moments fall on the same day of the chosen clock. */
export function sameDay(first: number, second: number, clock: Clock): boolean {
  return formatMoment(first, clock).slice(0, 10) === formatMoment(second, clock).slice(0, 10);
}

/** A moment as ISO 8601 with the chosen clock's offset, to the millisecond: "2026-11-25T08:16:35.870+01:00" or "…07:16:35.870Z". */
export function formatIsoTime(time: number, clock: Clock): string {
  const { date, offset } = wallClock(time, clock);
  const local = date.toISOString().slice(0, 23);
  return `${local}${clock === 'utc' ? 'Z' : formatOffset(offset)}`;
}

/** A moment for a file name, without characters file systems refuse: "2026-11-25T08-16-35+0100" or "2026-11-25T07-16-35Z". */
export function fileNameTime(time: number, clock: Clock): string {
  const { date, offset } = wallClock(time, clock);
  const local = date.toISOString().slice(0, 19).replace(/:/g, '-');
  return `${local}${clock === 'utc' ? 'Z' : formatOffset(offset).replace(':', '')}`;
}

/** A count as "950", "12.3k", "4.56M". */
export function compactCount(count: number): string {
  if (count < 1000) return String(Math.round(count));
  // Past 999.5k, three digits of thousands would round up to "1.00e+3k".
  const [value, unit] = count < 999_500 ? [count / 1e3, 'k'] : [count / 1e6, 'M'];
  return `${Number(value.toPrecision(3))}${unit}`;
}
