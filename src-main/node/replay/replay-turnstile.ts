/**
 * The replay turnstile: at most a few recording reads (a seek, a step, a played tick, an export
 * chunk, a timeline or chart) run at once across all replay workers of a process, so that however
 * many views replay, replay never takes more than the cores left over once ingest has one. Each
 * worker takes a turn around each step and gives it back after; the others wait (blocked, costing no
 * CPU) in memory shared by all of them. A turn is held in a slot under the holding thread's id, so
 * the host can give back the turn of a worker it stopped in the middle of a step.
 */
import { availableParallelism } from 'node:os';

/** Index of the counter bumped at every release, which waiting workers sleep on. */
const releasesIndex = 0;
/** Index of the first slot; each slot holds 0 (free) or the id of the thread holding that turn. */
const firstSlotIndex = 1;
/** Longest one sleep between looks at the slots: a release is normally announced, this only bounds a missed one. */
const longestSleepMs = 50;

/** Turns replay may take at once on this machine: every core but one (the ingest loop's), at least one. */
export function replayTurnsForThisMachine(cores = availableParallelism()): number {
  return Math.max(1, cores - 1);
}

/** Makes a turnstile of `turns` slots, to be shared with replay workers through their worker data. */
export function createReplayTurnstile(turns: number): Int32Array {
  if (!Number.isInteger(turns) || turns < 1) throw new Error(`a replay turnstile needs at least one turn, not ${turns}`);
  return new Int32Array(new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT * (firstSlotIndex + turns)));
}

let processTurnstile: Int32Array | undefined;

/** The turnstile every replay worker of this process shares, made on first use. */
export function processReplayTurnstile(): Int32Array {
  processTurnstile ??= createReplayTurnstile(replayTurnsForThisMachine());
  return processTurnstile;
}

/**
 * In a replay worker: waits (blocking this thread, which then costs no CPU) for a free turn and takes
 * it under `holder` (this thread's id, never 0). Returns the slot to give back to `releaseTurn`.
 */
export function takeTurn(turnstile: Int32Array, holder: number): number {
  if (holder === 0) throw new Error('a replay turn is held under a thread id, and 0 means free');
  for (;;) {
    const releases = Atomics.load(turnstile, releasesIndex);
    for (let slot = firstSlotIndex; slot < turnstile.length; slot++) {
      if (Atomics.compareExchange(turnstile, slot, 0, holder) === 0) return slot;
    }
    // Sleeps until a turn is given back (the counter moves); returns at once if one was meanwhile.
    Atomics.wait(turnstile, releasesIndex, releases, longestSleepMs);
  }
}

/** Gives back a turn taken by `holder`; a turn the host already took back (the worker was stopped) is left alone. */
export function releaseTurn(turnstile: Int32Array, slot: number, holder: number): void {
  if (Atomics.compareExchange(turnstile, slot, holder, 0) !== holder) return;
  announceRelease(turnstile);
}

/** Runs `step` inside a turn and gives the turn back however the step ends. */
export function withTurn<Result>(turnstile: Int32Array | undefined, holder: number, step: () => Result): Result {
  if (!turnstile) return step();
  const slot = takeTurn(turnstile, holder);
  try {
    return step();
  } finally {
    releaseTurn(turnstile, slot, holder);
  }
}

/**
 * On the host's thread: gives back every turn `holder` holds. For a worker stopped in the middle of a
 * step (it took too long, ran out of memory or crashed), which can no longer give its turn back itself.
 */
export function releaseTurnsOf(turnstile: Int32Array, holder: number): number {
  let released = 0;
  for (let slot = firstSlotIndex; slot < turnstile.length; slot++) {
    if (Atomics.compareExchange(turnstile, slot, holder, 0) === holder) released++;
  }
  if (released > 0) announceRelease(turnstile);
  return released;
}

/** Turns held now (for tests and figures). */
export function turnsHeld(turnstile: Int32Array): number {
  let held = 0;
  for (let slot = firstSlotIndex; slot < turnstile.length; slot++) if (Atomics.load(turnstile, slot) !== 0) held++;
  return held;
}

function announceRelease(turnstile: Int32Array): void {
  Atomics.add(turnstile, releasesIndex, 1);
  Atomics.notify(turnstile, releasesIndex);
}
