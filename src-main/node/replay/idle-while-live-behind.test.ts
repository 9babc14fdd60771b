import { afterEach, describe, expect, it, vi } from 'vitest';
import { IdleWhileLiveBehind } from './idle-while-live-behind.ts';

afterEach(() => {
  vi.useRealTimers();
});

function switchWith(outcome: (idle: boolean) => true | string = () => true) {
  const applied: boolean[] = [];
  const reports: string[] = [];
  const idle = new IdleWhileLiveBehind(
    (value) => {
      applied.push(value);
      return outcome(value);
    },
    (line) => reports.push(line),
    2000,
  );
  return { idle, applied, reports };
}

describe("replay's scheduling class, following the host's loop", () => {
  it('enters the idle class when live falls behind, and leaves it 2 s after live last caught up', async () => {
    vi.useFakeTimers();
    const { idle, applied } = switchWith();
    idle.live(false);
    expect(applied).toEqual([]);
    idle.live(true);
    idle.live(true);
    expect(applied).toEqual([true]);
    expect(idle.isIdle).toBe(true);
    idle.live(false);
    await vi.advanceTimersByTimeAsync(1500);
    // Behind again before the 2 s are up: still idle, and the wait starts over from the next catch-up.
    idle.live(true);
    idle.live(false);
    await vi.advanceTimersByTimeAsync(1999);
    expect(applied).toEqual([true]);
    await vi.advanceTimersByTimeAsync(1);
    expect(applied).toEqual([true, false]);
    expect(idle.isIdle).toBe(false);
    idle.live(true);
    expect(applied).toEqual([true, false, true]);
    expect(idle.entered).toBe(2);
    idle.stop();
  });

  it('tries again after a passing failure to leave the idle class', async () => {
    vi.useFakeTimers();
    let failNext = false;
    const { idle, applied, reports } = switchWith(() => (failNext ? 'spawnSync chrt ETIMEDOUT' : true));
    idle.live(true);
    failNext = true;
    idle.live(false);
    await vi.advanceTimersByTimeAsync(2000);
    expect(applied).toEqual([true, false]);
    expect(idle.isIdle).toBe(true);
    expect(reports).toEqual(['replay could not leave the idle scheduling class this time (spawnSync chrt ETIMEDOUT); trying again']);
    failNext = false;
    await vi.advanceTimersByTimeAsync(2000);
    expect(applied).toEqual([true, false, false]);
    expect(idle.isIdle).toBe(false);
  });

  it('says once why the class cannot change, and stops trying', () => {
    const { idle, applied, reports } = switchWith(() => 'spawnSync chrt ENOENT');
    idle.live(true);
    idle.live(false);
    idle.live(true);
    expect(applied).toEqual([true]);
    expect(reports).toEqual(['replay cannot enter the idle scheduling class (spawnSync chrt ENOENT); it stays at the lowest normal priority']);
    expect(idle.isIdle).toBe(false);
  });
});
