import { frameEventPrefix, frameEventSuffix, type EncodedFrameEvent, type FrameBatch } from '../../common/contract.ts';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * Where a frame's text is written before its exact-size copy is made, grown as needed and kept: the
 * text of a seek's frame across a day (~150 kB) made as strings (JSON of each array, in pieces) was,
 * with those pieces' copies, a third of what a seek allocated, garbage whose collection in a replay
 * worker's small young generation promoted and faulted in pages, kernel work that delays whatever
 * else runs on the core.
 */
let scratch = new Uint8Array(64 * 1024);
let length = 0;

/** Room for `bytes` more at the end of the scratch buffer. */
function reserve(bytes: number): void {
  if (length + bytes <= scratch.length) return;
  const grown = new Uint8Array(Math.max(scratch.length * 2, length + bytes));
  grown.set(scratch.subarray(0, length));
  scratch = grown;
}

/** Appends text as UTF-8: byte by byte while it is ASCII (the JSON of keys, booleans and numbers is). */
function writeText(text: string): void {
  reserve(text.length);
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code > 127) {
      reserve(text.length * 3);
      length += encoder.encodeInto(text.slice(index), scratch.subarray(length)).written;
      return;
    }
    scratch[length++] = code;
  }
}

const zero = 48;
const minus = 45;
const point = 46;
const comma = 44;
/** Largest magnitude written digit by digit (times 1000 for three-decimal values): beyond it, `String` decides. */
const largestDigits = 2 ** 31;
/** Room a number written digit by digit takes at most: a sign, ten digits, a point and three decimals. */
const longestDigits = 16;

/** Writes the digits of a non-negative integer below `largestDigits` (room reserved by the caller). */
function writeDigits(integer: number): void {
  let digits = 1;
  for (let rest = integer; rest >= 10; rest = Math.floor(rest / 10)) digits++;
  for (let position = length + digits - 1, rest = integer; position >= length; position--, rest = Math.floor(rest / 10)) scratch[position] = zero + (rest % 10);
  length += digits;
}

/**
 * Appends a number as JSON.stringify writes it. Integers and values of at most three decimals (what
 * telemetry and ages mostly are) are written digit by digit: below `largestDigits`, their shortest
 * round-trip text (`String`'s) is exactly those digits. Anything else goes through `String`; NaN and
 * the infinities are null.
 */
function writeNumber(value: number): void {
  if (!Number.isFinite(value)) {
    writeText('null');
    return;
  }
  const magnitude = Math.abs(value);
  const thousandths = Math.round(magnitude * 1000);
  if (!(thousandths < largestDigits && thousandths / 1000 === magnitude)) {
    writeText(String(value));
    return;
  }
  reserve(longestDigits);
  if (value < 0) scratch[length++] = minus;
  writeDigits(Math.floor(thousandths / 1000));
  let fraction = thousandths % 1000;
  if (fraction === 0) return;
  let decimals = 3;
  // Trailing zeros are left out, as String leaves them out.
  while (fraction % 10 === 0) {
    fraction /= 10;
    decimals--;
  }
  scratch[length++] = point;
  for (let position = length + decimals - 1; position >= length; position--, fraction = Math.floor(fraction / 10)) scratch[position] = zero + (fraction % 10);
  length += decimals;
}

/**
 * A frame event's text (`encodeFrameEvent`) as UTF-8 bytes, made in a replay worker: its buffer is
 * transferred to the host's thread (no copy) and written to the view's socket as it is, so the ingest
 * loop neither serialises nor re-encodes a replay frame (a seek across a day changes most signals).
 * Written as JSON.stringify would write it, into a kept buffer, then copied once at its exact size.
 */
export function encodeFrameEventBytes(frame: FrameBatch): Uint8Array {
  length = 0;
  writeText(frameEventPrefix);
  let separator = '{';
  // JSON.stringify's own order and rules: own enumerable keys, each value as it would write it.
  for (const [key, value] of Object.entries(frame)) {
    if (value === undefined) continue;
    writeText(`${separator}${JSON.stringify(key)}:`);
    separator = ',';
    if (!Array.isArray(value)) {
      writeText(JSON.stringify(value));
      continue;
    }
    writeText('[');
    for (let index = 0; index < value.length; index++) {
      if (index > 0) {
        reserve(1);
        scratch[length++] = comma;
      }
      const element: unknown = value[index];
      // Only numbers are expected; anything else (a hole reads as undefined) as JSON writes it in an array.
      if (typeof element === 'number') writeNumber(element);
      else writeText(JSON.stringify(element) ?? 'null');
    }
    writeText(']');
  }
  writeText(separator === '{' ? '{}' : '}');
  writeText(frameEventSuffix);
  // A typed array drops writes past its end without a word: a reservation missed would show here, not as a cut frame on a view.
  if (length > scratch.length) throw new Error(`a frame's text ran ${length - scratch.length} bytes past its buffer`);
  return scratch.slice(0, length);
}

/**
 * A frame event that arrived from a worker as bytes: sockets send the bytes; the text is decoded
 * only for a listener that asks for it (the desktop shell's port, tests), once.
 */
export class FrameEventBytes implements EncodedFrameEvent {
  readonly bytes: Uint8Array;
  private text: string | undefined;

  constructor(bytes: Uint8Array) {
    this.bytes = bytes;
  }

  get encoded(): string {
    this.text ??= decoder.decode(this.bytes);
    return this.text;
  }
}
