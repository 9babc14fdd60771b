/**
 * Bytes of replay output per second that views beside a live plant share by default. Every replayed
 * frame and export chunk passes through the host's ingest loop on its way to a view (received from the
 * replay process, written to the view's socket), and on a machine with no core to spare that work
 * delays live: in the isolation benchmark (2 cores, 24,000 msg/s), four views seeking every 100 ms and
 * an export sent about 8 MB/s, and the host's loop did 56 ms/s more work. A view dragging the timeline
 * of a 10,000-signal plant needs about 1.5 MB/s; a day's CSV export of 400 signals (12 MB) takes 6 s.
 */
export const defaultReplayBytesPerSecond = 2 * 1024 * 1024;

/**
 * A token bucket for the bytes replay sends views while live runs: a move takes the bytes of its view's
 * last frame before it is read, an export chunk its own before it is handed on, and either waits while
 * the views together are over the rate. A burst of one second's worth passes at once, so a single seek
 * or a short export is never held back.
 */
export class ReplayTrafficBudget {
  readonly bytesPerSecond: number;
  private readonly clock: () => number;
  /** Bytes that may pass now; negative while takers wait for the rate to catch up. */
  private balance: number;
  private updatedAt: number;

  constructor(bytesPerSecond = defaultReplayBytesPerSecond, clock: () => number = () => performance.now()) {
    if (!(Number.isFinite(bytesPerSecond) && bytesPerSecond > 0)) throw new RangeError(`a replay traffic budget needs a positive rate, not ${bytesPerSecond}`);
    this.bytesPerSecond = bytesPerSecond;
    this.clock = clock;
    this.balance = bytesPerSecond;
    this.updatedAt = clock();
  }

  /** How long (ms) `bytes` taken now wait before they may pass; takes them (later takers wait behind). */
  reserve(bytes: number): number {
    const now = this.clock();
    this.balance = Math.min(this.bytesPerSecond, this.balance + ((now - this.updatedAt) / 1000) * this.bytesPerSecond);
    this.updatedAt = now;
    this.balance -= Math.max(0, bytes);
    return this.balance >= 0 ? 0 : (-this.balance / this.bytesPerSecond) * 1000;
  }

  /** Resolves once `bytes` may pass. */
  take(bytes: number): Promise<void> {
    const waitMs = this.reserve(bytes);
    // Unreferenced: a wait never keeps a stopping process alive.
    return waitMs === 0 ? Promise.resolve() : new Promise((resolve) => setTimeout(resolve, waitMs).unref());
  }
}
