import { csvTextField } from '../../common/csv-text-field.ts';
import type { RecordedHistory } from './recorded-history.ts';

export { csvTextField };

/** One row of an exported CSV, as read back. */
export interface CsvSample {
  time: number;
  signal: string;
  value: number;
  unit: string;
}

const header = ['time', 'signal', 'value', 'unit'] as const;
// RFC 4180 ends records with CRLF; spreadsheet programs on every platform accept it.
const lineEnd = '\r\n';
// Rows are handed to `write` in batches of about this many characters: one call per row costs more than the formatting.
const batchCharacters = 64 * 1024;

/**
 * What the value column says for a sample that is no measurement: words, not "NaN" or "Infinity", so
 * that a reader sees what happened and a spreadsheet leaves the cell out of sums, averages and charts.
 */
export const badQualityText = 'bad quality';
/** The value column of a sample whose source was lost (a Sparkplug node or device died). */
export const sourceLostText = 'source lost';

/** A sample's value as the value column writes it: the shortest text that parses back to the same double, or the words above. */
function csvValue(value: number): string {
  if (Number.isNaN(value)) return badQualityText;
  if (value === Number.POSITIVE_INFINITY) return sourceLostText;
  // String(number) is the shortest text that parses back to the same double.
  return String(value);
}

// The first and last moments toISOString writes with a four-digit year: 0000-01-01 and 9999-12-31.
const firstIsoTime = -62_167_219_200_000;
const lastIsoTime = 253_402_300_799_999;

/**
 * Times as `Date.prototype.toISOString` writes them, the text up to the second kept from one row to the
 * next: rows come in time order, many within a second, and a Date for each was garbage.
 */
class IsoTimes {
  private second = Number.NaN;
  private secondText = '';

  /** The ISO text of `time` (ms since the epoch). */
  text(time: number): string {
    if (!(Number.isInteger(time) && time >= firstIsoTime && time <= lastIsoTime)) return new Date(time).toISOString();
    const millisecond = time - Math.floor(time / 1000) * 1000;
    const second = time - millisecond;
    if (second !== this.second) {
      this.second = second;
      // "2026-12-04T17:20:05." of "2026-12-04T17:20:05.000Z".
      this.secondText = new Date(second).toISOString().slice(0, -4);
    }
    return `${this.secondText}${millisecond < 10 ? '00' : millisecond < 100 ? '0' : ''}${millisecond}Z`;
  }
}

/** Undoes `csvTextField`'s single quote, so a neutralised field reads back as the text it was. */
function readTextField(field: string): string {
  return field.startsWith("'") ? field.slice(1) : field;
}

/**
 * Writes the raw samples of the chosen signals between `from` and `to` (ms since the epoch, both
 * inclusive) as CSV with the columns time, signal, value, unit; returns the number of rows written.
 */
export function exportCsv(reader: RecordedHistory, signalKeys: readonly string[], from: number, to: number, write: (chunk: string) => void): number {
  const batches = csvBatches(reader, signalKeys, from, to);
  for (let next = batches.next(); ; next = batches.next()) {
    if (next.done) return next.value;
    write(next.value);
  }
}

/**
 * The CSV of `exportCsv` as batches of about 64 KiB, made as they are pulled: a caller that hands
 * each one on before asking for the next holds one batch, however long the range. Returns the row count.
 */
export function* csvBatches(reader: RecordedHistory, signalKeys: readonly string[], from: number, to: number): Generator<string, number> {
  if (Number.isNaN(from) || Number.isNaN(to)) throw new RangeError(`The export range must be two times, not ${from} to ${to}`);
  const indexByKey = new Map(reader.signalKeys.map((key, index) => [key, index]));
  const unknown = signalKeys.filter((key) => !indexByKey.has(key));
  if (unknown.length > 0) {
    throw new Error(`The recording ${reader.name} has no signal ${unknown.map((key) => `"${key}"`).join(', ')}`);
  }
  const units = new Map<string, string>(reader.plant.machines.flatMap((machine) => machine.signals.map((signal) => [`${machine.id}/${signal.id}`, signal.unit] as const)));
  // Signal and unit never change along the way, so each chosen signal's fields are quoted once up front.
  const fieldsByCode: Array<string | undefined> = new Array(reader.signalKeys.length).fill(undefined);
  for (const key of signalKeys) fieldsByCode[indexByKey.get(key)!] = `${csvTextField(key)},`;
  const unitsByCode: string[] = reader.signalKeys.map((key) => csvTextField(units.get(key) ?? ''));

  let batch = header.join(',') + lineEnd;
  let rows = 0;
  const times = new IsoTimes();
  // A decoded block at a time, no object per event: a day of 10,000 signals is millions of events, of
  // which an export of a few signals writes a small share; an object for each was most of its garbage.
  for (const { events, first, end } of reader.eventSlicesBetween(from, to)) {
    for (let index = first; index < end; index++) {
      const code = events.codes[index]!;
      // Negative codes are broker connection events, not samples.
      if (code < 0) continue;
      const signalField = fieldsByCode[code];
      if (signalField === undefined) continue;
      batch += `${times.text(events.times[index]!)},${signalField}${csvValue(events.values[index]!)},${unitsByCode[code]!}${lineEnd}`;
      rows++;
      if (batch.length >= batchCharacters) {
        yield batch;
        batch = '';
      }
    }
  }
  if (batch.length > 0) yield batch;
  return rows;
}

/**
 * Reads CSV text written by `exportCsv` back into samples (any RFC 4180 CSV with the same header); a
 * signal or unit that begins with a single quote loses it, as `csvTextField` put it there.
 */
export function parseCsvExport(text: string): CsvSample[] {
  const records = parseCsvRecords(text);
  const first = records.shift();
  if (!first || first.join(',') !== header.join(',')) throw new Error(`Not a Twinline CSV export: the first line must be "${header.join(',')}"`);
  return records.map((fields, index) => {
    const line = index + 2;
    if (fields.length !== header.length) throw new Error(`CSV record ${line} has ${fields.length} fields, expected ${header.length}`);
    const [timeText, signal, valueText, unit] = fields as [string, string, string, string];
    const time = Date.parse(timeText);
    if (Number.isNaN(time)) throw new Error(`CSV record ${line}: "${timeText}" is not a time`);
    const value = valueText === badQualityText ? Number.NaN : valueText === sourceLostText ? Number.POSITIVE_INFINITY : Number(valueText);
    // Number('') is 0 and Number(' 1') is 1; only what csvValue produces is accepted.
    if (valueText.trim() !== valueText || valueText === '' || (Number.isNaN(value) && valueText !== badQualityText)) {
      throw new Error(`CSV record ${line}: "${valueText}" is not a number`);
    }
    return { time, signal: readTextField(signal), value, unit: readTextField(unit) };
  });
}

/** Splits RFC 4180 text into records of fields; accepts CRLF or LF line ends and a final line end or none. */
function parseCsvRecords(text: string): string[][] {
  const records: string[][] = [];
  let fields: string[] = [];
  let field = '';
  let position = 0;
  // Whether the current record has begun, so a trailing line end does not add an empty record.
  let started = false;
  while (position < text.length) {
    const character = text[position]!;
    if (character === '"' && field === '') {
      const closing = readQuoted(text, position);
      field = closing.field;
      position = closing.next;
      started = true;
      const after = text[position];
      if (after !== undefined && after !== ',' && after !== '\r' && after !== '\n') throw new Error(`CSV: text after a closing quote at character ${position}`);
      continue;
    }
    if (character === ',') {
      fields.push(field);
      field = '';
      started = true;
      position++;
    } else if (character === '\r' || character === '\n') {
      if (started || field !== '') {
        fields.push(field);
        records.push(fields);
      }
      fields = [];
      field = '';
      started = false;
      position += character === '\r' && text[position + 1] === '\n' ? 2 : 1;
    } else {
      if (character === '"') throw new Error(`CSV: a quote inside an unquoted field at character ${position}`);
      field += character;
      started = true;
      position++;
    }
  }
  if (started || field !== '') {
    fields.push(field);
    records.push(fields);
  }
  return records;
}

/** Reads a quoted field starting at the opening quote; returns its text and the position after the closing quote. */
function readQuoted(text: string, opening: number): { field: string; next: number } {
  let field = '';
  let position = opening + 1;
  for (;;) {
    const quote = text.indexOf('"', position);
    if (quote === -1) throw new Error(`CSV: the quote at character ${opening} is never closed`);
    field += text.slice(position, quote);
    if (text[quote + 1] === '"') {
      field += '"';
      position = quote + 2;
    } else {
      return { field, next: quote + 1 };
    }
  }
}
