import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, constants, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { readProcessSchedule } from '../process-schedule.ts';
import { startHost, type RunningHost } from '../twinline-host.ts';
import type { ViewPlayer } from './view-player.ts';

// On a machine whose every core other programs keep busy, the idle scheduling class gets no CPU at
// all: a view's seek beside live would wait for minutes. The host sees its replay process starved and
// starts replay again at below-normal priority, and the view goes on replaying where it was.

let host: RunningHost;
let folder: string;
const hogs: ChildProcess[] = [];

beforeAll(async () => {
  folder = mkdtempSync(join(tmpdir(), 'twinline-replay-starvation-'));
  host = await startHost({ recording: { directory: folder, commitIntervalMs: 200 }, stageOutages: false });
  await new Promise((resolve) => setTimeout(resolve, 2500));
});

afterAll(async () => {
  for (const hog of hogs) hog.kill('SIGKILL');
  await host?.stop();
  rmSync(folder, { recursive: true, force: true });
});

/** Fields of a /proc stat line after the command name (in parentheses, which may hold spaces); field 3 first. */
function statFields(path: string): string[] {
  const stat = readFileSync(path, 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
}

/** Running children of this process whose command line names the replay process. */
function replayProcesses(): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((pid) => {
      try {
        return Number(statFields(`/proc/${pid}/stat`)[4 - 3]) === process.pid && statFields(`/proc/${pid}/stat`)[0] !== 'Z' && readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('replay-process');
      } catch {
        return false; // gone between the listing and the read: not running
      }
    })
    .map(Number);
}

/** A process's main thread: its nice value and scheduling policy (fields 19 and 41 of its stat). */
function mainThreadPriority(pid: number): { nice: number; policy: number } {
  const fields = statFields(`/proc/${pid}/stat`);
  return { nice: Number(fields[19 - 3]), policy: Number(fields[41 - 3]) };
}

/** Linux's idle scheduling class (SCHED_IDLE), and its normal one (SCHED_OTHER). */
const idlePolicy = 5;
const normalPolicy = 0;

async function until<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`waited ${timeoutMs / 1000} s for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe.runIf(process.platform === 'linux')('replay beside live while other programs keep every core busy', () => {
  it('is seen starved in the idle class, starts again at below-normal priority, and the view replays on where it was', { timeout: 300_000 }, async () => {
    const errors = vi.spyOn(console, 'error');
    const player = host.createViewSource() as ViewPlayer;
    try {
      // Replaying in the idle class, on a quiet machine.
      expect((await player.command({ action: 'replay' })).mode).toBe('replay');
      const [idle] = replayProcesses();
      expect(mainThreadPriority(idle!)).toEqual({ nice: constants.priority.PRIORITY_LOW, policy: idlePolicy });
      const { range } = await player.player();
      const first = range.start + Math.round((range.end - range.start) / 3);
      expect((await player.command({ action: 'seek', time: first })).time).toBe(first);

      // Every core taken by programs at normal priority, two to a core.
      for (let index = 0; index < 2 * availableParallelism(); index++) hogs.push(spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' }));
      await until('every hog to spin', () => hogs.every((hog) => (readProcessSchedule(hog.pid!)?.cpuMs ?? 0) > 300), 60_000);
      // A user drags across the timeline: seek after seek. In the idle class each waits seconds for a
      // few milliseconds of CPU; the host ends that process and the seeks land in the next.
      const moments = [1, 2, 3, 4, 5].map((fifth) => range.start + Math.round(((range.end - range.start) * fifth) / 6));
      let seeks = 0;
      await until(
        'a seek to land in a new replay process while other programs keep every core busy',
        async () => {
          const time = moments[seeks++ % moments.length]!;
          const landed = await player.command({ action: 'seek', time }).then((state) => state.time === time, () => false);
          return (landed && replayProcesses().some((pid) => pid !== idle)) || undefined;
        },
        180_000,
      );
      const [belowNormal, ...others] = replayProcesses();
      expect(others).toEqual([]);
      expect(belowNormal).not.toBe(idle);
      expect(mainThreadPriority(belowNormal!)).toEqual({ nice: constants.priority.PRIORITY_BELOW_NORMAL, policy: normalPolicy });
      // The view stayed in replay throughout: nothing failed, so it was not sent back to live.
      const state = await player.player();
      expect(state.mode).toBe('replay');
      expect(state.problem).toBeNull();
      const said = errors.mock.calls.map((call) => call.join(' ')).join('\n');
      expect(said).toMatch(/replay got \d+ ms of CPU in \d+ ms while it waited \d+ ms for a core .*: other programs keep every core busy; replay starts again at below-normal priority/);
    } finally {
      for (const hog of hogs.splice(0)) hog.kill('SIGKILL');
      errors.mockRestore();
      player.dispose();
    }
  });
});
