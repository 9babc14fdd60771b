import { execFileSync } from 'node:child_process';
import { readdirSync, readlinkSync } from 'node:fs';
import { constants, setPriority } from 'node:os';

/**
 * Lowers the calling thread's CPU priority, so that replay work yields the CPU to ingest when both
 * want it. On Linux every thread is a task with its own priority, found through /proc/thread-self;
 * elsewhere a thread's priority cannot be set from Node and nothing changes. Returns the thread id
 * lowered, or why not.
 */
export function lowerThisThreadsPriority(): { thread: number } | { reason: string } {
  if (process.platform !== 'linux') return { reason: `thread priorities cannot be set on ${process.platform}` };
  try {
    // Synchronous on purpose: it must run on this thread, not on the I/O pool's.
    const thread = Number(readlinkSync('/proc/thread-self').split('/').pop());
    if (!Number.isInteger(thread) || thread <= 0) return { reason: 'this thread has no id in /proc/thread-self' };
    setPriority(thread, constants.priority.PRIORITY_LOW);
    return { thread };
  } catch (error) {
    return { reason: error instanceof Error ? error.message : String(error) };
  }
}

/**
 * Lowers the CPU priority of this whole process, every thread of it (garbage collection's helpers,
 * the I/O pool, worker threads started later, which inherit it), so that all its work yields to
 * other processes. On Linux each thread has its own priority, so each is lowered; elsewhere the
 * process's priority covers its threads. Returns how many threads were lowered, or why not.
 */
export function lowerThisProcessPriority(): { threads: number } | { reason: string } {
  try {
    if (process.platform !== 'linux') {
      setPriority(constants.priority.PRIORITY_LOW);
      return { threads: 1 };
    }
    // Synchronous on purpose: threads are listed and lowered before this one starts any more.
    const threads = readdirSync('/proc/self/task').map(Number).filter((thread) => Number.isInteger(thread) && thread > 0);
    let lowered = 0;
    for (const thread of threads) {
      try {
        setPriority(thread, constants.priority.PRIORITY_LOW);
        lowered++;
      } catch (error) {
        // A thread that ended since the listing has nothing left to lower; anything else is a real failure.
        if ((error as { info?: { code?: string } }).info?.code !== 'ESRCH') throw error;
      }
    }
    return { threads: lowered };
  } catch (error) {
    return { reason: error instanceof Error ? error.message : String(error) };
  }
}

/**
 * Puts every thread of this process in Linux's idle scheduling class (`chrt --idle`), where it runs
 * only on a core nothing else wants, or takes it back to the normal class (its nice value kept).
 * Synchronous, so no thread this one starts meanwhile is missed. Returns true, or why not.
 */
export function setThisProcessIdleClass(idle: boolean): true | string {
  if (process.platform !== 'linux') return `there is no idle scheduling class on ${process.platform}`;
  try {
    execFileSync('chrt', [idle ? '--idle' : '--other', '--all-tasks', '--pid', '0', String(process.pid)], { stdio: 'ignore', timeout: 5000 });
    return true;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}
