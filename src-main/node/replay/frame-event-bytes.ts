import { encodeFrameEvent, type EncodedFrameEvent, type FrameBatch } from '../../common/contract.ts';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * A frame event's text as UTF-8 bytes, made in a replay worker: its buffer is transferred to the
 * host's thread (no copy) and written to the view's socket as it is, so the ingest loop neither
 * serialises nor re-encodes a replay frame (a seek across a day changes most signals: ~300 kB).
 */
export function encodeFrameEventBytes(frame: FrameBatch): Uint8Array {
  return encoder.encode(encodeFrameEvent(frame).encoded);
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
