import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parsePlantOrThrow } from '../../common/parse-plant.ts';
import { Recorder } from '../recording/recorder.ts';
import { longestHoldMs } from './live-first-gate.ts';
import { ReplayWorkerClient } from './replay-worker-client.ts';

const folder = mkdtempSync(join(tmpdir(), 'twinline-live-first-worker-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));
const t0 = 1_700_000_000_000;
const plantText = `name: Live first
brokers:
  - { id: line, url: "mqtt://127.0.0.1:9" }
machines:
  - { id: press, name: Press, area: A, line: L, primitive: { shape: box }, signals: [{ id: force, topic: t/force }] }
`;
const plant = parsePlantOrThrow(plantText);

/** A recording of the press's force, one sample a second for 20 s from t0. */
function recordTwentySeconds(name: string): string {
  const file = join(folder, name);
  const recorder = new Recorder(file, { plant, plantText, plantFileName: 'plant.yaml', models: new Map(), signalKeys: ['press/force'], brokerIds: ['line'] });
  for (let second = 0; second < 20; second++) recorder.recordSample(0, second, t0 + second * 1000);
  recorder.close();
  return file;
}

describe('a replay worker beside live', () => {
  it('holds a frame it would send while the host says live is behind, until the longest hold has passed, and then answers', { timeout: 60_000 }, async () => {
    const file = recordTwentySeconds('twinline-20231114-221320Z.twinline');
    const liveFirst = new Int32Array(new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT));
    const client = new ReplayWorkerClient({ data: { plant, hasLive: true, liveFirst }, onUpdate: () => undefined, onFailure: (reason) => expect.fail(reason), timeoutMs: 30_000 });
    try {
      // Started and reading while live keeps up.
      await client.request('enter', { time: t0 + 5000 }, file);
      // The host's loop is behind (and stays so): the seek's frame waits out the longest hold, then comes all the same.
      Atomics.store(liveFirst, 0, 1);
      const sent = performance.now();
      const update = await client.request('seek', { time: t0 + 10_000 }, file);
      expect(performance.now() - sent).toBeGreaterThanOrEqual(longestHoldMs - 5);
      expect(update.status.time).toBe(t0 + 10_000);
      expect(update.frame).not.toBeNull();
    } finally {
      await client.close();
    }
  });

  it('is timed per request from when it turns to it, so requests queued behind held ones are not stopped', { timeout: 60_000 }, async () => {
    const file = recordTwentySeconds('twinline-20231114-221321Z.twinline');
    const liveFirst = new Int32Array(new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT));
    const failures: string[] = [];
    // Each seek below is held the longest hold (live stays behind); twelve sent together take twelve
    // holds, past one request's limit, while each one's own turn stays well within it. The limit
    // leaves the worker's start (the first request) time on a loaded machine.
    const timeoutMs = longestHoldMs * 10;
    const client = new ReplayWorkerClient({ data: { plant, hasLive: true, liveFirst }, onUpdate: () => undefined, onFailure: (reason) => failures.push(reason), timeoutMs });
    try {
      await client.request('enter', { time: t0 + 5000 }, file);
      Atomics.store(liveFirst, 0, 1);
      const sent = performance.now();
      const moments = Array.from({ length: 12 }, (_, index) => t0 + 5000 + index * 1000);
      const updates = await Promise.all(moments.map((time) => client.request('seek', { time }, file)));
      expect(performance.now() - sent).toBeGreaterThan(timeoutMs);
      expect(updates.map((update) => update.status.time)).toEqual(moments);
      expect(failures).toEqual([]);
    } finally {
      await client.close();
    }
  });
});
