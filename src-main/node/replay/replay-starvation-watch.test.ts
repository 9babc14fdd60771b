import { describe, expect, it } from 'vitest';
import type { ProcessSchedule } from '../process-schedule.ts';
import { ReplayStarvationWatch } from './replay-starvation-watch.ts';

/** A watch over readings the test moves by hand: replay's CPU and its two threads' waits, and the host's CPU. */
function watched() {
  const readings = { schedule: { cpuMs: 0, waitMs: new Map([[101, 0], [102, 0]]) } as ProcessSchedule | undefined, hostCpuMs: 0 };
  const watch = new ReplayStarvationWatch({ schedule: () => readings.schedule && { cpuMs: readings.schedule.cpuMs, waitMs: new Map(readings.schedule.waitMs) }, hostCpuMs: () => readings.hostCpuMs }, 3000);
  /** One second passes with replay running `run` ms, waiting `wait` ms (split over its threads) and the host using `host` ms; then a check. */
  const second = (at: number, change: { run: number; wait: number; host: number }, waiting = true) => {
    const schedule = readings.schedule;
    if (schedule) {
      schedule.cpuMs += change.run;
      for (const [thread, waited] of schedule.waitMs) schedule.waitMs.set(thread, waited + change.wait / schedule.waitMs.size);
    }
    readings.hostCpuMs += change.host;
    return watch.check(at * 1000, waiting);
  };
  return { readings, second };
}

const starving = { run: 2, wait: 1900, host: 30 };

describe('ReplayStarvationWatch', () => {
  it('says replay is starved once requests waited through a whole window in which it was runnable yet barely ran, and the host was not the one busy', () => {
    const { second } = watched();
    expect(second(0, starving)).toBeUndefined();
    expect(second(1, starving)).toBeUndefined();
    expect(second(2, starving)).toBeUndefined();
    expect(second(3, starving)).toMatch(/^replay got 6 ms of CPU in 3000 ms while it waited 5700 ms for a core and the host used 90 ms: other programs keep every core busy$/);
  });

  it('concludes nothing while no request waits, and starts the window again after a check with none waiting', () => {
    const { second } = watched();
    for (let at = 0; at < 10; at++) expect(second(at, starving, false)).toBeUndefined();
    expect(second(10, starving)).toBeUndefined();
    expect(second(11, starving)).toBeUndefined();
    expect(second(12, starving)).toBeUndefined();
    // Everything was answered by this check: a whole window of waiting must pass again.
    expect(second(13, starving, false)).toBeUndefined();
    expect(second(14, starving)).toBeUndefined();
    expect(second(15, starving)).toBeUndefined();
    expect(second(16, starving)).toBeUndefined();
    expect(second(17, starving)).toMatch(/other programs keep every core busy/);
  });

  it('is not starved while it runs (a long read), while it sleeps (held for live, or on the disk), or while live ingest takes the CPU', () => {
    const cases = {
      'a long read': { run: 900, wait: 100, host: 30 },
      'held by the live-first gate': { run: 0, wait: 0, host: 30 },
      'live ingest busy': { run: 2, wait: 1900, host: 950 },
    };
    for (const [name, change] of Object.entries(cases)) {
      const { second } = watched();
      const said = [0, 1, 2, 3, 4, 5, 6].map((at) => second(at, change));
      expect(said, name).toEqual(said.map(() => undefined));
    }
  });

  it('counts the wait of threads started during the window from their start, and not that of threads that ended', () => {
    const { readings, second } = watched();
    expect(second(0, starving)).toBeUndefined();
    expect(second(1, starving)).toBeUndefined();
    // A thread ends after waiting long; a new one starts, having waited 500 ms so far.
    readings.schedule!.waitMs.delete(102);
    readings.schedule!.waitMs.set(103, 500);
    expect(second(2, starving)).toBeUndefined();
    // Thread 101: 3 × 950 ms; thread 103: 500 ms, then 2 × 950 ms (it and 101 share each second's wait).
    expect(second(3, starving)).toMatch(/while it waited 5250 ms for a core/);
  });

  it('concludes nothing where the schedule cannot be read (not Linux, or the process has gone)', () => {
    const { readings, second } = watched();
    readings.schedule = undefined;
    for (let at = 0; at < 8; at++) expect(second(at, starving)).toBeUndefined();
  });
});
