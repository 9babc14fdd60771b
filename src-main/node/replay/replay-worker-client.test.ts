import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parsePlantOrThrow } from '../../common/parse-plant.ts';
import { Recorder } from '../recording/recorder.ts';
import { longestHoldMs } from './live-first-gate.ts';
import { ReplayWorkerClient } from './replay-worker-client.ts';

const folder = mkdtempSync(join(tmpdir(), 'twinline-worker-client-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));
const t0 = 1_700_000_000_000;
const plantText = `name: Worker client
brokers:
  - { id: line, url: "mqtt://127.0.0.1:9" }
machines:
  - { id: press, name: Press, area: A, line: L, primitive: { shape: box }, signals: [{ id: force, topic: t/force }] }
`;
const plant = parsePlantOrThrow(plantText);

describe('a replay worker client', () => {
  it('times each request from when the worker turns to it, so requests queued behind slow ones are not stopped', { timeout: 60_000 }, async () => {
    const file = join(folder, 'twinline-20231114-221320Z.twinline');
    const recorder = new Recorder(file, { plant, plantText, plantFileName: 'plant.yaml', models: new Map(), signalKeys: ['press/force'], brokerIds: ['line'] });
    for (let second = 0; second < 20; second++) recorder.recordSample(0, second, t0 + second * 1000);
    recorder.close();
    const liveFirst = new Int32Array(new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT));
    const failures: string[] = [];
    // Each seek below is held the longest hold (live stays behind); four sent together take four
    // holds, well past one request's limit, while each one's own turn stays within it.
    const timeoutMs = longestHoldMs * 2;
    const client = new ReplayWorkerClient({ data: { plant, hasLive: true, liveFirst }, onUpdate: () => undefined, onFailure: (reason) => failures.push(reason), timeoutMs });
    try {
      await client.request('enter', { time: t0 + 5000 }, file);
      Atomics.store(liveFirst, 0, 1);
      const sent = performance.now();
      const moments = [t0 + 10_000, t0 + 11_000, t0 + 12_000, t0 + 13_000];
      const updates = await Promise.all(moments.map((time) => client.request('seek', { time }, file)));
      expect(performance.now() - sent).toBeGreaterThan(timeoutMs);
      expect(updates.map((update) => update.status.time)).toEqual(moments);
      expect(failures).toEqual([]);
    } finally {
      await client.close();
    }
  });
});
