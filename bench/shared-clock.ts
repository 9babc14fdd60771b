/**
 * One clock for every process of a benchmark: the machine's monotonic clock, which every process reads
 * alike and which no step of the wall clock moves, plus one fixed offset that makes its readings times
 * since the epoch (the first benchmark process's wall clock at its start, handed to every process it
 * starts in the environment). Latencies between processes (publish in one, view in another) are
 * differences on it.
 *
 * Why not `performance.timeOrigin + performance.now()`: each process fixes its offset to the wall clock
 * when it starts, so processes started on either side of a step of the wall clock (a time sync, a
 * virtual machine resumed from a pause) disagree by the step. On 2026-12-03 the publishers of one run,
 * started after such a step, were seconds ahead of its live view: every latency came out below zero
 * and the run read as a ratio of 0.00×.
 */
const offsetVariable = 'TWINLINE_BENCH_CLOCK_OFFSET_MS';

function monotonicMs(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}

const offsetMs = ((): number => {
  const inherited = Number(process.env[offsetVariable]);
  if (Number.isFinite(inherited) && inherited > 0) return inherited;
  const own = Date.now() - monotonicMs();
  // Processes started from here on (publishers, hosts, views) read the same clock.
  process.env[offsetVariable] = String(own);
  return own;
})();

// `performance.now()` counts on the same monotonic clock from this process's own origin; reading it
// allocates nothing, where `process.hrtime.bigint()` allocates a BigInt, and this is read per message
// inside the process being measured.
const performanceToSharedMs = monotonicMs() - performance.now() + offsetMs;

/** Now on the benchmark's shared clock: ms since the epoch as the first benchmark process saw it, sub-ms. */
export function sharedClockNow(): number {
  return performance.now() + performanceToSharedMs;
}

/** The wall-clock time (ms since the epoch) of a moment on the shared clock, for times the host stamped with its own wall clock. */
export function wallTimeOf(sharedMs: number): number {
  return Date.now() - (sharedClockNow() - sharedMs);
}
