/**
 * A token bucket: at most `burst` at once, then one every `everyMs` milliseconds. Bounds how fast a
 * view may make the host write something (notes into the recording) without a timer of its own.
 */
export class RateLimit {
  private readonly burst: number;
  private readonly everyMs: number;
  private readonly clock: () => number;
  private tokens: number;
  private updatedAt: number;

  constructor(options: { burst: number; everyMs: number; clock?: () => number }) {
    this.burst = options.burst;
    this.everyMs = options.everyMs;
    this.clock = options.clock ?? Date.now;
    this.tokens = options.burst;
    this.updatedAt = this.clock();
  }

  /** Takes `count` tokens (one by default); false (and nothing taken) when there are not that many left. */
  take(count = 1): boolean {
    const now = this.clock();
    // A clock that steps back refills nothing rather than a negative amount.
    this.tokens = Math.min(this.burst, this.tokens + Math.max(0, now - this.updatedAt) / this.everyMs);
    this.updatedAt = now;
    if (this.tokens < count) return false;
    this.tokens -= count;
    return true;
  }

  /** Milliseconds until `count` tokens are there (one by default), for telling the refused when to try again. */
  waitMs(count = 1): number {
    return Math.max(0, Math.ceil((count - this.tokens) * this.everyMs));
  }
}
