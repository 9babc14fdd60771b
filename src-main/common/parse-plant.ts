import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Document } from 'yaml';
import type { z } from 'zod';
import { plantSchema, type Plant } from './plant-schema.ts';

/** One thing wrong with a plant file, located to its line. */
export interface PlantProblem {
  file: string;
  line: number;
  column: number;
  /** Where in the data, e.g. `machines[3].signals[1].topic`. */
  path: string;
  message: string;
}

/** The outcome of reading a plant file: the plant, or every problem found. */
export type PlantParseResult = { ok: true; plant: Plant } | { ok: false; problems: PlantProblem[] };

/** Formats a problem as `file:line path: message`, the form editors and terminals link. */
export function formatPlantProblem(problem: PlantProblem): string {
  const where = problem.path === '' ? '' : ` ${problem.path}:`;
  return `${problem.file}:${problem.line}${where} ${problem.message}`;
}

/** Thrown by loaders when a plant file is refused; carries every problem. */
export class PlantFileError extends Error {
  readonly problems: PlantProblem[];
  constructor(problems: PlantProblem[]) {
    super(`The plant file has ${problems.length} problem${problems.length === 1 ? '' : 's'}:\n${problems.map(formatPlantProblem).join('\n')}`);
    this.name = 'PlantFileError';
    this.problems = problems;
  }
}

/** Parses and validates plant YAML (or JSON) text, listing every problem with its line. */
export function parsePlantText(text: string, fileName = 'plant.yaml'): PlantParseResult {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (document.errors.length > 0) {
    return {
      ok: false,
      problems: document.errors.map((error) => {
        const position = lineCounter.linePos(error.pos[0]);
        return { file: fileName, line: position.line, column: position.col, path: '', message: firstLine(error.message) };
      }),
    };
  }
  let value: unknown;
  try {
    value = document.toJS({ maxAliasCount: 100 });
  } catch (error) {
    // yaml throws (rather than reporting) on an alias before its anchor and on an alias bomb.
    return { ok: false, problems: [{ file: fileName, line: 1, column: 1, path: '', message: firstLine(error instanceof Error ? error.message : String(error)) }] };
  }
  const result = plantSchema.safeParse(value, { error: describeIssue });
  if (result.success) return { ok: true, plant: result.data };
  const problems = result.error.issues.flatMap((issue) => expandIssue(issue)).map((issue) => {
    const offset = locate(document, issue.path);
    const position = lineCounter.linePos(offset);
    return { file: fileName, line: position.line, column: position.col, path: formatPath(issue.path), message: issue.message };
  });
  problems.sort((a, b) => a.line - b.line || a.column - b.column);
  return { ok: false, problems };
}

/** Parses plant text or throws a PlantFileError listing every problem. */
export function parsePlantOrThrow(text: string, fileName = 'plant.yaml'): Plant {
  const result = parsePlantText(text, fileName);
  if (!result.ok) throw new PlantFileError(result.problems);
  return result.plant;
}

type Segment = PropertyKey;

/** Messages a plant author understands, instead of zod's type-system wording. */
function describeIssue(issue: z.core.$ZodRawIssue): string | undefined {
  if (issue.code === 'invalid_type' && issue.input === undefined) return 'required';
  if (issue.code === 'invalid_type') return `expected ${issue.expected}, got ${describeValue(issue.input)}`;
  if (issue.code === 'invalid_value' && 'values' in issue) {
    return `must be one of ${(issue.values as unknown[]).map((value) => JSON.stringify(value)).join(', ')}`;
  }
  return undefined;
}

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return `${typeof value} ${JSON.stringify(value)}`;
}

/** An unknown-keys issue names several keys at once; report each at its own line. */
function expandIssue(issue: z.core.$ZodIssue): Array<{ path: Segment[]; message: string }> {
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((key) => ({ path: [...issue.path, key], message: 'unknown field' }));
  }
  if (issue.code === 'invalid_union') {
    // A union of animation kinds: say what the forms are rather than every branch's complaint.
    return [{ path: [...issue.path], message: 'must be either { node, property, signal } or { node, spin, signal }' }];
  }
  return [{ path: [...issue.path], message: issue.message }];
}

function formatPath(path: Segment[]): string {
  let text = '';
  for (const segment of path) {
    if (typeof segment === 'number') text += `[${segment}]`;
    else text += text === '' ? String(segment) : `.${String(segment)}`;
  }
  return text;
}

/** Source offset of the deepest node on `path` that exists; a missing key points at its parent. */
function locate(document: Document, path: Segment[]): number {
  let node: unknown = document.contents;
  let offset = rangeStart(node) ?? 0;
  for (const segment of path) {
    if (isMap(node)) {
      const pair = node.items.find((item) => isPair(item) && isScalar(item.key) && String(item.key.value) === String(segment));
      if (!pair) break;
      offset = rangeStart(pair.key) ?? offset;
      node = pair.value;
    } else if (isSeq(node) && typeof segment === 'number') {
      const item = node.items[segment];
      if (item === undefined) break;
      offset = rangeStart(item) ?? offset;
      node = item;
    } else {
      break;
    }
  }
  return offset;
}

function rangeStart(node: unknown): number | undefined {
  if (node && typeof node === 'object' && 'range' in node) {
    const range = (node as { range?: [number, number, number] }).range;
    return range?.[0];
  }
  return undefined;
}

function firstLine(text: string): string {
  return text.split('\n')[0] ?? text;
}
