import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { constants, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PlayerState } from '../../common/contract.ts';
import { startHost, type RunningHost } from '../twinline-host.ts';
import { replayProcesses, schedulingPolicy, threadPriorities } from '../testing/replay-processes.ts';
import type { ViewPlayer } from './view-player.ts';

let host: RunningHost;
let folder: string;

beforeAll(async () => {
  // As a plant's `${VARIABLE}` password would be: in the host's environment, never in replay's.
  process.env.TWINLINE_TEST_BROKER_PASSWORD = 'kept-out-of-replay';
  folder = mkdtempSync(join(tmpdir(), 'twinline-replay-process-'));
  host = await startHost({ recording: { directory: folder, commitIntervalMs: 200 }, stageOutages: false });
  await new Promise((resolve) => setTimeout(resolve, 2500));
});

afterAll(async () => {
  delete process.env.TWINLINE_TEST_BROKER_PASSWORD;
  await host?.stop();
  rmSync(folder, { recursive: true, force: true });
});

async function until<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`waited ${timeoutMs / 1000} s for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe.runIf(process.platform === 'linux')('replay beside live ingest', () => {
  it('runs in a process of its own: every thread at the lowest priority in the idle class but the one that starts replay threads, and the host as it was', { timeout: 180_000 }, async () => {
    const [hostThread] = threadPriorities(process.pid);
    const player = host.createViewSource() as ViewPlayer;
    try {
      expect((await player.command({ action: 'replay' })).mode).toBe('replay');
      const [replay, ...others] = replayProcesses();
      expect(replay).toBeDefined();
      expect(others).toEqual([]);
      const threads = threadPriorities(replay!);
      const lowest = threads.filter((thread) => thread.nice === constants.priority.PRIORITY_LOW && thread.policy === schedulingPolicy.idle);
      // Its main thread, the garbage collector's helpers and the view's replay thread, at least.
      expect(lowest.length).toBeGreaterThan(3);
      expect(threads[0]).toEqual(lowest[0]);
      // The launcher keeps the priority the process started with, so the replay threads it starts load their code at normal speed.
      expect(threads.filter((thread) => !lowest.includes(thread))).toEqual([hostThread]);
      expect(threadPriorities(process.pid).filter((thread) => thread.policy === schedulingPolicy.idle)).toEqual([]);
      // The view replays through it: a seek lands on the moment asked for.
      const { range } = await player.player();
      const middle = Math.round((range.start + range.end) / 2);
      expect((await player.command({ action: 'seek', time: middle })).time).toBe(middle);
      // None of the host's environment but what replay needs: a broker password kept there stays there.
      const environment = readFileSync(`/proc/${replay}/environ`, 'utf8').split('\0');
      expect(environment.some((entry) => entry.startsWith('PATH='))).toBe(true);
      expect(environment.filter((entry) => entry.startsWith('TWINLINE_TEST_BROKER_PASSWORD='))).toEqual([]);
    } finally {
      player.dispose();
    }
  });

  it('does not keep a live view waiting for its player state while the replay process is stalled', { timeout: 180_000 }, async () => {
    const player = host.createViewSource() as ViewPlayer;
    // Its replay thread is running: a state has been read through it.
    await until("replay's status", async () => {
      const state = await player.player();
      return (state.mode === 'live' && state.range.end > state.range.start) || undefined;
    });
    const stalled = await until('the replay process', () => replayProcesses()[0]);
    process.kill(stalled, 'SIGSTOP');
    try {
      const asked = performance.now();
      const state = await player.player();
      // Answered from what is known, after waiting 3 s for replay at most (a loaded machine adds its own delay).
      expect(performance.now() - asked).toBeLessThan(15_000);
      expect(state.mode).toBe('live');
      expect(state.range.end).toBeGreaterThan(state.range.start);
    } finally {
      process.kill(stalled, 'SIGCONT');
      player.dispose();
    }
  });

  it('when that process is killed, the view says so and goes live; it can replay again at once, in a new one', { timeout: 180_000 }, async () => {
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
