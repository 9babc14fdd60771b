import { frameEventPrefix, frameEventSuffix, type EncodedFrameEvent, type FrameBatch } from '../../common/contract.ts';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * Array elements stringified at a time. The text of a seek's frame across a day (~300 kB before frames
 * carried ages, ~150 kB since) made in one piece is a string in V8's large-object space, which gets
 * fresh pages from the system for every string and gives them back after the next collection: at ten
 * seeks a second per view that was more than half of replay's page faults, kernel work that delays
 * whatever else runs on the core. Pieces of 4,096 numbers (at most ~100 kB of text) stay in the young
 * generation, whose memory is reused.
 */
const elementsPerPiece = 4096;

/**
 * A frame event's text (`encodeFrameEvent`) as UTF-8 bytes, made in a replay worker: its buffer is
 * transferred to the host's thread (no copy) and written to the view's socket as it is, so the ingest
 * loop neither serialises nor re-encodes a replay frame (a seek across a day changes most signals).
 */
export function encodeFrameEventBytes(frame: FrameBatch): Uint8Array {
  const pieces = [frameEventPrefix];
  let separator = '{';
  // JSON.stringify's own order and rules: own enumerable keys, each value as it would write it.
  for (const [key, value] of Object.entries(frame)) {
    if (value === undefined) continue;
    pieces.push(`${separator}${JSON.stringify(key)}:`);
    separator = ',';
    if (!Array.isArray(value) || value.length <= elementsPerPiece) {
      pieces.push(JSON.stringify(value));
      continue;
    }
    for (let start = 0; start < value.length; start += elementsPerPiece) {
      const text = JSON.stringify(value.slice(start, start + elementsPerPiece));
      pieces.push(`${start === 0 ? '[' : ','}${text.slice(1, -1)}`);
    }
    pieces.push(']');
  }
  pieces.push(separator === '{' ? '{}' : '}', frameEventSuffix);
  let length = 0;
  for (const piece of pieces) length += piece.length;
  // A frame holds numbers and booleans, whose text is ASCII: one byte per character.
  const bytes = new Uint8Array(length);
  let offset = 0;
  for (const piece of pieces) {
    const { read, written } = encoder.encodeInto(piece, bytes.subarray(offset));
    if (read !== piece.length || written !== piece.length) return encoder.encode(pieces.join(''));
    offset += written;
  }
  return bytes;
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
