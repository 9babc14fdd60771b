import { formatIsoTime, type Clock } from './format.ts';

/** A time as the host's CSV export writes it: ISO 8601 UTC to the millisecond. */
const hostTimePattern = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/**
 * A CSV export (`time,signal,value,unit`, times in UTC) with its times on the chosen clock: UTC
 * stays as it is, local times carry their offset ("2026-11-25T04:22:23.870-06:00"), so the file
 * reads as the screen did and still names each instant exactly. Only a first field that is a host
 * time is rewritten; any other line passes through unchanged.
 */
export function csvOnClock(csv: string, clock: Clock): string {
  if (clock === 'utc') return csv;
  return csv
    .split('\r\n')
    .map((line) => {
      const comma = line.indexOf(',');
      const time = comma < 0 ? '' : line.slice(0, comma);
      return hostTimePattern.test(time) ? `${formatIsoTime(Date.parse(time), clock)}${line.slice(comma)}` : line;
    })
    .join('\r\n');
}
