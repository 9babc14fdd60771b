import { parse } from 'yaml';

/**
 * YAML text for values the plant editor writes into a file. Short values are written in flow style
 * (`[12, 0, -4]`, `{ file: press.glb, node: press }`), as a person writes them; a machine added to a
 * block list is written as a block mapping. Text is written plain when YAML reads it back as the
 * same text, else double-quoted (JSON's quoting, which YAML reads).
 */

/** A value in flow style, on one line; valid inside or outside a flow collection. */
export function renderFlow(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`cannot write ${value} into a plant file`);
    return Object.is(value, -0) ? '0' : String(value);
  }
  if (typeof value === 'string') return renderText(value);
  if (Array.isArray(value)) return `[${value.map(renderFlow).join(', ')}]`;
  if (typeof value === 'object') {
    const entries = definedEntries(value as Record<string, unknown>);
    return entries.length === 0 ? '{}' : `{ ${entries.map(([key, item]) => `${renderText(key)}: ${renderFlow(item)}`).join(', ')} }`;
  }
  throw new Error(`cannot write a ${typeof value} into a plant file`);
}

/**
 * A mapping in block style as the lines of a list item: the first line follows `- ` and the others
 * are indented by `indent` spaces. Lists of mappings (signals, animations) become block lists of
 * flow mappings, one a line; everything else is written in flow style.
 */
export function renderBlockMapLines(value: Record<string, unknown>, indent: number): string[] {
  const pad = ' '.repeat(indent);
  const lines: string[] = [];
  for (const [key, item] of definedEntries(value)) {
    if (Array.isArray(item) && item.length > 0 && item.every((entry) => entry !== null && typeof entry === 'object' && !Array.isArray(entry))) {
      lines.push(`${renderText(key)}:`);
      for (const entry of item) lines.push(`${pad}  - ${renderFlow(entry)}`);
    } else {
      lines.push(`${renderText(key)}: ${renderFlow(item)}`);
    }
  }
  return lines.map((line, index) => (index === 0 || line.startsWith(`${pad}  - `) ? line : `${pad}${line}`));
}

/** Text plain when that reads back as the same text in any YAML context (block or flow), else double-quoted. */
export function renderText(value: string): string {
  return isPlainSafe(value) ? value : JSON.stringify(value);
}

function isPlainSafe(value: string): boolean {
  // A first sieve of what plain text can never be; whatever passes is read back to be sure.
  if (!/^[A-Za-z0-9_°/.(][^\n\r\t#,[\]{}"'`|>&*!%@\\]*$/.test(value) || /\s$/.test(value) || /:(\s|$)/.test(value)) return false;
  try {
    // A plain text YAML reads as a number, boolean or null, or reads otherwise inside a flow collection, must be quoted.
    return parse(`- ${value}`)?.[0] === value && parse(`[${value}]`)?.[0] === value && parse(`{ key: ${value} }`)?.key === value;
  } catch {
    // Text YAML cannot read plain is written quoted.
    return false;
  }
}

function definedEntries(value: Record<string, unknown>): Array<[string, unknown]> {
  return Object.entries(value).filter(([, item]) => item !== undefined);
}
