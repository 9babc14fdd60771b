import { readFileSync } from 'node:fs';

/** The machine's CPU time so far, all cores together: how much of it was idle, of how much in all (clock ticks). */
export interface CpuTimes {
  idle: number;
  total: number;
}

/**
 * Reads the machine's CPU times from Linux's `/proc/stat` (its first line, all cores: user, nice,
 * system, idle, iowait, irq, softirq, steal, ...); idle counts waiting for the disk too. Undefined
 * where the system keeps none (not Linux) or the line cannot be read.
 */
export function readCpuTimes(): CpuTimes | undefined {
  if (process.platform !== 'linux') return undefined;
  let line: string;
  try {
    line = readFileSync('/proc/stat', 'latin1').split('\n', 1)[0]!;
  } catch {
    // No /proc/stat (a restricted sandbox): nothing to tell.
    return undefined;
  }
  const fields = line.trim().split(/\s+/);
  if (fields[0] !== 'cpu') return undefined;
  // Guest times (fields 9 and 10) are counted in user and nice already.
  const ticks = fields.slice(1, 9).map(Number);
  if (ticks.length < 5 || ticks.some((tick) => !Number.isFinite(tick))) return undefined;
  return { idle: ticks[3]! + ticks[4]!, total: ticks.reduce((sum, tick) => sum + tick, 0) };
}

/** How many cores sat idle on average between two readings (0 when no time passed). */
export function spareCores(before: CpuTimes, after: CpuTimes, cores: number): number {
  const total = after.total - before.total;
  return total > 0 ? ((after.idle - before.idle) / total) * cores : 0;
}
