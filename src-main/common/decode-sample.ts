import type { ProblemKind } from './contract.ts';

// Text quoted in a problem's detail is cut to this many characters.
const shownTextLength = 40;

/** A compiled JSON path: property names and array indices to walk. */
export type JsonPath = ReadonlyArray<string | number>;

/** Compiles `data.values[2].temperature` into its steps; throws on a malformed path. */
export function compileJsonPath(path: string): JsonPath {
  const steps: Array<string | number> = [];
  const pattern = /([^.[\]]+)|\[(\d+)\]|(\.)/gy;
  let expectName = true;
  let match: RegExpExecArray | null;
  while (pattern.lastIndex < path.length && (match = pattern.exec(path))) {
    if (match[1] !== undefined) {
      if (!expectName) throw new Error(`malformed JSON path "${path}"`);
      steps.push(match[1]);
      expectName = false;
    } else if (match[2] !== undefined) {
      steps.push(Number(match[2]));
      expectName = false;
    } else {
      if (expectName) throw new Error(`malformed JSON path "${path}"`);
      expectName = true;
    }
  }
  if (pattern.lastIndex !== path.length || expectName || steps.length === 0) throw new Error(`malformed JSON path "${path}"`);
  return steps;
}

/** A parsed payload, or why it is not JSON. */
export type ParseResult = { ok: true; document: unknown } | { ok: false; kind: 'malformedPayload'; detail: string };

/** Parses a payload once, so that every signal on its topic can read its own field from it. */
export function parsePayload(text: string): ParseResult {
  try {
    return { ok: true, document: JSON.parse(text) };
  } catch (error) {
    return { ok: false, kind: 'malformedPayload', detail: `not JSON: ${error instanceof Error ? error.message : String(error)}` };
  }
}

/** Parses a payload and reads one number from it, as a signal with `path` and nothing else set would. */
export function decodeSample(text: string, path: JsonPath | undefined): SampleResult {
  const parsed = parsePayload(text);
  return parsed.ok ? readSignalSample(parsed.document, { path, states: undefined, statesIgnoringCase: undefined, scale: 1, offset: 0 }) : parsed;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return `the string ${JSON.stringify(value.length > shownTextLength ? `${value.slice(0, shownTextLength)}…` : value)}`;
  if (typeof value === 'number') return String(value);
  return typeof value;
}

/** How one signal reads its sample out of a parsed payload: where, and how text and units map to its number. */
export interface SampleReader {
  path: JsonPath | undefined;
  /** Text values and the numbers they stand for, exactly as the plant file spells them. */
  states: ReadonlyMap<string, number> | undefined;
  /** The same, by lower-case text, for text whose case differs; names that differ only in case are left out, as they would be ambiguous. */
  statesIgnoringCase: ReadonlyMap<string, number> | undefined;
  scale: number;
  offset: number;
}

/** Longest text looked up among a signal's states: longer text names none of them. */
const maxStateTextLength = 256;

/** The number a state's text stands for: the plant file's spelling first, then ignoring case and surrounding spaces; undefined for text it does not name. */
export function stateCode(reader: Pick<SampleReader, 'states' | 'statesIgnoringCase'>, text: string): number | undefined {
  if (text.length > maxStateTextLength) return undefined;
  return reader.states?.get(text) ?? reader.statesIgnoringCase?.get(text.trim().toLowerCase());
}

/** A signal's sample as read from a payload: its value (NaN when the payload says its quality is bad) and the payload's own timestamp, if it had one. */
export type SampleResult = { ok: true; value: number; sourceTime: number | undefined } | { ok: false; kind: ProblemKind; detail: string };

/** Compiles what a signal's plant entry says about reading its payload. */
export function compileSampleReader(signal: { path?: string | undefined; states?: Readonly<Record<string, number>> | undefined; scale?: number; offset?: number }): SampleReader {
  let statesIgnoringCase: Map<string, number> | undefined;
  if (signal.states !== undefined) {
    statesIgnoringCase = new Map();
    const ambiguous = new Set<string>();
    for (const [name, code] of Object.entries(signal.states)) {
      const lower = name.toLowerCase();
      if (statesIgnoringCase.has(lower) && statesIgnoringCase.get(lower) !== code) ambiguous.add(lower);
      statesIgnoringCase.set(lower, code);
    }
    for (const lower of ambiguous) statesIgnoringCase.delete(lower);
  }
  return {
    path: signal.path === undefined ? undefined : compileJsonPath(signal.path),
    states: signal.states === undefined ? undefined : new Map(Object.entries(signal.states)),
    statesIgnoringCase,
    scale: signal.scale ?? 1,
    offset: signal.offset ?? 0,
  };
}

/** What a payload says about how far its value can be trusted. */
export type SampleQuality = 'good' | 'uncertain' | 'bad';

// Field names of a value object, in the order they are looked for: the long forms first, then the short `{ v, t, q }`.
const valueFields = ['value', 'v'] as const;
// `t` is a timestamp only beside `v`: elsewhere a short name like that is as likely a temperature.
const timestampFields = ['timestamp', 'time', 'ts'] as const;
const qualityFields = ['quality', 'q'] as const;
// The value a bad-quality sample carries (health.ts's badQualityValue); written out, as common/health imports the plant schema.
const badQuality = Number.NaN;
// Epoch numbers below this are seconds: 1e11 ms is 1973, 1e11 s is the year 5138.
const secondsBelow = 1e11;
// An ISO 8601 date and time with a zone; without one the moment would depend on the host's time zone.
const isoDateTime = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:[.,]\d{1,9})?)?(?:Z|[+-]\d{2}(?::?\d{2})?)$/i;
const longestIsoText = 40;
// A number as JSON or a plain decimal writes it, and nothing else: no hex, no blanks, no "Infinity".
const numericText = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?$/i;

/**
 * Reads one signal's sample out of a parsed payload.
 *
 * After the signal's `path` (or the whole payload without one) comes a number, a boolean, a text, or a
 * value object `{ value, timestamp | time | ts, quality }` (short: `{ v, t, q }`). Text maps through
 * the signal's `states` (exactly, then ignoring case); without `states` a text that is a plain decimal
 * number is read as that number. `scale` and `offset` apply to numbers, not to booleans or state codes.
 * A bad quality gives NaN (bad quality) whatever the value; uncertain keeps the value. The timestamp is
 * the value object's, else the payload's top-level one; one that cannot be read is ignored.
 */
export function readSignalSample(document: unknown, reader: SampleReader): SampleResult {
  let value: unknown = document;
  if (reader.path) {
    for (const step of reader.path) {
      if (value === null || typeof value !== 'object' || !Object.hasOwn(value, step)) {
        return { ok: false, kind: 'missingField', detail: `no ${typeof step === 'number' ? `[${step}]` : `"${step}"`} in payload` };
      }
      value = (value as Record<string | number, unknown>)[step];
    }
  }
  let sourceTime: number | undefined;
  let quality: SampleQuality = 'good';
  if (isPlainObject(value)) {
    const holder = value;
    const valueField = firstOwnField(holder, valueFields);
    const qualityField = firstOwnField(holder, qualityFields);
    const timestampField = valueField === 'v' && Object.hasOwn(holder, 't') ? 't' : firstOwnField(holder, timestampFields);
    if (qualityField !== undefined) quality = readQuality(holder[qualityField]);
    if (timestampField !== undefined) sourceTime = readTimestamp(holder[timestampField]);
    // The source says the value is not to be trusted: whatever stands beside it (often null) is not read.
    if (quality === 'bad') return { ok: true, value: badQuality, sourceTime: sourceTime ?? topLevelTime(document, value) };
    if (valueField === undefined) return { ok: false, kind: 'missingField', detail: 'no "value" field in payload' };
    value = holder[valueField];
  }
  sourceTime ??= topLevelTime(document, value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return { ok: false, kind: 'wrongType', detail: `expected a number, got ${describe(value)}` };
    return scaled(value, reader, sourceTime);
  }
  if (typeof value === 'boolean') return { ok: true, value: value ? 1 : 0, sourceTime };
  if (typeof value === 'string') {
    if (reader.states) {
      const code = stateCode(reader, value);
      if (code === undefined) return { ok: false, kind: 'unknownState', detail: `${describe(value)} is none of the signal's states` };
      return { ok: true, value: code, sourceTime };
    }
    if (value.length <= 64 && numericText.test(value)) return scaled(Number(value), reader, sourceTime);
    return { ok: false, kind: 'wrongType', detail: `expected a number, got ${describe(value)} (the signal has no states to map text to)` };
  }
  return { ok: false, kind: 'wrongType', detail: `expected a number, got ${describe(value)}` };
}

/** Applies scale and offset; a result beyond the doubles (which would read as a lost source) is refused. */
function scaled(value: number, reader: SampleReader, sourceTime: number | undefined): SampleResult {
  const result = value * reader.scale + reader.offset;
  if (!Number.isFinite(result)) return { ok: false, kind: 'wrongType', detail: `${value} × ${reader.scale} + ${reader.offset} is beyond the numbers a sample can hold` };
  return { ok: true, value: result, sourceTime };
}

/**
 * A payload's quality: text "good" or "ok" is good, text starting with "uncertain" uncertain; a number is
 * an OPC UA StatusCode (its top two bits: 00 good, 01 uncertain, 10 and 11 bad), or from 1 to 255 an
 * OPC DA quality (192 and up good, 64–127 uncertain); true is good; null means none was given. Anything else is bad: a source that marks its data and
 * does not say "good" is not trusted.
 */
export function readQuality(quality: unknown): SampleQuality {
  if (quality === null || quality === true) return 'good';
  if (typeof quality === 'string') {
    const text = quality.trim().toLowerCase();
    if (text === 'good' || text === 'ok') return 'good';
    if (text.startsWith('uncertain')) return 'uncertain';
    return 'bad';
  }
  if (typeof quality === 'number' && Number.isInteger(quality) && quality >= 0 && quality <= 0xffff_ffff) {
    // 1–255 is an OPC DA quality byte (its top two bits: 11 good, 01 uncertain, else bad); an OPC UA
    // StatusCode that small would be "good" with only info bits set, which sources do not send alone.
    // 0 is OPC UA's Good (to OPC DA it would be bad): UA is what MQTT sources speak today.
    if (quality >= 1 && quality <= 255) return quality >= 192 ? 'good' : quality >= 64 && quality < 128 ? 'uncertain' : 'bad';
    const severity = Math.floor(quality / 2 ** 30);
    return severity === 0 ? 'good' : severity === 1 ? 'uncertain' : 'bad';
  }
  return 'bad';
}

/**
 * A payload's timestamp in ms since the epoch: a number of milliseconds, or of seconds when below 1e11
 * (before 1973 in milliseconds), or an ISO 8601 text with a zone. Anything else is undefined: the
 * receive time is used instead, which is no error.
 */
export function readTimestamp(timestamp: unknown): number | undefined {
  if (typeof timestamp === 'number') {
    if (!Number.isFinite(timestamp) || timestamp <= 0) return undefined;
    return timestamp < secondsBelow ? timestamp * 1000 : timestamp;
  }
  if (typeof timestamp === 'string' && timestamp.length <= longestIsoText && isoDateTime.test(timestamp)) {
    const time = Date.parse(timestamp.replace(',', '.'));
    return Number.isFinite(time) ? time : undefined;
  }
  return undefined;
}

/** The payload's top-level timestamp, for a value found along a path inside it. */
function topLevelTime(document: unknown, value: unknown): number | undefined {
  if (document === value || !isPlainObject(document)) return undefined;
  const field = firstOwnField(document, timestampFields);
  return field === undefined ? undefined : readTimestamp(document[field]);
}

/** The first of `fields` that `holder` has; a plain loop, as this runs for every sample. */
function firstOwnField(holder: Record<string, unknown>, fields: readonly string[]): string | undefined {
  for (let index = 0; index < fields.length; index++) if (Object.hasOwn(holder, fields[index]!)) return fields[index];
  return undefined;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
