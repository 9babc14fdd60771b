import { formatIsoTime, type Clock } from '../format.ts';

/** A time as the host's alarm journal writes it: ISO 8601 UTC to the millisecond. */
const hostTimePattern = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/**
 * The alarm journal (lines ending in "\n", times in UTC, as `twinline export --alarms` writes it)
 * with its times on the chosen clock, as the sample CSV's are: local times carry their offset, so
 * the file reads as the screen did and still names each instant. Only a first field that is a host
 * time is rewritten; every other line and field passes through unchanged.
 */
export function journalOnClock(csv: string, clock: Clock): string {
  if (clock === 'utc') return csv;
  return csv
    .split('\n')
    .map((line) => {
      const comma = line.indexOf(',');
      const time = comma < 0 ? '' : line.slice(0, comma);
      return hostTimePattern.test(time) ? `${formatIsoTime(Date.parse(time), clock)}${line.slice(comma)}` : line;
    })
    .join('\n');
}
