import type { Broker, Plant } from '../common/plant-schema.ts';

/**
 * Secrets in a plant file are references, never values: a broker's `url`, `username`, `password`
 * and `clientId` may hold `${NAME}`, filled in from the environment when `serve` or `record` starts
 * (after the file was validated, in the host only). `$${` writes a literal `${`. The plant text a
 * recording embeds keeps the reference, so the value never reaches a file, a log or a view.
 */

/** The broker fields that may reference an environment variable. */
export const referenceFields = ['url', 'username', 'password', 'clientId'] as const;

/** A broker field that may hold a reference. */
export type ReferenceField = (typeof referenceFields)[number];

/** Where secrets come from: the environment, and passwords kept elsewhere (the desktop app's keychain) by broker id. */
export interface SecretSources {
  environment: Readonly<Record<string, string | undefined>>;
  /** A password here replaces the plant file's password of that broker. */
  passwords?: Readonly<Record<string, string>>;
}

/** Longest value a variable may fill in: MQTT strings are at most 65,535 bytes. */
export const maxSecretBytes = 65_535;

/** Thrown when references cannot be filled in; its message lists every problem, naming variables and brokers, never a value. */
export class SecretReferenceError extends Error {
  readonly problems: string[];

  constructor(problems: string[]) {
    super(`The plant file's broker settings cannot be filled in (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n${problems.join('\n')}`);
    this.name = 'SecretReferenceError';
    this.problems = problems;
  }
}

/** A name an environment variable can have in every shell. */
const variableName = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Same rule as the plant schema's broker URL, checked again once a reference is filled in. */
const brokerUrl = /^(mqtts?|wss?|tcp|ssl):\/\/[^\s]+$/;

/** One piece of a field's text: literal text, or a reference to a variable. */
type Piece = { text: string } | { variable: string };

/** Splits a field's text into literal text and references; returns a problem (naming no value) when it is not well formed. */
function parseReferences(text: string): Piece[] | { problem: string } {
  const pieces: Piece[] = [];
  let literal = '';
  let index = 0;
  while (index < text.length) {
    if (text.startsWith('$${', index)) {
      literal += '${';
      index += 3;
    } else if (text.startsWith('${', index)) {
      const close = text.indexOf('}', index + 2);
      const name = close < 0 ? undefined : text.slice(index + 2, close);
      // The text is not repeated: a password written literally may hold "${" by chance.
      if (name === undefined || !variableName.test(name)) return { problem: 'holds "${" that does not start a reference like ${NAME} (write $${ for a literal "${")' };
      if (literal !== '') pieces.push({ text: literal });
      literal = '';
      pieces.push({ variable: name });
      index = close + 1;
    } else {
      literal += text[index];
      index++;
    }
  }
  if (literal !== '') pieces.push({ text: literal });
  return pieces;
}

/** Whether a field's text references an environment variable. */
export function hasReference(text: string): boolean {
  const pieces = parseReferences(text);
  return Array.isArray(pieces) && pieces.some((piece) => 'variable' in piece);
}

/** The names of the variables a plant's brokers reference, for documentation and checks. */
export function referencedVariables(plant: Plant): string[] {
  const names = new Set<string>();
  for (const broker of plant.brokers) {
    for (const field of referenceFields) {
      const pieces = parseReferences(broker[field] ?? '');
      if (Array.isArray(pieces)) for (const piece of pieces) if ('variable' in piece) names.add(piece.variable);
    }
  }
  return [...names];
}

/** Checks a filled-in value against what its field accepts; returns the problem, naming no value. */
function checkValue(field: ReferenceField, value: string): string | undefined {
  if (Buffer.byteLength(value, 'utf8') > maxSecretBytes) return `is longer than ${maxSecretBytes} bytes once filled in`;
  // MQTT forbids U+0000 in its strings, and a control character in a URL or id is a mistake.
  if (/[\u0000]/.test(value) || (field !== 'password' && /[\u0000-\u001f\u007f]/.test(value))) return 'holds a control character once filled in';
  if (field === 'url' && !brokerUrl.test(value)) return 'is not an mqtt://, mqtts://, ws:// or wss:// URL once filled in';
  if (field === 'clientId' && (value.length < 1 || value.length > 128)) return 'must be 1 to 128 characters once filled in';
  return undefined;
}

/** Fills in one field; pushes problems (naming the variable and the broker) and returns the value. */
function fillField(broker: Broker, field: ReferenceField, text: string, environment: SecretSources['environment'], problems: string[]): string {
  const where = `broker "${broker.id}" ${field}`;
  const pieces = parseReferences(text);
  if (!Array.isArray(pieces)) {
    problems.push(`${where}: ${pieces.problem}`);
    return text;
  }
  let value = '';
  let complete = true;
  for (const piece of pieces) {
    if ('text' in piece) {
      value += piece.text;
      continue;
    }
    const filled = Object.hasOwn(environment, piece.variable) ? environment[piece.variable] : undefined;
    if (filled === undefined || filled === '') {
      problems.push(`${where}: the environment variable ${piece.variable} is ${filled === '' ? 'empty' : 'not set'}`);
      complete = false;
      continue;
    }
    value += filled;
  }
  if (!complete) return text;
  // A value written as it is was validated with the plant file; only what a reference brought is checked here.
  if (!pieces.some((piece) => 'variable' in piece)) return value;
  const problem = checkValue(field, value);
  if (problem !== undefined) problems.push(`${where} ${problem}`);
  return value;
}

/**
 * The plant with every broker reference filled in from `sources.environment`, and the passwords of
 * `sources.passwords` in place of the file's. A broker whose URL `brokerUrls` gives (`--broker`; the
 * key "" is the first broker) takes that URL as it is, so a reference it replaces need not be set.
 * Throws a SecretReferenceError listing every missing variable and bad value, by variable and broker
 * name, never showing a value.
 */
export function substituteSecrets(plant: Plant, sources: SecretSources, brokerUrls: Readonly<Record<string, string>> = {}): Plant {
  // A stored password of a broker the file no longer has is left unused: the plant file, not the
  // keychain, says which brokers there are.
  const problems: string[] = [];
  const brokers = plant.brokers.map((broker, index) => {
    const filled: Broker = { ...broker };
    const givenUrl = Object.hasOwn(brokerUrls, broker.id) ? brokerUrls[broker.id] : index === 0 ? brokerUrls[''] : undefined;
    if (givenUrl !== undefined) filled.url = givenUrl;
    const stored = sources.passwords !== undefined && Object.hasOwn(sources.passwords, broker.id) ? sources.passwords[broker.id] : undefined;
    for (const field of referenceFields) {
      // What replaces a field's reference needs no variable.
      if (field === 'url' && givenUrl !== undefined) continue;
      if (field === 'password' && stored !== undefined) continue;
      const text = broker[field];
      if (text !== undefined) filled[field] = fillField(broker, field, text, sources.environment, problems);
    }
    if (stored !== undefined) {
      const problem = checkValue('password', stored);
      if (problem !== undefined) problems.push(`broker "${broker.id}" stored password ${problem}`);
      else filled.password = stored;
    }
    return filled;
  });
  if (problems.length > 0) throw new SecretReferenceError(problems);
  return { ...plant, brokers };
}

/** Whether a URL's userinfo carries a password written as it is, not as a reference. */
function urlHasLiteralPassword(url: string): boolean {
  const authority = /^[a-z]+:\/\/([^/?#]*)/i.exec(url)?.[1] ?? '';
  const at = authority.lastIndexOf('@');
  if (at < 0) return false;
  const userinfo = authority.slice(0, at);
  const colon = userinfo.indexOf(':');
  if (colon < 0) return false;
  const password = userinfo.slice(colon + 1);
  return password !== '' && !hasReference(password);
}

/**
 * A warning for every broker whose password is written in the plant file as it is (in `password`
 * or in its URL), to be shown at start. Names the broker, never the password.
 */
export function plainTextPasswordWarnings(plant: Plant): string[] {
  const warnings: string[] = [];
  for (const broker of plant.brokers) {
    const literalField = broker.password !== undefined && broker.password !== '' && !hasReference(broker.password);
    if (literalField || urlHasLiteralPassword(broker.url ?? '')) {
      warnings.push(`Warning: broker "${broker.id}": the password is written in the plant file; use \${VARIABLE} or the keychain`);
    }
  }
  return warnings;
}
