/**
 * Reads a moment typed by a person (a command line's --from and --to): an ISO 8601 date and time
 * with an explicit zone, `Z` or an offset, or milliseconds since 1970. A time without a zone is
 * refused, never read in the machine's own zone: the same text would name different moments on an
 * edge box in UTC and a laptop in Chicago, and an investigator would export the wrong stretch.
 */

/** Longer text is no time; the bound keeps the patterns below from ever reading much. */
const maxLength = 64;
// Year, month, day; then T or a space and hours, minutes, optional seconds with a fraction; then the zone.
const dateTimePattern = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?(.*)$/i;
// The zone may follow a space and read UTC, as the view writes times ("2026-11-25 06:00:00.0 UTC", "… -06:00").
const zonePattern = /^\s?(?:(Z|UTC)|([+-])(\d{2})(?::?(\d{2}))?)$/i;
const epochMillisecondsPattern = /^\d{1,15}$/;

const example = '2026-11-25T06:00:00Z (UTC) or 2026-11-25T07:00:00+01:00';

/** Why a typed time was refused; the message says what to type instead. */
export class ZonedTimeError extends Error {}

/** The moment (ms since the epoch) that `text` names; throws a ZonedTimeError saying what to type when it names none or no zone. */
export function parseZonedTime(text: string): number {
  const trimmed = text.trim();
  if (trimmed.length > maxLength) throw new ZonedTimeError(`"${trimmed.slice(0, maxLength)}…" is too long to be a time like ${example}`);
  if (epochMillisecondsPattern.test(trimmed)) return Number(trimmed);
  const parts = dateTimePattern.exec(trimmed);
  if (!parts) throw new ZonedTimeError(`"${trimmed}" is not a time like ${example}, or milliseconds since 1970`);
  const [, year, month, day, hour, minute, second = '0', fraction = '', zone = ''] = parts;
  if (hour === undefined || minute === undefined) {
    throw new ZonedTimeError(`"${trimmed}" has no time of day: add one and its zone, e.g. ${trimmed}T06:00:00Z (UTC) or ${trimmed}T06:00:00+01:00`);
  }
  if (zone === '') {
    throw new ZonedTimeError(`"${trimmed}" has no time zone: add Z for UTC (${trimmed}Z) or the offset of the clock it was read from (e.g. ${trimmed}+01:00)`);
  }
  const zoneParts = zonePattern.exec(zone);
  if (!zoneParts) throw new ZonedTimeError(`"${trimmed}" ends in "${zone}", which is no time zone: end it in Z for UTC or an offset like +01:00`);
  const [, utc, sign, offsetHours = '0', offsetMinutes = '0'] = zoneParts;
  const fields = { year: Number(year), month: Number(month), day: Number(day), hour: Number(hour), minute: Number(minute), second: Number(second) };
  const offset = utc ? 0 : (sign === '-' ? -1 : 1) * (Number(offsetHours) * 60 + Number(offsetMinutes));
  if (fields.month < 1 || fields.month > 12 || fields.hour > 23 || fields.minute > 59 || fields.second > 59 || Number(offsetHours) > 23 || Number(offsetMinutes) > 59) {
    throw new ZonedTimeError(`"${trimmed}" is no real time: a field is out of range`);
  }
  const local = Date.UTC(fields.year, fields.month - 1, fields.day, fields.hour, fields.minute, fields.second, Number(fraction.slice(0, 3).padEnd(3, '0')));
  // Date.UTC carries 31 February into March; a day the month does not have is a typing mistake to report.
  if (new Date(local).getUTCDate() !== fields.day) throw new ZonedTimeError(`"${trimmed}" is no real time: ${year}-${month} has no day ${day}`);
  return local - offset * 60_000;
}
