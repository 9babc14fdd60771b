import type { ProcessSchedule } from '../process-schedule.ts';

/** What the watch reads at each check. */
export interface StarvationWatchReadings {
  /** The replay process's schedule now; undefined when it cannot be read (then nothing is concluded). */
  schedule(): ProcessSchedule | undefined;
  /** CPU time the host process has used so far (ms). */
  hostCpuMs(): number;
}

/**
 * How long replay must have requests waiting and barely run before it counts as starved: long enough
 * that a busy moment of the machine does not move it, short beside minutes of waiting.
 */
export const starvationWindowMs = 10_000;
/** Starved: in the window, replay ran less than this share of it ... */
const mostRunShare = 0.25;
/** ... while it waited runnable for at least this share (summed over its threads) ... */
const leastWaitShare = 0.5;
/** ... and the host itself used less than this share of a core: the CPU went to other programs, not to live. */
const mostHostShare = 0.5;

/**
 * Tells whether a replay process in the idle scheduling class is starved by other programs: on a
 * machine whose every core they keep busy, the idle class gets next to no CPU (a few milliseconds a
 * second), and a view's seek or timeline waits for seconds to minutes. Starved means: requests were
 * waiting at every check of a whole window, the process was runnable (waiting on a run queue, not
 * blocked on the disk or held by the live-first gate) yet barely ran, and the host was not the one
 * using the CPU (live first is the idle class's purpose).
 */
export class ReplayStarvationWatch {
  private readonly readings: StarvationWatchReadings;
  private readonly windowMs: number;
  private windowStart: { at: number; schedule: ProcessSchedule; hostCpuMs: number } | undefined;

  constructor(readings: StarvationWatchReadings, windowMs = starvationWindowMs) {
    this.readings = readings;
    this.windowMs = windowMs;
  }

  /**
   * One check at `now` (ms): whether requests wait on replay now (sent and not yet answered). Returns
   * why replay is starved, once a whole window says so; undefined otherwise.
   */
  check(now: number, waiting: boolean): string | undefined {
    if (!waiting) {
      this.windowStart = undefined;
      return undefined;
    }
    const schedule = this.readings.schedule();
    if (!schedule) {
      this.windowStart = undefined;
      return undefined;
    }
    const hostCpuMs = this.readings.hostCpuMs();
    const start = this.windowStart;
    if (!start) {
      this.windowStart = { at: now, schedule, hostCpuMs };
      return undefined;
    }
    const elapsed = now - start.at;
    if (elapsed < this.windowMs) return undefined;
    const ran = schedule.cpuMs - start.schedule.cpuMs;
    const waited = waitedSince(start.schedule, schedule);
    const host = hostCpuMs - start.hostCpuMs;
    // The next window starts here, whatever this one concludes.
    this.windowStart = { at: now, schedule, hostCpuMs };
    if (ran < mostRunShare * elapsed && waited >= leastWaitShare * elapsed && host < mostHostShare * elapsed) {
      return `replay got ${Math.round(ran)} ms of CPU in ${Math.round(elapsed)} ms while it waited ${Math.round(waited)} ms for a core and the host used ${Math.round(host)} ms: other programs keep every core busy`;
    }
    return undefined;
  }
}

/** How long the threads running now waited for a core since `before` (a thread started since then counts from its start). */
function waitedSince(before: ProcessSchedule, now: ProcessSchedule): number {
  let waited = 0;
  for (const [thread, waitMs] of now.waitMs) waited += Math.max(0, waitMs - (before.waitMs.get(thread) ?? 0));
  return waited;
}
