/**
 * One clock for every process of a benchmark: milliseconds on the machine's monotonic clock, which
 * every process reads alike and which no step of the wall clock moves. Latencies between processes
 * (publish in one, view in another) are differences on it.
 *
 * Why not `performance.timeOrigin + performance.now()`: each process fixes its offset to the wall clock
 * when it starts, so processes started on either side of a step of the wall clock (a time sync, a
 * virtual machine resumed from a pause) disagree by the step. On 2026-12-03 the publishers of one run,
 * started after such a step, were seconds ahead of its live view: every latency came out below zero
 * and the run read as a ratio of 0.00×.
 */
export function sharedClockNow(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}

/** The wall-clock time (ms since the epoch) of a moment on the shared clock, for times the host stamped with its own wall clock. */
export function wallTimeOf(sharedMs: number): number {
  return Date.now() - (sharedClockNow() - sharedMs);
}
