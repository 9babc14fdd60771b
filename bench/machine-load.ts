import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg } from 'node:os';

const clockTicksPerSecond = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout?.trim()) || 100;

/** The CPU this runs on, as the OS names it, and how many cores: what every µs per message depends on. */
export function cpuLabel(): string {
  return `${cpus()[0]?.model.trim() ?? 'unknown CPU'}, ${availableParallelism()} cores`;
}

/** The CPU and the load average now, for a benchmark's notes: figures from a busy machine read differently. */
export function machineNote(): string {
  return `Measured on ${cpuLabel()}; load average ${loadavg().map((value) => value.toFixed(2)).join(', ')} (1, 5, 15 min) when this table was printed.`;
}

/** CPU seconds a process has used so far, from /proc; NaN where there is no /proc. */
export function processCpuSeconds(pid: number | undefined): number {
  if (pid === undefined) return Number.NaN;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the parenthesised command name, which may itself contain spaces.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / clockTicksPerSecond;
  } catch {
    return Number.NaN;
  }
}

/** Kernel work a process has caused so far: CPU seconds spent in the kernel and minor page faults taken, from /proc. */
export interface KernelWork {
  systemSeconds: number;
  minorFaults: number;
}

/** A process's `KernelWork` so far; NaN for both where there is no such process or no /proc. */
export function processKernelWork(pid: number | undefined): KernelWork {
  if (pid === undefined) return { systemSeconds: Number.NaN, minorFaults: Number.NaN };
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // minflt is the stat file's 10th field, stime its 15th (proc(5)); the slice starts at the 3rd.
    return { systemSeconds: Number(fields[12]) / clockTicksPerSecond, minorFaults: Number(fields[7]) };
  } catch {
    return { systemSeconds: Number.NaN, minorFaults: Number.NaN };
  }
}

/** The whole machine's `KernelWork` so far (kernel CPU of every process, every page fault), from /proc/stat and /proc/vmstat. */
export function machineKernelWork(): KernelWork {
  try {
    const system = Number(readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]!.trim().split(/\s+/)[3]);
    const faults = /^pgfault (\d+)$/m.exec(readFileSync('/proc/vmstat', 'utf8'))?.[1];
    return { systemSeconds: system / clockTicksPerSecond, minorFaults: faults === undefined ? Number.NaN : Number(faults) };
  } catch {
    return { systemSeconds: Number.NaN, minorFaults: Number.NaN };
  }
}

/** The processes whose parent is `parentPid`, from /proc; none where there is no /proc. */
export function childProcesses(parentPid: number | undefined): number[] {
  if (parentPid === undefined) return [];
  try {
    return readdirSync('/proc')
      .filter((entry) => /^\d+$/.test(entry))
      .filter((pid) => {
        try {
          const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
          return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === parentPid;
        } catch {
          return false; // ended between the listing and the read
        }
      })
      .map(Number);
  } catch {
    return [];
  }
}

/** CPU seconds used so far on the whole machine: by processes, and by interrupts (loopback TCP's softirq) that no process is charged for. */
export function machineCpuSeconds(): { processes: number; interrupts: number } {
  try {
    const fields = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]!.trim().split(/\s+/).slice(1).map(Number);
    const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal = 0] = fields;
    return { processes: (user + nice + system + steal) / clockTicksPerSecond, interrupts: (irq + softirq) / clockTicksPerSecond };
  } catch {
    return { processes: Number.NaN, interrupts: Number.NaN };
  }
}

function sleep(milliseconds: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, milliseconds));
}

/**
 * Waits until the rest of the machine is nearly idle (below `threshold` % of one core over half a
 * second, besides this process and `ownPids`), at most `maxWaitMs`; returns whether it got quiet.
 * On a shared 2-core machine a neighbour's test run otherwise halves the broker's throughput.
 */
export async function waitForQuietMachine(ownPids: number[], maxWaitMs: number, threshold = 25): Promise<boolean> {
  const deadline = Date.now() + maxWaitMs;
  const ownChildren = () => ownPids.reduce((sum, pid) => sum + (processCpuSeconds(pid) || 0), 0);
  for (;;) {
    const machine = machineCpuSeconds().processes;
    const children = ownChildren();
    const own = process.cpuUsage();
    const started = performance.now();
    await sleep(500);
    const seconds = (performance.now() - started) / 1000;
    const ownUsage = process.cpuUsage(own);
    const others = machineCpuSeconds().processes - machine - (ownChildren() - children) - (ownUsage.user + ownUsage.system) / 1e6;
    if (Number.isNaN(others) || (others / seconds) * 100 < threshold) return true;
    if (Date.now() > deadline) return false;
  }
}
