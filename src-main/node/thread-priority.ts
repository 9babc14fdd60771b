import { readlinkSync } from 'node:fs';
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
