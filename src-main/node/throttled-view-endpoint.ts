import type { WebSocket } from 'ws';
import type { EncodedFrameEvent, FrameBatch, MessageEndpoint } from '../common/contract.ts';

/** How much a server lets views fall behind before it holds frames back or cuts a view off. */
export interface ViewBufferLimits {
  /** Past this many bytes waiting for a view, its frames are dropped and a full snapshot follows once it catches up. */
  frameBacklogBytes: number;
  /** Past this many bytes waiting for one view (answers and events that are never dropped), it is cut off. */
  maxBufferedBytesPerView: number;
  /** Past this many bytes waiting for all views together, any view that is behind is cut off. */
  maxBufferedBytesTotal: number;
  /** A view that is behind and takes nothing for this long has stopped reading, and is cut off. */
  stalledViewTimeoutMs: number;
}

/** The limits a server uses unless told otherwise. */
export const defaultViewBufferLimits: ViewBufferLimits = {
  frameBacklogBytes: 256 * 1024,
  maxBufferedBytesPerView: 16 * 1024 * 1024,
  maxBufferedBytesTotal: 64 * 1024 * 1024,
  stalledViewTimeoutMs: 30_000,
};

/** What a throttled endpoint needs from its server. */
export interface ThrottleOptions {
  limits: ViewBufferLimits;
  /** The view's full state now, sent in place of the frames it missed (already encoded, where the source can). */
  snapshot(): FrameBatch | EncodedFrameEvent | Promise<FrameBatch | EncodedFrameEvent>;
  /** Bytes waiting for every view of the server together. */
  totalBuffered(): number;
  /** Told once, with the reason, when the view is cut off. */
  onCutOff(reason: string): void;
}

/** How often a view that is behind is looked at, to see whether it caught up or stopped reading. */
const pollMs = 50;
/** Frames cut while a snapshot is being made are kept for after it, up to this many; beyond, another snapshot follows. */
const maxHeldFrames = 64;
/** A view that was cut off gets this long for its close handshake before its connection is dropped. */
const closeGraceMs = 1000;

/**
 * The contract's endpoint over one view's WebSocket, with backpressure: while the view has more than
 * `frameBacklogBytes` waiting, frames for it are dropped (a frame only matters until the next one), and
 * once it has caught up it gets one full snapshot frame instead. Answers, export chunks and other events
 * are never dropped; a view that has too much of those waiting, that pushes all views past their common
 * budget, or that stops reading altogether is closed with code 1013 and the reason.
 */
export class ThrottledViewEndpoint implements MessageEndpoint {
  private readonly websocket: WebSocket;
  private readonly options: ThrottleOptions;
  /** 'behind': frames were dropped and a snapshot is owed; 'snapshot': one is being made (an async source). */
  private resync: 'none' | 'behind' | 'snapshot' = 'none';
  /** Frames had to be let go while a snapshot was being made, so another snapshot follows it. */
  private resyncAgain = false;
  private heldFrames: Array<string | Uint8Array> = [];
  private poll: ReturnType<typeof setInterval> | undefined;
  private lastBuffered = 0;
  private lastProgress = 0;
  private cutOff = false;

  constructor(websocket: WebSocket, options: ThrottleOptions) {
    this.websocket = websocket;
    this.options = options;
    websocket.once('close', () => this.stopWatching());
  }

  send(message: unknown): void {
    if (!this.isOpen() || this.overLimits()) return;
    if (!isFrameEvent(message)) return this.sendText(JSON.stringify(message));
    this.sendFrame(() => JSON.stringify(message));
  }

  sendEncodedFrame(event: EncodedFrameEvent): void {
    if (!this.isOpen() || this.overLimits()) return;
    // Bytes made in a worker go out as they are, as a text message: no copy or re-encoding on this thread.
    this.sendFrame(() => event.bytes ?? event.encoded);
  }

  /** A frame, encoded only if it is sent or held: a dropped frame costs nothing. */
  private sendFrame(text: () => string | Uint8Array): void {
    if (this.resync === 'snapshot') {
      if (this.heldFrames.length < maxHeldFrames) this.heldFrames.push(text());
      else {
        this.heldFrames = [];
        this.resyncAgain = true;
      }
    } else if (this.websocket.bufferedAmount > this.options.limits.frameBacklogBytes) {
      this.fallBehind();
    } else if (this.resync === 'behind') {
      // Caught up before the next look: the snapshot carries this frame's changes too.
      this.resend();
    } else {
      this.sendText(text());
    }
  }

  onMessage(listener: (message: unknown) => void): () => void {
    const handler = (data: Buffer, isBinary: boolean) => listener(isBinary ? undefined : data.toString('utf8'));
    this.websocket.on('message', handler);
    return () => this.websocket.off('message', handler);
  }

  onClose(listener: () => void): () => void {
    this.websocket.on('close', listener);
    return () => this.websocket.off('close', listener);
  }

  close(): void {
    this.websocket.close();
  }

  /** Resolves once the view has no more than the frame backlog waiting; rejects if it is closed or cut off first. */
  whenWritable(): Promise<void> {
    return new Promise((resolve, reject) => {
      const check = () => {
        if (!this.isOpen()) {
          clearInterval(timer);
          reject(new Error('the view closed before it took everything'));
        } else if (this.websocket.bufferedAmount <= this.options.limits.frameBacklogBytes) {
          clearInterval(timer);
          resolve();
        }
      };
      const timer = setInterval(check, pollMs);
      timer.unref?.();
      check();
    });
  }

  private isOpen(): boolean {
    return !this.cutOff && this.websocket.readyState === this.websocket.OPEN;
  }

  /** Sends text, and watches the view when that leaves it behind, even if nothing else is sent for a while. */
  private sendText(text: string | Uint8Array): void {
    this.websocket.send(text, { binary: false });
    if (this.websocket.bufferedAmount > this.options.limits.frameBacklogBytes) this.watch();
  }

  /** Cuts the view off when it has too much waiting; true when it did. */
  private overLimits(): boolean {
    const { limits } = this.options;
    const buffered = this.websocket.bufferedAmount;
    if (buffered > limits.maxBufferedBytesPerView) {
      this.cutOffView(`view too slow: ${mebibytes(buffered)} waiting; reconnect for a fresh snapshot`);
      return true;
    }
    if (buffered > limits.frameBacklogBytes && this.options.totalBuffered() > limits.maxBufferedBytesTotal) {
      this.cutOffView(`host send budget of ${mebibytes(limits.maxBufferedBytesTotal)} spent on slow views; reconnect for a fresh snapshot`);
      return true;
    }
    return false;
  }

  /** Marks the view behind on frames: it gets a snapshot once it catches up. */
  private fallBehind(): void {
    this.resync = 'behind';
    this.watch();
  }

  /** Looks at a view with more than the backlog waiting until it catches up, or stops reading (then it is cut off). */
  private watch(): void {
    if (this.poll !== undefined) return;
    this.lastBuffered = this.websocket.bufferedAmount;
    this.lastProgress = Date.now();
    this.poll = setInterval(() => this.look(), pollMs);
    this.poll.unref?.();
  }

  private stopWatching(): void {
    if (this.poll !== undefined) clearInterval(this.poll);
    this.poll = undefined;
  }

  private look(): void {
    if (!this.isOpen()) return this.stopWatching();
    if (this.overLimits()) return;
    const { limits } = this.options;
    const buffered = this.websocket.bufferedAmount;
    const now = Date.now();
    if (buffered < this.lastBuffered) this.lastProgress = now;
    this.lastBuffered = buffered;
    if (buffered <= limits.frameBacklogBytes) {
      this.stopWatching();
      if (this.resync === 'behind') this.resend();
    } else if (now - this.lastProgress > limits.stalledViewTimeoutMs) {
      this.cutOffView(`view stopped reading for ${limits.stalledViewTimeoutMs / 1000} s; reconnect for a fresh snapshot`);
    }
  }

  /** Sends the view's whole state in place of the frames it missed. */
  private resend(): void {
    this.resync = 'snapshot';
    const failed = (error: unknown) => this.cutOffView(`the view's state could not be resent: ${describe(error)}`);
    try {
      const frame = this.options.snapshot();
      if (frame instanceof Promise) frame.then((made) => this.sendSnapshot(made)).catch(failed);
      else this.sendSnapshot(frame);
    } catch (error) {
      failed(error);
    }
  }

  private sendSnapshot(frame: FrameBatch | EncodedFrameEvent): void {
    if (!this.isOpen()) return;
    this.sendText('encoded' in frame ? (frame.bytes ?? frame.encoded) : JSON.stringify({ type: 'event', stream: 'frame', data: frame }));
    const held = this.heldFrames;
    this.heldFrames = [];
    this.resync = 'none';
    for (const text of held) this.sendText(text);
    if (this.resyncAgain) {
      this.resyncAgain = false;
      this.fallBehind();
    }
  }

  private cutOffView(reason: string): void {
    if (this.cutOff) return;
    this.cutOff = true;
    this.stopWatching();
    this.heldFrames = [];
    this.options.onCutOff(reason);
    // A close reason may hold at most 123 bytes; these reasons are plain ASCII.
    this.websocket.close(1013, reason.slice(0, 123));
    // A view that reads nothing never answers the close either; its waiting bytes are freed soon all the same.
    const terminate = setTimeout(() => this.websocket.terminate(), closeGraceMs);
    terminate.unref?.();
    this.websocket.once('close', () => clearTimeout(terminate));
  }
}

function isFrameEvent(message: unknown): boolean {
  return typeof message === 'object' && message !== null && (message as { type?: unknown }).type === 'event' && (message as { stream?: unknown }).stream === 'frame';
}

function mebibytes(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(1)} MiB`;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
