/**
 * The moments a recording may hold, in ms since the epoch. Anything outside is damage or forgery:
 * nothing was recorded before 1970, and past the year 9999 an ISO 8601 time needs an expanded year.
 * Readers check times against these bounds before any loop or array depends on them.
 */
export const earliestRecordedTime = 0;
/** The first moment after the latest a recording may hold: 10000-01-01T00:00:00Z. */
export const endOfRecordedTime = Date.UTC(10_000, 0, 1);

/** Whether `value` is a moment a recording may hold. */
export function isRecordedTime(value: unknown): value is number {
  return typeof value === 'number' && value >= earliestRecordedTime && value < endOfRecordedTime;
}

/** `time` moved into the moments a recording may hold (NaN to the earliest), for bounding a query. */
export function clampToRecordedTime(time: number): number {
  if (!(time >= earliestRecordedTime)) return earliestRecordedTime;
  return Math.min(time, endOfRecordedTime - 1);
}
