import type { ProblemKind } from './contract.ts';

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

/** A decoded sample value, or why there is none. */
export type DecodeResult = { ok: true; value: number } | { ok: false; kind: ProblemKind; detail: string };

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

/**
 * Reads a number out of a parsed payload. Without a path the payload may be a bare number, a boolean,
 * or an object with a `value` field — the shapes plants commonly publish.
 */
export function readSample(document: unknown, path: JsonPath | undefined): DecodeResult {
  let value: unknown = document;
  if (path) {
    for (const step of path) {
      if (value === null || typeof value !== 'object' || !(step in value)) {
        return { ok: false, kind: 'missingField', detail: `no ${typeof step === 'number' ? `[${step}]` : `"${step}"`} in payload` };
      }
      value = (value as Record<string | number, unknown>)[step];
    }
  } else if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    if (!('value' in value)) return { ok: false, kind: 'missingField', detail: 'no "value" field in payload' };
    value = (value as { value: unknown }).value;
  }
  if (typeof value === 'number' && Number.isFinite(value)) return { ok: true, value };
  if (typeof value === 'boolean') return { ok: true, value: value ? 1 : 0 };
  return { ok: false, kind: 'wrongType', detail: `expected a number, got ${describe(value)}` };
}

/** Parses a payload and reads one number from it. */
export function decodeSample(text: string, path: JsonPath | undefined): DecodeResult {
  const parsed = parsePayload(text);
  return parsed.ok ? readSample(parsed.document, path) : parsed;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  if (typeof value === 'number') return String(value);
  return typeof value;
}

/** How one signal reads its sample out of a parsed payload: where, and how text and units map to its number. */
export interface SampleReader {
  path: JsonPath | undefined;
  /** Text values and the numbers they stand for. */
  states: ReadonlyMap<string, number> | undefined;
  scale: number;
  offset: number;
}

/** A signal's sample as read from a payload: its value (NaN when the payload says its quality is bad) and the payload's own timestamp, if it had one. */
export type SampleResult = { ok: true; value: number; sourceTime: number | undefined } | { ok: false; kind: ProblemKind; detail: string };

/** Compiles what a signal's plant entry says about reading its payload. */
export function compileSampleReader(signal: { path?: string | undefined; states?: Readonly<Record<string, number>> | undefined; scale?: number; offset?: number }): SampleReader {
  return {
    path: signal.path === undefined ? undefined : compileJsonPath(signal.path),
    states: signal.states === undefined ? undefined : new Map(Object.entries(signal.states)),
    scale: signal.scale ?? 1,
    offset: signal.offset ?? 0,
  };
}

/** Reads one signal's sample out of a parsed payload. */
export function readSignalSample(document: unknown, reader: SampleReader): SampleResult {
  const result = readSample(document, reader.path);
  if (!result.ok) return result;
  return { ok: true, value: result.value * reader.scale + reader.offset, sourceTime: undefined };
}
