import { readdirSync, readFileSync } from 'node:fs';

/** Linux's scheduling classes as /proc shows them: the normal one (SCHED_OTHER) and the idle one (SCHED_IDLE). */
export const schedulingPolicy = { normal: 0, idle: 5 } as const;

/** Fields of a /proc stat line after the command name (in parentheses, which may hold spaces); field 3 first. */
function statFields(path: string): string[] {
  const stat = readFileSync(path, 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
}

/** Running children of this process whose command line names the replay process. */
export function replayProcesses(): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((pid) => {
      try {
        const fields = statFields(`/proc/${pid}/stat`);
        return Number(fields[4 - 3]) === process.pid && fields[0] !== 'Z' && readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('replay-process');
      } catch {
        return false; // gone between the listing and the read: not running
      }
    })
    .map(Number);
}

/** Each thread of a process, its main thread first: its nice value and its scheduling policy (fields 19 and 41 of its stat). */
export function threadPriorities(pid: number): Array<{ nice: number; policy: number }> {
  const threads = readdirSync(`/proc/${pid}/task`).sort((a, b) => (a === String(pid) ? -1 : b === String(pid) ? 1 : Number(a) - Number(b)));
  return threads.map((thread) => {
    const fields = statFields(`/proc/${pid}/task/${thread}/stat`);
    return { nice: Number(fields[19 - 3]), policy: Number(fields[41 - 3]) };
  });
}
