/** How long replay stays in the idle class after live last caught up: a busy loop falls behind again within this. */
export const idleAfterCaughtUpMs = 2000;

/**
 * The replay process's scheduling class, following what the host says of its loop: while live is
 * behind, and for `stayMs` after it last caught up, every replay thread is in the idle class and runs
 * only on a core nothing else wants; otherwise at the lowest normal priority, so that on a machine
 * busy with other programs (a view drawing in software, say) replay still gets its share.
 *
 * Measured beside live ingest at 80 % of what the host sustains: at nice 19 alone the host's thread
 * waited for a core three times as long while four views replayed (15–20 % of the time against 4–8 %),
 * since the scheduler places and balances threads by weight and a nice-19 thread still holds its core
 * for a slice; in the idle class it waited no longer than with no replay at all.
 */
export class IdleWhileLiveBehind {
  private idle = false;
  private leaveTimer: ReturnType<typeof setTimeout> | undefined;
  private unavailable: string | undefined;
  /** Whether the class was ever changed: a failure after that is passing, one before is for good. */
  private changed = false;
  private readonly apply: (idle: boolean) => true | string;
  private readonly report: (line: string) => void;
  private readonly stayMs: number;
  /** Times replay entered the idle class. */
  entered = 0;

  /** `apply` changes the class (true, or why it cannot); `report` hears why it cannot, once. */
  constructor(apply: (idle: boolean) => true | string, report: (line: string) => void, stayMs = idleAfterCaughtUpMs) {
    this.apply = apply;
    this.report = report;
    this.stayMs = stayMs;
  }

  /** Whether replay is in the idle class now. */
  get isIdle(): boolean {
    return this.idle;
  }

  /** Hears the host's word: live is behind (enter the idle class) or has caught up (leave it after a while). */
  live(behind: boolean): void {
    if (this.unavailable !== undefined) return;
    if (behind) {
      clearTimeout(this.leaveTimer);
      this.leaveTimer = undefined;
      if (!this.idle) this.set(true);
      return;
    }
    if (!this.idle || this.leaveTimer !== undefined) return;
    this.leaveTimer = setTimeout(() => {
      this.leaveTimer = undefined;
      try {
        this.set(false);
      } catch (error) {
        this.report(`taking replay out of the idle scheduling class failed: ${error instanceof Error ? error.message : String(error)}`);
      }
    }, this.stayMs);
    // Nothing to wait for once the host has gone.
    this.leaveTimer.unref();
  }

  /** Stops the pending change, if any. */
  stop(): void {
    clearTimeout(this.leaveTimer);
    this.leaveTimer = undefined;
  }

  private set(idle: boolean): void {
    const outcome = this.apply(idle);
    if (outcome === true) {
      this.idle = idle;
      this.changed = true;
      if (idle) this.entered++;
      return;
    }
    if (!this.changed) {
      // Never changed at all (no chrt, not allowed): it would fail the same way every time.
      this.unavailable = outcome;
      this.report(`replay cannot enter the idle scheduling class (${outcome}); it stays at the lowest normal priority`);
      return;
    }
    // It worked before, so this was a passing failure (chrt itself slow to run on a saturated machine): try again.
    this.report(`replay could not ${idle ? 'enter' : 'leave'} the idle scheduling class this time (${outcome}); trying again`);
    if (!idle) this.live(false);
  }
}
