import { describe, expect, it } from 'vitest';
import { readCpuTimes, spareCores } from './spare-cpu.ts';

describe('spare CPU', () => {
  it.runIf(process.platform === 'linux')("reads the machine's CPU times, which only grow", async () => {
    const before = readCpuTimes();
    expect(before).toBeDefined();
    expect(before!.total).toBeGreaterThan(before!.idle);
    await new Promise((resolve) => setTimeout(resolve, 200));
    const after = readCpuTimes()!;
    expect(after.total).toBeGreaterThan(before!.total);
    expect(after.idle).toBeGreaterThanOrEqual(before!.idle);
  });

  it('says how many cores sat idle on average between two readings', () => {
    expect(spareCores({ idle: 100, total: 1000 }, { idle: 400, total: 1400 }, 2)).toBe(1.5);
    expect(spareCores({ idle: 100, total: 1000 }, { idle: 100, total: 1400 }, 4)).toBe(0);
    expect(spareCores({ idle: 100, total: 1000 }, { idle: 100, total: 1000 }, 2)).toBe(0);
  });
});
