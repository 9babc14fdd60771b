import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { readProcessSchedule } from './process-schedule.ts';

describe.runIf(process.platform === 'linux')('readProcessSchedule', () => {
  it("gives a process's CPU time, which grows while it computes, and each of its threads' wait for a core", async () => {
    // It spins until it has used 400 ms of CPU (however long a loaded machine makes that), says so, and sleeps.
    const child = spawn(process.execPath, ['-e', 'while (process.cpuUsage().user < 400_000); console.log("spun"); setTimeout(() => {}, 60_000)'], { stdio: ['ignore', 'pipe', 'ignore'] });
    try {
      await new Promise((resolve) => child.stdout!.once('data', resolve));
      const schedule = readProcessSchedule(child.pid!);
      expect(schedule).toBeDefined();
      expect(schedule!.cpuMs).toBeGreaterThanOrEqual(400);
      // Node's main thread, its garbage collector's helpers and its I/O pool.
      expect(schedule!.waitMs.size).toBeGreaterThan(3);
      expect(schedule!.waitMs.has(child.pid!)).toBe(true);
      for (const waited of schedule!.waitMs.values()) expect(waited).toBeGreaterThanOrEqual(0);
    } finally {
      child.kill('SIGKILL');
    }
  });

  it('has none for a process that is not there', () => {
    expect(readProcessSchedule(2 ** 22 + 12_345)).toBeUndefined();
    expect(readProcessSchedule(0)).toBeUndefined();
    expect(readProcessSchedule(-5)).toBeUndefined();
  });
});
