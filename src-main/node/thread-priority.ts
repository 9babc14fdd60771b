import { execFileSync } from 'node:child_process';
import { readdirSync, readlinkSync } from 'node:fs';
import { constants, setPriority } from 'node:os';

/** What lowering a thread's priority did: the thread lowered (and whether it entered the idle class), or why not. */
export type Lowered = { thread: number; idleClass?: true | string } | { reason: string };

/**
 * How far replay yields to live ingest: `idle` (nice 19 and, on Linux, the idle scheduling class: it runs
 * only on a core nothing else wants) or `below-normal` (nice 10: a small share even while other programs
 * keep every core busy), for a replay that the idle class left with no CPU at all.
 */
export type YieldLevel = 'idle' | 'below-normal';

/** The nice value and scheduling class of a yield level. */
function levelSettings(level: YieldLevel): { priority: number; idleClass: boolean } {
  return level === 'idle' ? { priority: constants.priority.PRIORITY_LOW, idleClass: true } : { priority: constants.priority.PRIORITY_BELOW_NORMAL, idleClass: false };
}

/**
 * Lowers the calling thread's CPU priority, so that replay work yields the CPU to ingest when both
 * want it. On Linux every thread is a task with its own priority, found through /proc/thread-self;
 * elsewhere a thread's priority cannot be set from Node and nothing changes. With `idleClass`, the
 * thread also enters Linux's idle scheduling class (`chrt --idle`), where it runs only on a core nothing
 * else wants; with `level`, it takes that level's nice value and class instead. Returns the thread id
 * lowered, or why not.
 */
export function lowerThisThreadsPriority(options: { idleClass?: boolean; level?: YieldLevel } = {}): Lowered {
  const { priority, idleClass } = options.level ? levelSettings(options.level) : { priority: constants.priority.PRIORITY_LOW, idleClass: options.idleClass === true };
  if (process.platform !== 'linux') return { reason: `thread priorities cannot be set on ${process.platform}` };
  try {
    // Synchronous on purpose: it must run on this thread, not on the I/O pool's.
    const thread = Number(readlinkSync('/proc/thread-self').split('/').pop());
    if (!Number.isInteger(thread) || thread <= 0) return { reason: 'this thread has no id in /proc/thread-self' };
    setPriority(thread, priority);
    return idleClass ? { thread, idleClass: enterIdleClass(thread) } : { thread };
  } catch (error) {
    return { reason: error instanceof Error ? error.message : String(error) };
  }
}

/**
 * Lowers every thread of this process but the calling one (on Linux: garbage collection's helpers
 * and the I/O pool, started before any code ran) to the yield level's priority and class. The
 * calling thread keeps its priority, so the threads it starts load their code at normal speed and
 * lower themselves once they are ready. Elsewhere, where threads cannot be told apart, the whole
 * process goes below normal. Returns how many threads were lowered, or why not.
 */
export function lowerOtherThreadsOfThisProcess(level: YieldLevel = 'idle'): { threads: number; failures: string[] } | { reason: string } {
  const { priority, idleClass } = levelSettings(level);
  try {
    if (process.platform !== 'linux') {
      setPriority(constants.priority.PRIORITY_BELOW_NORMAL);
      return { threads: 1, failures: [] };
    }
    const self = Number(readlinkSync('/proc/thread-self').split('/').pop());
    const threads = readdirSync('/proc/self/task').map(Number).filter((thread) => Number.isInteger(thread) && thread > 0 && thread !== self);
    const failures: string[] = [];
    let lowered = 0;
    for (const thread of threads) {
      try {
        setPriority(thread, priority);
        const idle = idleClass ? enterIdleClass(thread) : true;
        if (idle !== true) failures.push(idle);
        lowered++;
      } catch (error) {
        // A thread that ended since the listing has nothing left to lower; anything else is a real failure.
        if ((error as { info?: { code?: string } }).info?.code !== 'ESRCH') throw error;
      }
    }
    return { threads: lowered, failures };
  } catch (error) {
    return { reason: error instanceof Error ? error.message : String(error) };
  }
}

/**
 * Puts one thread in Linux's idle scheduling class: true, or why not (then its nice value stands).
 * One way only: leaving the class takes a privilege most desktop users do not have (RLIMIT_NICE).
 */
function enterIdleClass(thread: number): true | string {
  try {
    execFileSync('chrt', ['--idle', '--pid', '0', String(thread)], { stdio: 'ignore', timeout: 5000 });
    return true;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}
