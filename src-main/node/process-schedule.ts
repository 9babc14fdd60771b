import { readdirSync, readFileSync } from 'node:fs';

/** What Linux's scheduler says of a process: the CPU it used, and how long each of its threads waited for a core. */
export interface ProcessSchedule {
  /** CPU the process has used, its ended threads included (ms, counted in 10 ms clock ticks). */
  cpuMs: number;
  /** How long each thread now running has waited runnable on a run queue, by thread id (ms). */
  waitMs: Map<number, number>;
}

/** Linux's clock tick for the CPU times in /proc (USER_HZ, 100 on every architecture Node runs on). */
const tickMs = 10;

/**
 * Reads a process's schedule: its CPU time from `/proc/PID/stat` (user and system, which keep what
 * ended threads used) and each thread's run-queue wait from `/proc/PID/task/TID/schedstat` (nanoseconds
 * run, nanoseconds waited, time slices). Undefined where the system keeps none (not Linux) or the
 * process has gone. A thread that ends while it is read is left out.
 */
export function readProcessSchedule(pid: number): ProcessSchedule | undefined {
  if (process.platform !== 'linux' || !Number.isSafeInteger(pid) || pid <= 0) return undefined;
  let cpuMs: number;
  let threads: string[];
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
    // Fields after the command name, which is in parentheses and may hold spaces: utime and stime are fields 14 and 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    cpuMs = (Number(fields[14 - 3]) + Number(fields[15 - 3])) * tickMs;
    threads = readdirSync(`/proc/${pid}/task`);
  } catch {
    // The process has gone (or was never there): it has no schedule to read.
    return undefined;
  }
  if (!Number.isFinite(cpuMs)) return undefined;
  const waitMs = new Map<number, number>();
  for (const thread of threads) {
    let text: string;
    try {
      text = readFileSync(`/proc/${pid}/task/${thread}/schedstat`, 'latin1');
    } catch {
      // The thread ended between the listing and the read: it waits no more.
      continue;
    }
    const waited = Number(text.split(' ', 2)[1]);
    if (Number.isFinite(waited)) waitMs.set(Number(thread), waited / 1e6);
  }
  return { cpuMs, waitMs };
}
