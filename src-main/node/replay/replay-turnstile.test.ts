import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parsePlantOrThrow } from '../../common/parse-plant.ts';
import { Recorder } from '../recording/recorder.ts';
import { ReplayWorkerClient } from './replay-worker-client.ts';
import { createReplayTurnstile, releaseTurn, replayTurnsForThisMachine, takeTurn, turnsHeld, withTurn } from './replay-turnstile.ts';

const folder = mkdtempSync(join(tmpdir(), 'twinline-replay-turnstile-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));
const t0 = 1_700_000_000_000;
const plantText = `name: Turnstile
brokers:
  - { id: line, url: "mqtt://127.0.0.1:9" }
machines:
  - { id: press, name: Press, area: A, line: L, primitive: { shape: box }, signals: [{ id: force, topic: t/force }, { id: speed, topic: t/speed }] }
`;
const plant = parsePlantOrThrow(plantText);
/** Held by the test itself: no replay worker has this thread id. */
const testHolder = 999_999;

/** A real recording of two signals over 10 minutes, a sample a second each. */
function writeRecording(name: string): string {
  const file = join(folder, name);
  const recorder = new Recorder(file, { plant, plantText, plantFileName: 'plant.yaml', models: new Map(), signalKeys: ['press/force', 'press/speed'], brokerIds: ['line'] });
  for (let second = 0; second < 600; second++) {
    recorder.recordSample(0, second, t0 + second * 1000);
    recorder.recordSample(1, second * 2, t0 + second * 1000 + 500);
  }
  recorder.close();
  return file;
}

/** Polls until `condition` holds; fails with `what` after `timeoutMs`. */
async function waitFor(condition: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!condition()) {
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

function startWorker(turnstile: Int32Array): ReplayWorkerClient {
  return new ReplayWorkerClient({ data: { plant, hasLive: false, turnstile }, onUpdate: () => undefined, onFailure: (reason) => expect.fail(reason), timeoutMs: 30_000 });
}

describe('the replay turnstile', () => {
  it('leaves one core to ingest: every core but one, at least one', () => {
    expect(replayTurnsForThisMachine(2)).toBe(1);
    expect(replayTurnsForThisMachine(8)).toBe(7);
    expect(replayTurnsForThisMachine(1)).toBe(1);
  });

  it('gives a turn back when the step inside it throws', () => {
    const turnstile = createReplayTurnstile(1);
    expect(() => withTurn(turnstile, 5, () => {
      throw new Error('the recording is damaged here');
    })).toThrow('damaged');
    expect(turnsHeld(turnstile)).toBe(0);
    // The next taker gets it at once.
    releaseTurn(turnstile, takeTurn(turnstile, 6), 6);
  });

  it('runs no two replay workers\' reads at once: one waits while another holds the only turn, and both are served once it is given back', { timeout: 60_000 }, async () => {
    const file = writeRecording('twinline-20231114-221320Z.twinline');
    const turnstile = createReplayTurnstile(1);
    const first = startWorker(turnstile);
    const second = startWorker(turnstile);
    try {
      await first.request('enter', { time: t0 + 5000 }, file);
      await second.request('enter', { time: t0 + 5000 }, file);
      expect(turnsHeld(turnstile)).toBe(0);

      // While the only turn is held elsewhere, neither worker reads.
      const slot = takeTurn(turnstile, testHolder);
      const answered: string[] = [];
      const seeks = [
        first.request('seek', { time: t0 + 100_000 }, file).then((update) => answered.push(`first ${update.status.time}`)),
        second.request('seek', { time: t0 + 200_000 }, file).then((update) => answered.push(`second ${update.status.time}`)),
      ];
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(answered).toEqual([]);
      releaseTurn(turnstile, slot, testHolder);
      await Promise.all(seeks);
      expect(answered.sort()).toEqual([`first ${t0 + 100_000}`, `second ${t0 + 200_000}`]);

      // Both seek on and on; the only slot ever holds one of them (or nobody), and both get their turns.
      const holders = new Set<number>();
      let done = false;
      const work = Promise.all(
        [first, second].map(async (client, index) => {
          for (let seek = 0; seek < 40; seek++) await client.request('seek', { time: t0 + ((seek * 7919 + index * 104_729) % 600) * 1000 }, file);
        }),
      ).finally(() => (done = true));
      while (!done) {
        holders.add(Atomics.load(turnstile, 1));
        expect(turnsHeld(turnstile)).toBeLessThanOrEqual(1);
        await new Promise((resolve) => setImmediate(resolve));
      }
      await work;
      expect(turnsHeld(turnstile)).toBe(0);
      holders.delete(0);
      const workers = [first, second].map((client) => (client as unknown as { workerThreadId: number }).workerThreadId);
      expect(holders.size).toBeGreaterThanOrEqual(1);
      for (const holder of holders) expect(workers).toContain(holder);
    } finally {
      await first.close();
      await second.close();
    }
  });

  it('gives the turn back when a worker\'s read fails, and when the host stops a worker that holds one', { timeout: 60_000 }, async () => {
    const file = writeRecording('twinline-20231114-231320Z.twinline');
    const turnstile = createReplayTurnstile(1);
    const failing = startWorker(turnstile);
    const other = startWorker(turnstile);
    try {
      // A seek before any moment is chosen throws inside its turn.
      await expect(failing.request('seek', { time: t0 }, file)).rejects.toThrow('not replaying');
      expect(turnsHeld(turnstile)).toBe(0);
      await other.request('enter', { time: t0 + 5000 }, file);
      expect((await other.request('seek', { time: t0 + 9000 }, file)).status.time).toBe(t0 + 9000);

      // A worker stopped while it holds the turn (as one that ran out of time or memory is) cannot give it back: the host does.
      await failing.request('enter', { time: t0 + 5000 }, file);
      const holder = (failing as unknown as { workerThreadId: number }).workerThreadId;
      expect(holder).toBeGreaterThan(0);
      Atomics.store(turnstile, 1, holder);
      await failing.close();
      expect(turnsHeld(turnstile)).toBe(0);
      expect((await other.request('seek', { time: t0 + 19_000 }, file)).status.time).toBe(t0 + 19_000);
    } finally {
      await failing.close();
      await other.close();
    }
  });
});
