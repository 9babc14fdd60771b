import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { constants, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PlayerState } from '../../common/contract.ts';
import { startHost, type RunningHost } from '../twinline-host.ts';
import type { ViewPlayer } from './view-player.ts';

let host: RunningHost;
let folder: string;

beforeAll(async () => {
  folder = mkdtempSync(join(tmpdir(), 'twinline-replay-process-'));
  host = await startHost({ recording: { directory: folder, commitIntervalMs: 200 }, stageOutages: false });
  await new Promise((resolve) => setTimeout(resolve, 2500));
});

afterAll(async () => {
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

/** Each thread of a process: its nice value and its scheduling policy (fields 19 and 41 of its stat). */
function threadPriorities(pid: number): Array<{ nice: number; policy: number }> {
  return readdirSync(`/proc/${pid}/task`).map((thread) => {
    const fields = statFields(`/proc/${pid}/task/${thread}/stat`);
    return { nice: Number(fields[19 - 3]), policy: Number(fields[41 - 3]) };
  });
}

/** Linux's idle scheduling class (SCHED_IDLE). */
const idlePolicy = 5;

async function until<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`waited ${timeoutMs / 1000} s for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe.runIf(process.platform === 'linux')('replay beside live ingest', () => {
  it('runs in a process of its own, every thread of it at the lowest CPU priority, while the host keeps its own', { timeout: 60_000 }, async () => {
    const player = host.createViewSource() as ViewPlayer;
    try {
      expect((await player.command({ action: 'replay' })).mode).toBe('replay');
      const [replay, ...others] = replayProcesses();
      expect(replay).toBeDefined();
      expect(others).toEqual([]);
      const threads = threadPriorities(replay!);
      // Node's main thread, the garbage collector's helpers and the view's replay thread, at least.
      expect(threads.length).toBeGreaterThan(3);
      expect(threads.filter((thread) => thread.nice !== constants.priority.PRIORITY_LOW)).toEqual([]);
      expect(Number(statFields(`/proc/${process.pid}/task/${process.pid}/stat`)[19 - 3])).toBe(0);
      // The view replays through it: a seek lands on the moment asked for.
      const { range } = await player.player();
      const middle = Math.round((range.start + range.end) / 2);
      expect((await player.command({ action: 'seek', time: middle })).time).toBe(middle);
    } finally {
      player.dispose();
    }
  });

  it('moves all of it to the idle scheduling class while the host\'s loop is behind, and back 2 s after it caught up', { timeout: 120_000 }, async () => {
    const player = host.createViewSource() as ViewPlayer;
    try {
      expect((await player.command({ action: 'replay' })).mode).toBe('replay');
      const replay = await until('the replay process', () => replayProcesses()[0]);
      const policies = () => new Set(threadPriorities(replay).map((thread) => thread.policy));
      await until('replay in the normal class', () => (policies().size === 1 && !policies().has(idlePolicy)) || undefined, 40_000);
      // The host's loop held up for 100 ms, as a burst of ingest would.
      const until100 = performance.now() + 100;
      while (performance.now() < until100);
      await until('replay in the idle class', () => (policies().size === 1 && policies().has(idlePolicy)) || undefined, 5000);
      // The host itself stays in the normal class.
      expect(threadPriorities(process.pid).filter((thread) => thread.policy === idlePolicy)).toEqual([]);
      await until('replay back in the normal class', () => (policies().size === 1 && !policies().has(idlePolicy)) || undefined, 40_000);
      // Replay works all along: a seek lands.
      const { range } = await player.player();
      expect((await player.command({ action: 'seek', time: range.start + 300 })).time).toBe(range.start + 300);
    } finally {
      player.dispose();
    }
  });

  it('when that process is killed, the view says so and goes live; it can replay again at once, in a new one', { timeout: 60_000 }, async () => {
    const player = host.createViewSource() as ViewPlayer;
    const states: PlayerState[] = [];
    const stopListening = player.subscribe('player', (state) => states.push(state));
    try {
      expect((await player.command({ action: 'replay' })).mode).toBe('replay');
      const killed = await until('the replay process', () => replayProcesses()[0]);
      process.kill(killed, 'SIGKILL');
      const told = await until('the view to hear that replay stopped', () => states.find((state) => state.problem?.includes('the replay process stopped (killed by SIGKILL)')));
      expect(told.problem).toMatch(/replay stopped: the replay process stopped \(killed by SIGKILL\)/);
      await until('the view to be live again', async () => (await player.player()).mode === 'live');
      // Live goes on meanwhile: the host still cuts frames of the demo.
      expect((await player.snapshot()).machineHealth.length).toBeGreaterThan(0);
      const again = await until('replay to start again', () => player.command({ action: 'replay' }).then((state) => state.mode === 'replay' || undefined, () => undefined));
      expect(again).toBe(true);
      const [started] = replayProcesses();
      expect(started).toBeDefined();
      expect(started).not.toBe(killed);
      const { range } = await player.player();
      expect((await player.command({ action: 'seek', time: range.start + 500 })).time).toBe(range.start + 500);
    } finally {
      stopListening();
      player.dispose();
    }
  });
});
