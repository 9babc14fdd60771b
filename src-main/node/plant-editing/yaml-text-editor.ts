import { isAlias, isMap, isPair, isScalar, isSeq, parseDocument, type Document, type Node, type Pair, type YAMLMap, type YAMLSeq } from 'yaml';
import { renderBlockMapLines, renderFlow } from './render-yaml-value.ts';

/** A place in the YAML data: keys of mappings and indexes of lists. */
export type YamlPath = ReadonlyArray<string | number>;

/** Thrown when an edit cannot be made to this text; the message says why, for the user. */
export class YamlEditRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'YamlEditRefused';
  }
}

/**
 * Edits YAML text in place: each change replaces, inserts or removes only the characters of the
 * values it touches, so comments, key order, quoting, spacing and line breaks everywhere else stay
 * byte for byte as they were. (The `yaml` package's Document API keeps comments and styles but
 * re-spaces the whole file when it writes it out; here its parse only locates the text to change.)
 */
export class YamlTextEditor {
  private currentText: string;
  private document: Document;
  /** The file's line break: what is inserted uses it too, so a Windows file stays all CRLF. */
  private readonly lineBreak: string;

  constructor(text: string) {
    this.currentText = text;
    this.document = parseYaml(text);
    this.lineBreak = text.includes('\r\n') ? '\r\n' : '\n';
  }

  /** The text with every change so far. */
  get text(): string {
    return this.currentText;
  }

  /** Whether a value exists at `path`. */
  has(path: YamlPath): boolean {
    return this.find(path) !== undefined;
  }

  /**
   * Sets the value at `path`: an existing scalar or flow value is rewritten where it stands; an
   * existing block mapping or list is changed key by key and item by item (each keeps its own
   * comments); a missing key is added to its mapping, after `after` when that key exists.
   */
  set(path: YamlPath, value: unknown, after?: string): void {
    const existing = this.find(path);
    if (existing === undefined) {
      const parent = this.requireCollection(path.slice(0, -1));
      const key = path[path.length - 1]!;
      if (!isMap(parent) || typeof key !== 'string') throw new YamlEditRefused(`${formatPath(path)} does not exist`);
      this.insertPair(parent, key, value, after);
      return;
    }
    if (isMap(existing) && !existing.flow && isPlainObject(value)) {
      for (const [key, item] of Object.entries(value)) if (item !== undefined) this.set([...path, key], item);
      const keep = new Set(Object.entries(value).filter(([, item]) => item !== undefined).map(([key]) => key));
      for (const key of this.mapKeys(path)) if (!keep.has(key)) this.delete([...path, key]);
      return;
    }
    if (isSeq(existing) && !existing.flow && Array.isArray(value) && value.length > 0) {
      const count = existing.items.length;
      for (let index = 0; index < Math.min(count, value.length); index++) this.set([...path, index], value[index]);
      for (let index = count - 1; index >= value.length; index--) this.delete([...path, index]);
      for (let index = count; index < value.length; index++) this.append(path, value[index]);
      return;
    }
    if (isScalar(existing) && existing.value === value && typeof value !== 'object') return;
    const [start, end] = rangeOf(existing);
    // An empty value (`key:`) has no characters of its own: keep a space after the colon.
    const separator = start === end && this.currentText[start - 1] === ':' ? ' ' : '';
    this.splice(start, end, `${separator}${renderFlow(value)}`);
  }

  /** Removes the key or list item at `path` with its line (and, for a list item, the comment lines right above it). */
  delete(path: YamlPath): void {
    const parent = this.requireCollection(path.slice(0, -1));
    const key = path[path.length - 1]!;
    if (isMap(parent)) {
      const index = parent.items.findIndex((pair) => keyOf(pair) === String(key));
      if (index < 0) throw new YamlEditRefused(`${formatPath(path)} does not exist`);
      const pair = parent.items[index]!;
      if (parent.flow) return this.removeFlowEntry(parent, parent.items.map(pairRange), index);
      const [start] = rangeOf(pair.key as Node);
      const end = pair.value ? rangeOf(pair.value as Node)[1] : rangeOf(pair.key as Node)[1];
      this.splice(lineStart(this.currentText, start), lineEndAfter(this.currentText, end), '');
      return;
    }
    if (!isSeq(parent) || typeof key !== 'number' || key >= parent.items.length) throw new YamlEditRefused(`${formatPath(path)} does not exist`);
    const items = parent.items as Node[];
    if (parent.flow) return this.removeFlowEntry(parent, items.map(rangeOf), key);
    const [start, end] = rangeOf(items[key]!);
    this.splice(commentBlockStart(this.currentText, lineStart(this.currentText, start)), lineEndAfter(this.currentText, end), '');
  }

  /** Adds `value` at the end of the list at `path`; a mapping added to a block list (or an empty one) becomes a block item. */
  append(path: YamlPath, value: unknown): void {
    const list = this.requireCollection(path);
    if (!isSeq(list)) throw new YamlEditRefused(`${formatPath(path)} is not a list`);
    const items = list.items as Node[];
    if (list.flow && items.length > 0) {
      this.splice(rangeOf(items[items.length - 1]!)[1], rangeOf(items[items.length - 1]!)[1], `, ${renderFlow(value)}`);
      return;
    }
    if (list.flow) {
      // An empty flow list (`machines: []`): a mapping starts a block list under its key, anything else fills the brackets.
      const [start, end] = rangeOf(list);
      if (!isPlainObject(value) || path.length === 0) return this.splice(start, end, renderFlow([value]));
      const keyColumn = this.keyColumnOf(path);
      const removeFrom = this.currentText.slice(0, start).trimEnd().length;
      const lineEnd = lineEndAfter(this.currentText, end);
      const itemText = this.blockItem(value, keyColumn + 2);
      // What followed the brackets on their line (a comment) stays on the key's line.
      const restOfLine = this.currentText.slice(end, lineEnd).replace(/\n$/, '');
      this.splice(removeFrom, lineEnd, `${restOfLine}\n${itemText}\n`);
      return;
    }
    const last = items[items.length - 1]!;
    const dash = dashColumn(this.currentText, rangeOf(items[0]!)[0]);
    const at = lineEndAfter(this.currentText, rangeOf(last)[1]);
    const newline = at === 0 || this.currentText[at - 1] === '\n' ? '' : '\n';
    // A mapping joins a list of flow mappings as one more flow mapping, and a list of block mappings as a block mapping.
    const asBlock = isPlainObject(value) && !(isMap(last) && last.flow);
    const itemText = asBlock ? this.blockItem(value as Record<string, unknown>, dash) : `${' '.repeat(dash)}- ${renderFlow(value)}`;
    this.splice(at, at, `${newline}${itemText}\n`);
  }

  /** The keys of the mapping at `path`, in file order. */
  mapKeys(path: YamlPath): string[] {
    const node = this.find(path);
    return isMap(node) ? node.items.map(keyOf) : [];
  }

  private blockItem(value: Record<string, unknown>, dash: number): string {
    const lines = renderBlockMapLines(value, dash + 2);
    return `${' '.repeat(dash)}- ${lines.join('\n')}`;
  }

  private insertPair(map: YAMLMap, key: string, value: unknown, after: string | undefined): void {
    const pairs = map.items;
    const anchorIndex = after === undefined ? -1 : pairs.findIndex((pair) => keyOf(pair) === after);
    const anchor = pairs[anchorIndex >= 0 ? anchorIndex : pairs.length - 1];
    const blockList = !map.flow && Array.isArray(value) && value.length > 0 && value.every(isPlainObject);
    if (map.flow) {
      const entry = `${renderFlow(key)}: ${renderFlow(value)}`;
      if (anchor === undefined) {
        const [start, end] = rangeOf(map);
        this.splice(start, end, `{ ${entry} }`);
      } else {
        const end = pairRange(anchor)[1];
        this.splice(end, end, `, ${entry}`);
      }
      return;
    }
    if (anchor === undefined) throw new YamlEditRefused('cannot add a key to an empty block mapping');
    const column = columnOf(this.currentText, rangeOf(pairs[0]!.key as Node)[0]);
    // A list of mappings under a block key is a block list, one flow mapping a line, like the rest of such a file.
    const entry = blockList ? renderBlockMapLines({ [key]: value }, column).join('\n') : `${renderFlow(key)}: ${renderFlow(value)}`;
    const at = lineEndAfter(this.currentText, pairRange(anchor)[1]);
    const newline = this.currentText[at - 1] === '\n' ? '' : '\n';
    this.splice(at, at, `${newline}${' '.repeat(column)}${entry}\n`);
  }

  private removeFlowEntry(collection: YAMLMap | YAMLSeq, ranges: Array<[number, number]>, index: number): void {
    const [start, end] = ranges[index]!;
    if (index < ranges.length - 1) this.splice(start, ranges[index + 1]![0], '');
    else if (index > 0) this.splice(ranges[index - 1]![1], end, '');
    else this.splice(...rangeOf(collection), isMap(collection) ? '{}' : '[]');
  }

  /** Column of the key whose value is at `path`. */
  private keyColumnOf(path: YamlPath): number {
    const parent = this.find(path.slice(0, -1));
    if (!isMap(parent)) throw new YamlEditRefused(`${formatPath(path)} is not in a mapping`);
    const pair = parent.items.find((item) => keyOf(item) === String(path[path.length - 1]));
    return columnOf(this.currentText, rangeOf(pair!.key as Node)[0]);
  }

  private requireCollection(path: YamlPath): YAMLMap | YAMLSeq {
    const node = this.find(path);
    if (!isMap(node) && !isSeq(node)) throw new YamlEditRefused(`${formatPath(path)} is not a mapping or a list in the file`);
    return node;
  }

  /** The node at `path`, or undefined; an alias on the way is refused, since editing it would change every place it stands for. */
  private find(path: YamlPath): Node | undefined {
    let node: unknown = this.document.contents;
    for (let depth = 0; depth < path.length; depth++) {
      const segment = path[depth]!;
      if (isAlias(node)) throw new YamlEditRefused(`${formatPath(path.slice(0, depth))} is a YAML alias; change it in the file itself`);
      if (isMap(node)) node = node.items.find((pair) => keyOf(pair) === String(segment))?.value ?? undefined;
      else if (isSeq(node) && typeof segment === 'number') node = node.items[segment];
      else return undefined;
      if (node === undefined || node === null) return undefined;
    }
    if (isAlias(node)) throw new YamlEditRefused(`${formatPath(path)} is a YAML alias; change it in the file itself`);
    return node as Node;
  }

  private splice(start: number, end: number, replacement: string): void {
    const text = this.currentText.slice(0, start) + replacement.replace(/\r?\n/g, this.lineBreak) + this.currentText.slice(end);
    const document = parseYaml(text);
    // A change that breaks the YAML is a fault of this editor, never something to write.
    if (document.errors.length > 0) throw new Error(`The plant editor made YAML it cannot read back (${document.errors[0]!.message.split('\n')[0]})`);
    this.currentText = text;
    this.document = document;
  }
}

function parseYaml(text: string): Document {
  const document = parseDocument(text, { uniqueKeys: true, keepSourceTokens: false });
  if (document.errors.length > 0) throw new YamlEditRefused(`The plant file is not valid YAML: ${document.errors[0]!.message.split('\n')[0]}`);
  return document;
}

function keyOf(pair: Pair): string {
  return isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
}

function rangeOf(node: Node): [number, number] {
  const range = node.range;
  if (!range) throw new YamlEditRefused('a value without a place in the file cannot be edited');
  return [range[0], range[1]];
}

function pairRange(pair: Pair): [number, number] {
  const start = rangeOf(pair.key as Node)[0];
  const end = pair.value ? rangeOf(pair.value as Node)[1] : rangeOf(pair.key as Node)[1];
  return [start, end];
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function lineStart(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

/** The offset just after the line break ending the line that holds `offset` (or the end of the text). */
function lineEndAfter(text: string, offset: number): number {
  if (offset > 0 && text[offset - 1] === '\n') return offset;
  const end = text.indexOf('\n', offset);
  return end < 0 ? text.length : end + 1;
}

function columnOf(text: string, offset: number): number {
  return offset - lineStart(text, offset);
}

/** Column of the `-` that introduces the block list item starting at `offset`. */
function dashColumn(text: string, offset: number): number {
  let index = offset - 1;
  while (index >= 0 && text[index] === ' ') index--;
  if (text[index] !== '-') throw new YamlEditRefused('a list item without its "-" on the same line cannot be edited');
  return columnOf(text, index);
}

/** Start of the full-line comments directly above `start` at the same indentation: they belong to the item below them. */
function commentBlockStart(text: string, start: number): number {
  const indent = /^ */.exec(text.slice(start))![0].length;
  let begin = start;
  while (begin > 0) {
    const previous = lineStart(text, begin - 1);
    const line = text.slice(previous, begin - 1);
    if (!new RegExp(`^ {${indent}}#`).test(line)) break;
    begin = previous;
  }
  return begin;
}

function formatPath(path: YamlPath): string {
  return path.length === 0 ? 'the document' : path.map((segment) => (typeof segment === 'number' ? `[${segment}]` : `.${segment}`)).join('').replace(/^\./, '');
}
