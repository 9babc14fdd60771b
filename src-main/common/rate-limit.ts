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

  /** Takes one token; false (and nothing taken) when there is none left. */
  take(): boolean {
    const now = this.clock();
    // A clock that steps back refills nothing rather than a negative amount.
    this.tokens = Math.min(this.burst, this.tokens + Math.max(0, now - this.updatedAt) / this.everyMs);
    this.updatedAt = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  /** Milliseconds until the next token, for telling the refused when to try again. */
  waitMs(): number {
    return Math.max(0, Math.ceil((1 - this.tokens) * this.everyMs));
  }
}
