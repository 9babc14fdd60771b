import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { HostClient } from '../../common/host-client.ts';
import { parsePlantOrThrow } from '../../common/parse-plant.ts';
import { serveView } from '../../common/view-session.ts';
import { endpointPair } from '../endpoint-pair.ts';
import { openRecording } from '../open-recording.ts';
import { seededRandom } from '../../common/seeded-random.ts';
import { Recorder } from '../recording/recorder.ts';
import { chartReadResolution, maxRollupPointsPerSignal } from './chart-buckets.ts';
import { ReplaySession } from './replay-session.ts';

const folder = mkdtempSync(join(tmpdir(), 'twinline-chart-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

const plantText = `name: Chart plant
machines:
  - { id: m, name: M, area: A, line: L, primitive: { shape: box }, signals: [{ id: a, topic: t/a, limits: { highAlarm: 90 } }, { id: b, topic: t/b }] }
`;
const plant = parsePlantOrThrow(plantText);
const hourMs = 3_600_000;
const start = Date.UTC(2026, 10, 2, 0, 0, 0);
const spikeTime = start + 13 * hourMs + 17 * 60_000 + 3_000;

/** 24 hours of two signals every 2 s (random walks at three decimals) with one 2-second spike to 500 on signal 0. */
function recordDay(file: string): Array<{ time: number; value: number }> {
  const recorder = new Recorder(file, { plant, plantText, plantFileName: 'plant.yaml', models: new Map(), signalKeys: ['m/a', 'm/b'], brokerIds: ['default'] }, { createdAt: start });
  const random = seededRandom(7);
  const samples: Array<{ time: number; value: number }> = [];
  let level = 50;
  recorder.recordConnection(0, true, start);
  for (let time = start; time < start + 24 * hourMs; time += 2000) {
    level = Math.min(80, Math.max(20, level + (random() - 0.5)));
    const value = time === spikeTime - 1000 ? 500 : Math.round(level * 1000) / 1000;
    recorder.recordSample(0, value, time);
    recorder.recordSample(1, 10, time + 1);
    samples.push({ time, value });
    if ((time - start) % 60_000 === 0) recorder.commit();
  }
  recorder.close();
  return samples;
}

const file = join(folder, 'day.twinline');
const samples = recordDay(file);

function sessionOverFile(): ReplaySession {
  const session = new ReplaySession({ plant, hasLive: false });
  session.setBaseFile(file);
  return session;
}

describe('a chart over a recorded day', () => {
  it('gives every pixel bucket the min and max of the minutes starting in it, so the one spike of the day shows', () => {
    const session = sessionOverFile();
    const from = start;
    const to = start + 24 * hourMs;
    const buckets = 800;
    const [series] = session.chart({ signals: [0], from, to, buckets });
    expect(series!.resolution).toBe(60_000);
    expect(series!.bucketMs).toBe((to - from) / buckets);
    // What the rollups make of the samples, bucket by bucket: each minute falls in the bucket of its start.
    const expected = new Map<number, { min: number; max: number }>();
    for (const { time, value } of samples) {
      const minute = Math.floor(time / 60_000) * 60_000;
      const bucket = Math.min(buckets - 1, Math.floor((minute - from) / series!.bucketMs));
      const entry = expected.get(bucket);
      if (entry) {
        entry.min = Math.min(entry.min, value);
        entry.max = Math.max(entry.max, value);
      } else expected.set(bucket, { min: value, max: value });
    }
    expect(series!.time.length).toBe(expected.size);
    series!.time.forEach((time, index) => {
      const bucket = Math.round((time - from) / series!.bucketMs);
      expect({ min: series!.min[index], max: series!.max[index] }).toEqual(expected.get(bucket));
    });
    expect(Math.max(...series!.max)).toBe(500);
    const spikeBucket = series!.max.indexOf(500);
    expect(series!.time[spikeBucket]!).toBeLessThanOrEqual(spikeTime);
    expect(series!.time[spikeBucket]! + series!.bucketMs).toBeGreaterThan(spikeTime);
  });

  it('reads ten-second rollups for a short range and charts several signals at once', () => {
    const session = sessionOverFile();
    const from = spikeTime - 10 * 60_000;
    const to = spikeTime + 10 * 60_000;
    const charts = session.chart({ signals: [1, 0], from, to, buckets: 60 });
    expect(charts.map((chart) => [chart.signal, chart.resolution])).toEqual([
      [1, 10_000],
      [0, 10_000],
    ]);
    expect(charts[0]!.max.every((value) => value === 10)).toBe(true);
    expect(Math.max(...charts[1]!.max)).toBe(500);
    expect(charts[1]!.time.every((time) => time >= from && time < to)).toBe(true);
  });

  it('refuses a signal the plant lacks', () => {
    expect(() => sessionOverFile().chart({ signals: [0, 2], from: start, to: start + hourMs, buckets: 10 })).toThrow('the plant has no signal 2');
  });
});

describe('getChart through the contract', () => {
  it('answers a view from the opened recording\'s replay worker as the session does, and refuses what the contract does not allow', async () => {
    const opened = await openRecording(file, () => undefined);
    const [hostSide, viewSide] = endpointPair();
    const source = opened.createViewSource();
    const problems: string[] = [];
    const stop = serveView(hostSide, source, (problem) => problems.push(problem));
    const client = new HostClient(viewSide);
    try {
      const params = { signals: [0, 1], from: start, to: start + 24 * hourMs, buckets: 800 };
      expect(await client.request('getChart', params)).toEqual(sessionOverFile().chart(params));
      await expect(client.request('getChart', { ...params, signals: [0, 1, 0, 1, 0, 1, 0, 1, 0] })).rejects.toThrow('params.signals: Too big: expected array to have <=8 items');
      await expect(client.request('getChart', { ...params, buckets: 4001 })).rejects.toThrow('params.buckets: Too big');
      await expect(client.request('getChart', { ...params, signals: [5] })).rejects.toThrow('the plant has no signal 5');
    } finally {
      stop();
      (source as { dispose?: () => void }).dispose?.();
      opened.close();
    }
  });
});

describe('chartReadResolution', () => {
  it('reads the coarsest rollups no wider than a bucket, but never more than its bound of them', () => {
    expect(chartReadResolution(0, hourMs, 800)).toBe(10_000);
    expect(chartReadResolution(0, 24 * hourMs, 800)).toBe(60_000);
    expect(chartReadResolution(0, 24 * hourMs, 2000)).toBe(10_000);
    expect(chartReadResolution(0, 400 * 24 * hourMs, 100)).toBe(hourMs);
    // A month at 4,000 buckets would be 43,200 minute rollups: hours are read instead.
    const month = 30 * 24 * hourMs;
    expect(month / 60_000).toBeGreaterThan(maxRollupPointsPerSignal);
    expect(chartReadResolution(0, month, 4000)).toBe(hourMs);
  });
});
