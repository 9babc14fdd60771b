import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, constants, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { readProcessSchedule } from '../process-schedule.ts';
import { startHost, type RunningHost } from '../twinline-host.ts';
import { replayProcesses, schedulingPolicy, threadPriorities } from '../testing/replay-processes.ts';
import { until } from '../testing/until.ts';
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

describe.runIf(process.platform === 'linux')('replay beside live while other programs keep every core busy', () => {
  it('is seen starved in the idle class, starts again at below-normal priority, and the view replays on where it was', { timeout: 300_000 }, async () => {
    const errors = vi.spyOn(console, 'error');
    const player = host.createViewSource() as ViewPlayer;
    const modes: string[] = [];
    const stopListening = player.subscribe('player', (state) => modes.push(state.mode));
    try {
      // Replaying in the idle class, on a quiet machine.
      expect((await player.command({ action: 'replay' })).mode).toBe('replay');
      const [idle] = replayProcesses();
      expect(threadPriorities(idle!)[0]).toEqual({ nice: constants.priority.PRIORITY_LOW, policy: schedulingPolicy.idle });
      const { range } = await player.player();
      const first = range.start + Math.round((range.end - range.start) / 3);
      expect((await player.command({ action: 'seek', time: first })).time).toBe(first);

      // Every core taken by programs at normal priority, two to a core.
      for (let index = 0; index < 2 * availableParallelism(); index++) hogs.push(spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' }));
      await until(() => hogs.every((hog) => (readProcessSchedule(hog.pid!)?.cpuMs ?? 0) > 300), 'every hog to spin', () => hogs.map((hog) => readProcessSchedule(hog.pid!)?.cpuMs), 60_000, 200);
      // A user drags across the timeline: seek after seek. In the idle class each waits seconds for a
      // few milliseconds of CPU; the host ends that process and the seeks land in the next.
      const moments = [1, 2, 3, 4, 5].map((fifth) => range.start + Math.round(((range.end - range.start) * fifth) / 6));
      // An export asked for while starved is carried to the new process, and finishes there.
      const signals = host.source.describePlant().signalKeys.slice(0, 3);
      let exported: { rows: number } | string | undefined;
      player.exportCsv({ signals, from: range.start, to: range.end }, () => undefined).then(
        (result) => (exported = result),
        (error: unknown) => (exported = String(error)),
      );
      let seeks = 0;
      const failedSeeks: string[] = [];
      modes.length = 0;
      await until(
        async () => {
          const time = moments[seeks++ % moments.length]!;
          const landed = await player.command({ action: 'seek', time }).then(
            (state) => state.time === time,
            (error: unknown) => {
              failedSeeks.push(String(error));
              return false;
            },
          );
          return landed && replayProcesses().some((pid) => pid !== idle);
        },
        'a seek to land in a new replay process while other programs keep every core busy',
        () => ({ seeks, replayProcesses: replayProcesses(), idle }),
        180_000,
        200,
      );
      const [belowNormal, ...others] = replayProcesses();
      expect(others).toEqual([]);
      expect(belowNormal).not.toBe(idle);
      // Every thread but the launcher's (which keeps the priority the process started with) at nice 10, none in the idle class.
      const threads = threadPriorities(belowNormal!);
      expect(threads[0]).toEqual({ nice: constants.priority.PRIORITY_BELOW_NORMAL, policy: schedulingPolicy.normal });
      expect(threads.filter((thread) => thread.policy === schedulingPolicy.idle)).toEqual([]);
      expect(threads.filter((thread) => thread.nice === constants.priority.PRIORITY_BELOW_NORMAL).length).toBeGreaterThan(3);
      await until(() => exported !== undefined, 'the export asked for while starved to finish', () => ({ exported }), 120_000, 200);
      expect(exported).toMatchObject({ rows: expect.any(Number) });
      expect((exported as { rows: number }).rows).toBeGreaterThan(0);
      // The view stayed in replay throughout and every seek landed: the move failed nothing, so it was not sent back to live.
      expect(failedSeeks).toEqual([]);
      expect(modes.filter((mode) => mode !== 'replay')).toEqual([]);
      const state = await player.player();
      expect(state.mode).toBe('replay');
      expect(state.problem).toBeNull();
      const said = errors.mock.calls.map((call) => call.join(' ')).join('\n');
      expect(said).toMatch(/replay got \d+ ms of CPU in \d+ ms while it waited \d+ ms for a core .*: other programs keep every core busy; replay starts again at below-normal priority/);
    } finally {
      for (const hog of hogs.splice(0)) hog.kill('SIGKILL');
      stopListening();
      errors.mockRestore();
      player.dispose();
    }
  });
});
