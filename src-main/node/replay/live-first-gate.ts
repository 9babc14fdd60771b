/**
 * Live first: the host's thread says, through memory shared with every replay worker, when its loop
 * is behind (a timer of its own fires late: ingest and frame cutting are waiting for the CPU), and
 * replay workers hold back their reads and the frames they would send until it has caught up, so
 * replay latency absorbs the contention instead of live. A hold is bounded, so replay still gets
 * every answer when the host stays busy, only later.
 */

/** How often the host's thread looks at its own lateness. */
const checkEveryMs = 10;
/** A check this late means the loop is behind. */
const lateMs = 8;
/** Replay stays held this long after the last late check: a busy loop is rarely late on every check. */
const holdAfterLateMs = 60;
/** Longest one replay step waits for live before it runs all the same. */
export const longestHoldMs = 300;

const flagIndex = 0;

/** The host's side: a flag replay workers read, set while the loop is behind. */
export interface LiveFirstGate {
  /** Shared with each replay worker (in its worker data). */
  readonly shared: Int32Array;
  /** Whether replay is held now. */
  readonly behind: boolean;
  /** Times replay was held since the gate started. */
  readonly holds: number;
  /** Hears each change of `behind` (for the replay process, which shared memory cannot reach); returns how to stop. */
  onChange(listener: (behind: boolean) => void): () => void;
  stop(): void;
}

/** Starts watching this thread's loop; `report` hears a failure of the watch itself. */
export function startLiveFirstGate(report: (line: string) => void = (line) => console.error(line)): LiveFirstGate {
  const shared = createLiveFirstFlag();
  let expected = performance.now() + checkEveryMs;
  let lastLate = Number.NEGATIVE_INFINITY;
  let holds = 0;
  const listeners = new Set<(behind: boolean) => void>();
  const tell = (behind: boolean) => {
    for (const listener of listeners) {
      try {
        listener(behind);
      } catch (error) {
        report(`telling replay that live is ${behind ? 'behind' : 'back on time'} failed: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  };
  const timer = setInterval(() => {
    try {
      const now = performance.now();
      if (now - expected > lateMs) lastLate = now;
      expected = now + checkEveryMs;
      const behind = now - lastLate < holdAfterLateMs;
      if (behind && Atomics.load(shared, flagIndex) === 0) {
        holds++;
        Atomics.store(shared, flagIndex, 1);
        tell(true);
      } else if (!behind && Atomics.load(shared, flagIndex) === 1) {
        Atomics.store(shared, flagIndex, 0);
        Atomics.notify(shared, flagIndex);
        tell(false);
      }
    } catch (error) {
      report(`watching the host's loop for replay to give way failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }, checkEveryMs);
  // The watch never keeps a host alive on its own.
  timer.unref();
  return {
    shared,
    get behind() {
      return Atomics.load(shared, flagIndex) === 1;
    },
    get holds() {
      return holds;
    },
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    stop() {
      clearInterval(timer);
      Atomics.store(shared, flagIndex, 0);
      Atomics.notify(shared, flagIndex);
      tell(false);
    },
  };
}

let processGate: LiveFirstGate | undefined;

/** The gate every replay worker of this process shares, started on first use. */
export function processLiveFirstGate(): LiveFirstGate {
  processGate ??= startLiveFirstGate();
  return processGate;
}

/** Sets a live-first flag from what the host said (in the replay process, for its own threads), waking threads held by it. */
export function setLiveBehind(shared: Int32Array, behind: boolean): void {
  Atomics.store(shared, flagIndex, behind ? 1 : 0);
  if (!behind) Atomics.notify(shared, flagIndex);
}

/** A live-first flag of its own, for threads the host's memory cannot reach. */
export function createLiveFirstFlag(): Int32Array {
  return new Int32Array(new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT));
}

/** In a replay worker: whether the host's loop is behind now (without waiting). */
export function liveIsBehind(shared: Int32Array | undefined): boolean {
  return shared !== undefined && Atomics.load(shared, flagIndex) === 1;
}

/**
 * In a replay worker: blocks this thread while the host's loop is behind, for at most `longestMs`.
 * Returns how long it waited. A worker that blocks costs no CPU, and its messages wait in order.
 */
export function waitForLive(shared: Int32Array | undefined, longestMs = longestHoldMs): number {
  if (!shared || Atomics.load(shared, flagIndex) === 0) return 0;
  const started = performance.now();
  for (;;) {
    const left = longestMs - (performance.now() - started);
    if (left <= 0 || Atomics.wait(shared, flagIndex, 1, left) !== 'ok' || Atomics.load(shared, flagIndex) === 0) break;
  }
  return performance.now() - started;
}
