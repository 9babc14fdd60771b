import { Composer, isAlias, isPair, isScalar, Parser, visit, type Document, type Node } from 'yaml';
import type { Plant } from './plant-schema.ts';

/** What a credential is replaced with in a plant text. */
export const redactedMarker = '<redacted>';

/**
 * Longest plant text that is redacted field by field. A real plant of thousands of machines is a few
 * MiB; a longer text (only a crafted recording holds one) is withheld whole rather than parsed.
 */
export const maxRedactedTextLength = 16 * 1024 * 1024;

/**
 * What stands in for a plant text that cannot be redacted field by field. It is a YAML string, so a
 * reader that validates it reports this sentence instead of a line number in text it never sees.
 */
export const withheldPlantText =
  '"Withheld: the embedded plant text is not valid YAML (or is too long), so its credentials could not be told apart from the rest."\n';

/** Key names that hold credentials: broker username and password, and anything named like a secret. */
const secretWords = /pass(?:word|wd|phrase)|secret|token|username|credential|api[-_]?key|private[-_]?key/i;

/** Whether a field of this name holds a credential. */
export function isSecretKey(name: string): boolean {
  return secretWords.test(name);
}

const slash = 0x2f;
const question = 0x3f;
const hash = 0x23;
const backslash = 0x5c;
const at = 0x40;

/**
 * Where a URL's authority ends, as MQTT.js's URL parser sees it: userinfo runs to the last "@"
 * before the first "/", "?" or "#" (a backslash counts as a slash), so a password holding "@" or
 * ":" is cut whole.
 */
function endsAuthority(code: number): boolean {
  return code === slash || code === question || code === hash || code === backslash || code === 0x0a || code === 0x0d;
}

/** In source text an authority also ends at whitespace and quotes, so a cut never crosses a YAML token. */
function endsAuthorityInSource(code: number): boolean {
  return endsAuthority(code) || code === 0x20 || code === 0x09 || code === 0x22 || code === 0x27;
}

/**
 * Removes `user:pass@` from every `scheme://` in `text`. One pass, linear in the text: each search
 * for the next "://" starts where the previous authority ended.
 */
function stripUserinfo(text: string, ends: (code: number) => boolean): string {
  let result = '';
  let copied = 0;
  let from = 0;
  for (;;) {
    const separator = text.indexOf('://', from);
    if (separator < 0) break;
    const start = separator + 3;
    let end = start;
    let lastAt = -1;
    for (; end < text.length; end++) {
      const code = text.charCodeAt(end);
      if (ends(code)) break;
      if (code === at) lastAt = end;
    }
    if (lastAt >= 0) {
      result += text.slice(copied, start);
      copied = lastAt + 1;
    }
    // A "://" can begin on the authority's last character (a ":") only; none can begin earlier.
    from = Math.max(start, end - 1);
  }
  return copied === 0 ? text : result + text.slice(copied);
}

/** The URL — or every URL in a text, such as a log line — without `user:pass@`; safe to show and log. */
export function redactUrl(url: string): string {
  return stripUserinfo(url, endsAuthority);
}

/**
 * A broker URL as views and logs may show it: no userinfo, and no query or fragment, where some
 * brokers take a token (a `${NAME}` reference may have filled one in).
 */
export function redactBrokerUrl(url: string): string {
  const safe = redactUrl(url);
  const end = safe.search(/[?#]/);
  return end < 0 ? safe : safe.slice(0, end);
}

/**
 * `text` with URL userinfo stripped and every occurrence of the given credentials replaced, for
 * error texts from libraries that may echo what they were given (an MQTT.js error, say).
 */
export function redactCredentials(text: string, credentials: readonly string[]): string {
  let result = redactUrl(text);
  for (const credential of credentials) if (credential !== '') result = result.split(credential).join(redactedMarker);
  return result;
}

/** Every credential a broker entry carries: its username and password, and those inside its URL (as written and decoded). */
export function brokerCredentials(broker: { url?: string; username?: string; password?: string }): string[] {
  const credentials = [broker.username, broker.password].filter((value): value is string => value !== undefined && value !== '');
  credentials.push(...urlCredentials(broker.url ?? ''));
  // Longest first, so that a credential holding a shorter one is replaced whole.
  return [...new Set(credentials)].sort((a, b) => b.length - a.length);
}

/** The user names and passwords in the userinfo of every URL in `text`, as written and percent-decoded. */
function urlCredentials(text: string): string[] {
  const credentials: string[] = [];
  for (let separator = text.indexOf('://'); separator >= 0; separator = text.indexOf('://', separator + 3)) {
    const start = separator + 3;
    let end = start;
    while (end < text.length && !endsAuthority(text.charCodeAt(end))) end++;
    const lastAt = text.lastIndexOf('@', end - 1);
    if (lastAt < start) continue;
    const userinfo = text.slice(start, lastAt);
    const colon = userinfo.indexOf(':');
    for (const part of colon < 0 ? [userinfo] : [userinfo.slice(0, colon), userinfo.slice(colon + 1)]) {
      if (part === '') continue;
      credentials.push(part);
      try {
        const decoded = decodeURIComponent(part);
        if (decoded !== part) credentials.push(decoded);
      } catch {
        // A malformed percent escape: the part is only ever used as written, which is already listed.
      }
    }
  }
  return credentials;
}

/**
 * The plant as a view may see it: no username, password or other secret-named field, no userinfo
 * in any URL, and no query in a broker's url. The plant is validated data, so a plain deep copy serves.
 */
export function redactPlant(plant: Plant): Plant {
  return redactValue(plant) as Plant;
}

function redactValue(value: unknown): unknown {
  if (typeof value === 'string') return redactUrl(value);
  if (Array.isArray(value)) return value.map(redactValue);
  if (value !== null && typeof value === 'object') {
    const copy: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) if (!isSecretKey(key)) copy[key] = key === 'url' && typeof item === 'string' ? redactBrokerUrl(item) : redactValue(item);
    return copy;
  }
  return value;
}

/** One change to the source text: `[start, end)` becomes `text`; `secret` when it replaces a credential's value. */
interface Replacement {
  start: number;
  end: number;
  text: string;
  secret: boolean;
}

/** Texts redacted lately: listing a folder's recordings compares the same few plant texts again and again. */
const recentlyRedacted = new Map<string, string>();
const maxRememberedLength = 4 * 1024 * 1024;

/**
 * A plant text (YAML or JSON) with its credentials taken out, comments and layout kept: the values
 * of username, password and other secret-named keys become `"<redacted>"` (so do the nodes their
 * aliases point to), URLs lose their `user:pass@`, and comments that mention a secret or hold such a
 * URL are cleaned too. Redacting a redacted text changes nothing, so texts from before and after
 * redaction compare equal once both are redacted. Never throws: a text that does not parse as YAML
 * cannot be taken apart safely and is replaced whole by `withheldPlantText`.
 */
export function redactPlantText(text: string): string {
  // Nothing that could be a credential: the common case costs one scan.
  if (!text.includes('@') && !secretWords.test(text)) return text;
  const remembered = recentlyRedacted.get(text);
  if (remembered !== undefined) return remembered;
  const redacted = redactYaml(text);
  if (text.length <= maxRememberedLength) {
    let total = text.length;
    for (const key of recentlyRedacted.keys()) total += key.length;
    for (const key of recentlyRedacted.keys()) {
      if (total <= maxRememberedLength) break;
      recentlyRedacted.delete(key);
      total -= key.length;
    }
    recentlyRedacted.set(text, redacted);
  }
  return redacted;
}

function redactYaml(text: string): string {
  if (text.length > maxRedactedTextLength) return withheldPlantText;
  let replacements: Replacement[] | undefined;
  try {
    replacements = findReplacements(text);
  } catch {
    // Parsing hostile text can fail in ways the parser does not report as errors (a nesting deep
    // enough to exhaust the stack, say); such a text is withheld like any other unparsable one.
    return withheldPlantText;
  }
  if (replacements === undefined) return withheldPlantText;
  // Outer before inner, and a credential's marker before any other edit of the same node (a URL
  // cleaned where an alias's anchor is), so that the marker wins.
  replacements.sort((a, b) => a.start - b.start || b.end - a.end || Number(b.secret) - Number(a.secret));
  let result = '';
  let copied = 0;
  for (const replacement of replacements) {
    // A replacement inside one already made (a secret map's own password, a comment within it) is covered by it.
    if (replacement.start < copied) continue;
    result += text.slice(copied, replacement.start) + replacement.text;
    copied = replacement.end;
  }
  result += text.slice(copied);
  // A safety net for anything the structure missed, such as a URL in a key the parser split.
  return stripUserinfo(result, endsAuthorityInSource);
}

/** The changes that redact `text`, or undefined when it does not parse as YAML. */
function findReplacements(text: string): Replacement[] | undefined {
  const tokens = [...new Parser().parse(text)];
  const documents = [...new Composer().compose(tokens)];
  if (documents.some((document) => document.errors.length > 0)) return undefined;
  const replacements: Replacement[] = [];
  const replaceNode = (node: unknown, value: string, secret: boolean) => {
    const range = (node as { range?: [number, number, number] } | null)?.range;
    // An empty value (a bare key, or one with only an anchor) holds nothing to take out; text
    // inserted there would read as part of the anchor's name.
    if (!range || range[1] <= range[0] || (isScalar(node) && node.value === null)) return;
    // Keep the line break a block value ends with, so the next key stays on its own line.
    let trailingStart = range[1];
    while (trailingStart > range[0] && /\s/.test(text[trailingStart - 1]!)) trailingStart--;
    replacements.push({ start: range[0], end: range[1], text: JSON.stringify(value) + text.slice(trailingStart, range[1]), secret });
  };
  // The credentials found are also taken out of comments, where prose may repeat them ("the viewer account").
  const credentials = new Set<string>();
  for (const document of documents) collectDocument(document, replaceNode, credentials);
  const comments = commentTokens(tokens);
  for (const comment of comments) for (const credential of urlCredentials(comment.source)) credentials.add(credential);
  credentials.delete('');
  credentials.delete(redactedMarker);
  const longestFirst = [...credentials].sort((a, b) => b.length - a.length);
  for (const comment of comments) {
    let cleaned = redactUrl(comment.source);
    if (secretWords.test(cleaned)) cleaned = `# ${redactedMarker}`;
    for (const credential of longestFirst) cleaned = cleaned.split(credential).join(redactedMarker);
    if (cleaned !== comment.source) replacements.push({ start: comment.offset, end: comment.offset + comment.source.length, text: cleaned, secret: false });
  }
  return replacements;
}

/** Finds the nodes to replace in one document, and gathers the credential values it holds. */
function collectDocument(document: Document, replaceNode: (node: unknown, value: string, secret: boolean) => void, credentials: Set<string>): void {
  const gather = (node: unknown) => {
    if (isScalar(node)) {
      if (typeof node.value === 'string') credentials.add(node.value);
    } else if (node !== null && typeof node === 'object') {
      visit(node as Node, {
        Scalar(_, scalar) {
          if (typeof scalar.value === 'string') credentials.add(scalar.value);
        },
      });
    }
  };
  visit(document, {
    Pair(_, pair) {
      if (!isPair(pair) || !isScalar(pair.key) || typeof pair.key.value !== 'string' || !isSecretKey(pair.key.value)) return;
      const value = pair.value as Node | null;
      if (value === null || value === undefined) return;
      replaceNode(value, redactedMarker, true);
      gather(value);
      if (isAlias(value)) {
        // The secret is written where its anchor is: redact it there too.
        const target = value.resolve(document);
        if (target) {
          replaceNode(target, redactedMarker, true);
          gather(target);
        }
      }
      // The value is replaced whole; nothing inside it needs a look of its own.
      return visit.SKIP;
    },
    Scalar(_, scalar) {
      if (typeof scalar.value !== 'string') return;
      const cleaned = redactUrl(scalar.value);
      if (cleaned === scalar.value) return;
      replaceNode(scalar, cleaned, false);
      for (const credential of urlCredentials(scalar.value)) credentials.add(credential);
    },
  });
}

/** Every comment in the parsed token tree, with its offset in the source. */
function commentTokens(tokens: unknown[]): Array<{ offset: number; source: string }> {
  const comments: Array<{ offset: number; source: string }> = [];
  const pending: unknown[] = [...tokens];
  // An explicit stack, not recursion: a deeply nested hostile text must not exhaust the call stack.
  while (pending.length > 0) {
    const token = pending.pop();
    if (Array.isArray(token)) {
      for (const item of token) pending.push(item);
    } else if (token !== null && typeof token === 'object') {
      const record = token as Record<string, unknown>;
      if (record.type === 'comment' && typeof record.offset === 'number' && typeof record.source === 'string') comments.push({ offset: record.offset, source: record.source });
      else for (const value of Object.values(record)) if (value !== null && typeof value === 'object') pending.push(value);
    }
  }
  return comments;
}
