import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { badQualityValue, Health, ruleForSignal, signalHealthAt, sourceLostValue } from '../../common/health.ts';
import { parsePlantOrThrow } from '../../common/parse-plant.ts';
import { exportCsv, parseCsvExport } from './export-csv.ts';
import { Recorder } from './recorder.ts';
import { RecordingReader } from './recording-reader.ts';
import { testPlantText, unusedBroker } from '../testing/test-plants.ts';

// Bad quality (NaN) and a lost source (Infinity) are samples like any other on the way through a
// recording, but no measurements: charts leave them out and CSV names them.

const folder = mkdtempSync(join(tmpdir(), 'twinline-non-measured-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

const plantText = testPlantText({
  name: 'Doubtful line',
  brokers: [unusedBroker],
  machines: [
    {
      id: 'oven',
      signals: [
        { id: 'temperature', topic: 't/oven', unit: '°C', staleAfter: 600, limits: { highAlarm: 90 } },
        { id: 'door', topic: 't/door', staleAfter: 600 },
      ],
    },
  ],
});
const plant = parsePlantOrThrow(plantText);
const signalKeys = ['oven/temperature', 'oven/door'];
const rule = ruleForSignal(plant.machines[0]!.signals[0]!);
const hourMs = 3_600_000;

/** Samples of the temperature: numbers, bad quality and a lost source, in stretches across minutes, chunks and two hours. */
function script(start: number): Array<{ time: number; value: number }> {
  const samples: Array<{ time: number; value: number }> = [];
  for (let second = 0; second < 180; second++) {
    const time = start + second * 1000;
    // 20–39 s bad quality (a whole 10 s slot of nothing but), 95–100 s lost (across a keyframe), 150–152 s bad again.
    const value = second >= 20 && second < 40 ? badQualityValue : second >= 95 && second <= 100 ? sourceLostValue : second >= 150 && second <= 152 ? badQualityValue : 50 + (second % 7);
    samples.push({ time, value });
  }
  // An hour later: one bad sample closes the recording, so the second hour's row must hold no NaN.
  samples.push({ time: start + hourMs, value: 60 }, { time: start + hourMs + 1000, value: badQualityValue });
  return samples;
}

describe('bad-quality and lost-source samples in a recording', () => {
  const file = join(folder, 'doubtful.twinline');
  const start = Date.UTC(2026, 10, 25, 6, 0, 0);
  const samples = script(start);
  const recorder = new Recorder(file, { plant, plantText, plantFileName: 'plant.yaml', models: new Map(), signalKeys, brokerIds: ['line'] }, { chunkMs: 10_000 });
  recorder.recordConnection(0, true, start);
  samples.forEach((sample, index) => {
    recorder.recordSample(0, sample.value, sample.time);
    if (index % 13 === 0) recorder.commit();
  });
  recorder.commit();

  it('replays them as they were, from events and from keyframes, with the health live showed', () => {
    const reader = new RecordingReader(file);
    try {
      const events = [...reader.eventsBetween(start, start + hourMs + 1000)].filter((event) => event.code === 0);
      expect(events.map(({ time, value }) => ({ time, value }))).toEqual(samples);
      expect(Object.is(events.find((event) => event.time === start + 95_000)!.value, Number.POSITIVE_INFINITY)).toBe(true);
      // Moments inside the bad and lost stretches and after them, each read from its chunk's keyframe and the events since.
      const at = (offset: number) => {
        const state = reader.stateAt(start + offset);
        return { value: state.signals[0]!.value, health: signalHealthAt(state.signals[0], rule, start + offset, state.connected[0]!) };
      };
      expect(at(30_000)).toEqual({ value: Number.NaN, health: Health.bad });
      expect(at(40_000)).toEqual({ value: 50 + (40 % 7), health: Health.ok });
      expect(at(95_500)).toEqual({ value: Number.POSITIVE_INFINITY, health: Health.stale });
      expect(at(99_999)).toEqual({ value: Number.POSITIVE_INFINITY, health: Health.stale });
      expect(at(101_000)).toEqual({ value: 50 + (101 % 7), health: Health.ok });
      expect(at(152_999)).toEqual({ value: Number.NaN, health: Health.bad });
      expect(at(hourMs + 1000).health).toBe(Health.bad);
    } finally {
      reader.close();
    }
  });

  it('leaves them out of charts, from the minute being written and from finished minute and hour rows', () => {
    const measured = samples.filter((sample) => Number.isFinite(sample.value));
    const check = (reader: RecordingReader) => {
      for (const resolution of [10_000, 60_000, hourMs]) {
        const points = reader.seriesAt(0, start, start + hourMs + 1000, resolution);
        expect(points.every((point) => [point.first, point.last, point.min, point.max].every(Number.isFinite)), `resolution ${resolution}`).toBe(true);
        expect(points.reduce((sum, point) => sum + point.count, 0), `resolution ${resolution}`).toBe(measured.length);
      }
      // The slot 20–30 s held nothing but bad samples: the chart has a gap there, not a point.
      expect(reader.seriesAt(0, start, start + 59_999, 10_000).map((point) => point.time - start)).toEqual([0, 10_000, 40_000, 50_000]);
    };
    // While the file is written, the last minutes come from events; once closed, from rollup rows.
    const open = new RecordingReader(file);
    check(open);
    open.close();
    recorder.close();
    const closed = new RecordingReader(file);
    check(closed);
    closed.close();
  });

  it('exports them as "bad quality" and "source lost", which read back as the same samples', () => {
    const reader = new RecordingReader(file);
    const chunks: string[] = [];
    const rows = exportCsv(reader, ['oven/temperature'], start, start + 200_000, (chunk) => chunks.push(chunk));
    reader.close();
    const text = chunks.join('');
    const lines = text.split('\r\n');
    expect(rows).toBe(180);
    expect(lines[21]).toBe('2026-11-25T06:00:20.000Z,oven/temperature,bad quality,°C');
    expect(lines[96]).toBe('2026-11-25T06:01:35.000Z,oven/temperature,source lost,°C');
    expect(text).not.toMatch(/NaN|Infinity/);
    expect(parseCsvExport(text)).toEqual(samples.slice(0, 180).map(({ time, value }) => ({ time, signal: 'oven/temperature', value, unit: '°C' })));
  });
});
