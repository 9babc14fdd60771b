import { parse, stringify } from 'yaml';
import { maxToursFileBytes, toursDocumentSchema, type ToursDocument } from './tours-schema.ts';
import { utf8Length } from '../utf8-length.ts';

/** Thrown for tours text that is too large, not YAML, or not a valid tours document; the message lists every problem. */
export class ToursFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ToursFileError';
  }
}

/**
 * Reads and validates the text of a tours file (`<plant>.tours.yaml`): bounded in size, YAML without
 * aliases expanding beyond it, every field checked and every step's viewpoint present. Empty text is
 * an empty document. Exported for whoever carries tours elsewhere (incident packages).
 */
export function parseToursText(text: string, source = 'tours file'): ToursDocument {
  if (text.length > maxToursFileBytes || utf8Length(text) > maxToursFileBytes) throw new ToursFileError(`${source} is larger than ${maxToursFileBytes} bytes`);
  let value: unknown;
  try {
    // maxAliasCount keeps a small file from expanding into a huge one.
    value = parse(text, { maxAliasCount: 100, prettyErrors: true });
  } catch (error) {
    throw new ToursFileError(`${source} is not YAML: ${error instanceof Error ? error.message : String(error)}`);
  }
  return checkToursDocument(value ?? {}, source);
}

/** Validates tours already parsed (from YAML or from a view's message); throws a ToursFileError listing the first problems. */
export function checkToursDocument(value: unknown, source = 'tours'): ToursDocument {
  const parsed = toursDocumentSchema.safeParse(value);
  if (!parsed.success) {
    const problems = parsed.error.issues.slice(0, 20).map((issue) => `${issue.path.join('.') || '(file)'}: ${issue.message}`);
    throw new ToursFileError(`${source} is not a valid tours file: ${problems.join('; ')}`);
  }
  return parsed.data;
}

/** The text of a tours file for a validated document: YAML with a first line saying what it is. */
export function renderToursText(document: ToursDocument): string {
  const checked = checkToursDocument(document);
  return `# Twinline viewpoints and tours: written by the view, and fine to edit by hand.\n${stringify(checked, { lineWidth: 0 })}`;
}
