import { mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { zstdCompressSync, zstdDecompressSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { Health } from '../../common/health.ts';
import { parsePlantOrThrow } from '../../common/parse-plant.ts';
import { plantHealthAt, plantRules } from '../../common/plant-health.ts';
import { seededRandom as random } from '../../common/seeded-random.ts';
import { LiveSource } from '../live-source.ts';
import { decodeEvents, decodeKeyframe, encodeEvents, encodeKeyframe, eventObjects, type RecordedEvent } from './chunk-codec.ts';
import { EventBuffer } from './event-buffer.ts';
import { Recorder } from './recorder.ts';
import { RecordingError, RecordingReader } from './recording-reader.ts';
import { frameSampleTimeAt } from '../../common/frame-batch.ts';

const folder = mkdtempSync(join(tmpdir(), 'twinline-recording-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));
let fileCounter = 0;
const newFile = () => join(folder, `recording-${++fileCounter}.twinline`);

const plantText = `name: Recorded line
brokers:
  - { id: line, url: "mqtt://127.0.0.1:9" }
  - { id: utilities, url: "mqtt://127.0.0.1:10" }
machines:
  - id: oven
    name: Oven
    area: A
    line: L
    model: { file: oven.glb, node: oven }
    signals:
      - { id: temperature, topic: t/oven, period: 1, limits: { highWarn: 80, highAlarm: 90, deadband: 3, onDelay: 2 } }
      - { id: fan, topic: t/fan, period: 2, limits: { lowWarn: 10 } }
  - id: pump
    name: Pump
    area: A
    line: L
    primitive: { shape: box }
    signals:
      - { id: pressure, topic: t/pump, broker: utilities, period: 1, staleAfter: 3, limits: { lowAlarm: 1, highAlarm: 9 } }
`;
const plant = parsePlantOrThrow(plantText);
const rules = plantRules(plant);
const source = (models = new Map([['oven.glb', new Uint8Array([103, 108, 84, 70, 2])]])) => ({
  plant,
  plantText,
  plantFileName: 'plant.yaml',
  models,
  signalKeys: ['oven/temperature', 'oven/fan', 'pump/pressure'],
  brokerIds: ['line', 'utilities'],
});

describe('chunk codec', () => {
  it('round-trips events: decimals, raw doubles, negatives, connection events', () => {
    const events: RecordedEvent[] = [
      { time: 1_700_000_000_000, code: 0, value: 12.345 },
      { time: 1_700_000_000_010, code: 1, value: Math.PI },
      { time: 1_700_000_000_010, code: 0, value: -7.5 },
      { time: 1_700_000_000_500, code: -2, value: 1 },
      { time: 1_700_000_001_000, code: 0, value: 1e12 },
      { time: 1_700_000_001_001, code: 0, value: 12.346 },
    ];
    const buffer = new EventBuffer();
    for (const event of events) buffer.push(event.time, event.code, event.value);
    const block = encodeEvents(buffer, new Map());
    expect(eventObjects(decodeEvents(block, new Map()))).toEqual(events);
  });

  it('carries each signal’s last value from block to block within a chunk', () => {
    const buffer = new EventBuffer();
    buffer.push(1000, 3, 41.5);
    buffer.push(1001, 4, -0.001);
    const encoderState = new Map<number, number>();
    const decoderState = new Map<number, number>();
    decodeEvents(encodeEvents(buffer, encoderState), decoderState);
    buffer.clear();
    buffer.push(2000, 3, 41.499);
    buffer.push(2001, 4, 2 ** 40);
    buffer.push(2002, 4, 0.25);
    expect([...decodeEvents(encodeEvents(buffer, encoderState), decoderState).values]).toEqual([41.499, 2 ** 40, 0.25]);
  });

  it('refuses a damaged block instead of misreading it', () => {
    const buffer = new EventBuffer();
    for (let index = 0; index < 100; index++) buffer.push(1000 + index, index % 7, index / 8);
    const packed = zstdDecompressSync(encodeEvents(buffer, new Map()));
    expect(() => decodeEvents(zstdCompressSync(packed.subarray(0, packed.length - 3)), new Map())).toThrow(/truncated/);
  });

  it('round-trips a keyframe, including signals never heard from', () => {
    const keyframe = {
      signals: [
        undefined,
        { value: 3.5, sampleTime: 1_700_000_001_000, level: Health.warn, warnSince: 1_700_000_000_900, alarmSince: null },
        { value: Math.E * 1e6, sampleTime: 1_700_000_000_250, level: Health.alarm, warnSince: 1_699_999_000_000, alarmSince: 1_700_000_000_250 },
        { value: -0.002, sampleTime: 1_600_000_000_000, level: Health.ok, warnSince: null, alarmSince: null },
      ],
      connected: [true, false],
    } as const;
    expect(decodeKeyframe(encodeKeyframe({ signals: [...keyframe.signals], connected: [...keyframe.connected] }))).toEqual(keyframe);
  });
});

describe('a recorded session replays exactly what live showed', () => {
  it('matches live health, values and sample times at 100 random moments', () => {
    const file = newFile();
    const recorder = new Recorder(file, source(), { chunkMs: 5000 });
    let now = 1_700_000_000_000;
    const live = new LiveSource({
      plant,
      clock: () => now,
      observer: {
        onSample: (signal, value, time) => recorder.recordSample(signal, value, time),
        onConnection: (broker, connected, time) => recorder.recordConnection(broker, connected, time),
        onMachineHealth: (machine, health, time) => recorder.recordHealth(machine, health, time),
      },
    });
    const next = random(42);
    const status = (state: 'connected' | 'reconnecting') => ({ brokerId: '', url: '', state, since: now, reconnectAttempts: 0, protocol: 4 as const, subscriptions: 0, warnings: [] });
    live.applyBrokerStatus(0, status('connected'));
    live.applyBrokerStatus(1, status('connected'));
    const snapshots: Array<{ time: number; signalHealth: number[]; machineHealth: number[]; values: number[]; sampleTimes: number[] }> = [];
    const end = now + 600_000;
    while (now < end) {
      // At least a millisecond apart: what live showed "at T" is ambiguous when more happens later in the same millisecond.
      now += 1 + Math.floor(next() * 700);
      const roll = next();
      if (roll < 0.45) live.ingest(0, 't/oven', Buffer.from(JSON.stringify({ value: Math.round((70 + next() * 28) * 10) / 10 })));
      else if (roll < 0.6) live.ingest(0, 't/fan', Buffer.from(String(Math.round(next() * 30))));
      else if (roll < 0.8) live.ingest(1, 't/pump', Buffer.from(JSON.stringify({ value: Math.round(next() * 1000) / 100 })));
      else if (roll < 0.82) live.applyBrokerStatus(1, status(next() < 0.5 ? 'reconnecting' : 'connected'));
      else if (roll < 0.9) recorder.commit();
      else {
        const snapshot = live.snapshot();
        snapshots.push({ time: now, signalHealth: snapshot.signalHealth, machineHealth: snapshot.machineHealth, values: snapshot.signalValue, sampleTimes: snapshot.signalSampleAge.map((_, position) => frameSampleTimeAt(snapshot, position)) });
      }
    }
    recorder.close();
    expect(snapshots.length).toBeGreaterThan(100);

    const reader = new RecordingReader(file);
    const chosen = snapshots.filter((_, index) => index % Math.floor(snapshots.length / 100) === 0).slice(0, 100);
    expect(chosen).toHaveLength(100);
    const seen = new Set<number>();
    for (const snapshot of chosen) {
      const state = reader.stateAt(snapshot.time);
      const health = plantHealthAt(rules, state.signals, state.connected, snapshot.time);
      expect({ signals: health.signalHealth, machines: health.machineHealth }, `at ${snapshot.time}`).toEqual({ signals: snapshot.signalHealth, machines: snapshot.machineHealth });
      expect(state.signals.map((signal) => signal?.value ?? 0)).toEqual(snapshot.values);
      expect(state.signals.map((signal) => signal?.sampleTime ?? 0)).toEqual(snapshot.sampleTimes);
      health.machineHealth.forEach((code) => seen.add(code));
    }
    // The script reaches every state a machine can be in, so the comparison covers them all.
    expect([...seen].sort()).toEqual([Health.unknown, Health.ok, Health.warn, Health.alarm, Health.stale, Health.offline].filter((code) => seen.has(code)).sort());
    expect(seen.size).toBeGreaterThanOrEqual(4);
    reader.close();
  });
});

describe('rollups', () => {
  /** A signal's samples aggregated into buckets, computed straight from the raw samples. */
  function aggregate(raw: ReadonlyArray<{ time: number; value: number }>, resolution: number) {
    const expected = new Map<number, { time: number; first: number; last: number; min: number; max: number; count: number }>();
    for (const { time, value } of raw) {
      const bucket = Math.floor(time / resolution) * resolution;
      const entry = expected.get(bucket);
      if (!entry) expected.set(bucket, { time: bucket, first: value, last: value, min: value, max: value, count: 1 });
      else Object.assign(entry, { last: value, min: Math.min(entry.min, value), max: Math.max(entry.max, value), count: entry.count + 1 });
    }
    return [...expected.values()];
  }

  /** Records two and a half hours of one signal with gaps, thousandths and raw doubles mixed; returns the samples. */
  function recordSignal(recorder: Recorder, seed: number) {
    const next = random(seed);
    const raw: Array<{ time: number; value: number }> = [];
    let time = 1_700_000_000_000;
    for (let index = 0; index < 12_000; index++) {
      // Mostly under a second apart, now and then silent for minutes.
      time += next() < 0.002 ? Math.floor(next() * 400_000) : Math.floor(next() * 1_500);
      const value = next() < 0.05 ? next() * 1e4 : Math.round((next() - 0.3) * 100_000) / 1000;
      recorder.recordSample(2, value, time);
      if (next() < 0.2) recorder.recordSample(0, 50, time);
      raw.push({ time, value });
      if (index % 700 === 0) recorder.commit();
    }
    return raw;
  }

  /** Any stretch holds every bucket it touches, whole, wherever it starts and ends. */
  function expectWholeBuckets(reader: RecordingReader, raw: ReadonlyArray<{ time: number; value: number }>, resolution: number) {
    const start = raw[0]!.time;
    const end = raw[raw.length - 1]!.time;
    const next = random(resolution);
    for (let trial = 0; trial < 30; trial++) {
      const from = start + Math.floor(next() * (end - start));
      const to = from + Math.floor(next() * (end - from));
      const inside = raw.filter(({ time }) => time >= Math.floor(from / resolution) * resolution && time < (Math.floor(to / resolution) + 1) * resolution);
      expect(reader.seriesAt(2, from, to, resolution), `${from}–${to} at ${resolution} ms`).toEqual(aggregate(inside, resolution));
    }
  }

  it('equal the aggregates computed from the raw samples, at every resolution, over any range', () => {
    const file = newFile();
    const recorder = new Recorder(file, source());
    const raw = recordSignal(recorder, 7);
    recorder.close();
    const reader = new RecordingReader(file);
    const start = raw[0]!.time;
    const end = raw[raw.length - 1]!.time;
    for (const resolution of [10_000, 60_000, 3_600_000]) {
      // A chart asks for a point budget and gets the finest resolution within it.
      const budget = Math.ceil((end - start) / resolution) + 1;
      const series = reader.series(2, start, end, budget);
      expect(series.resolution).toBe(resolution);
      expect(series.points, `${resolution} ms`).toEqual(aggregate(raw, resolution));
      expectWholeBuckets(reader, raw, resolution);
    }
    reader.close();
  });

  it('are exact for a recording still being written or cut short by a crash, from the events not yet rolled up', () => {
    const file = newFile();
    const recorder = new Recorder(file, source());
    const raw = recordSignal(recorder, 11);
    recorder.commit();
    // The recorder stays open, as in a crash: the minute and the hour in progress are not rolled up.
    const reader = new RecordingReader(file, { verify: false });
    const start = raw[0]!.time;
    const end = raw[raw.length - 1]!.time;
    for (const resolution of [10_000, 60_000, 3_600_000]) {
      expect(reader.series(2, start, end, Math.ceil((end - start) / resolution) + 1).points, `${resolution} ms`).toEqual(aggregate(raw, resolution));
      expectWholeBuckets(reader, raw, resolution);
    }
    reader.close();
    recorder.close();
  });
});

describe('opening recordings', () => {
  it('carries its plant and models, so it opens where the original files are absent', () => {
    const file = newFile();
    const recorder = new Recorder(file, source());
    recorder.recordSample(0, 50, 1_700_000_000_000);
    recorder.close();
    const reader = new RecordingReader(file);
    expect(reader.plant.name).toBe('Recorded line');
    expect(reader.plantText).toBe(plantText);
    expect([...reader.model('oven.glb')!]).toEqual([103, 108, 84, 70, 2]);
    expect(reader.timeRange()).toEqual({ start: 1_700_000_000_000, end: 1_700_000_000_000 });
    reader.close();
  });

  it('refuses missing, empty, foreign, truncated and corrupt files with the file name and the problem', () => {
    const missing = join(folder, 'nothing-here.twinline');
    expect(() => new RecordingReader(missing)).toThrow(new RecordingError(missing, 'the file does not exist'));
    const empty = join(folder, 'empty.twinline');
    writeFileSync(empty, '');
    expect(() => new RecordingReader(empty)).toThrow(/empty\.twinline: the file is empty/);
    const text = join(folder, 'notes.twinline');
    writeFileSync(text, 'these are not the bytes you are looking for');
    expect(() => new RecordingReader(text)).toThrow(/notes\.twinline: it is not a Twinline recording/);
    const foreign = join(folder, 'foreign.sqlite');
    const database = new DatabaseSync(foreign);
    database.exec('CREATE TABLE t (x); INSERT INTO t VALUES (1);');
    database.close();
    expect(() => new RecordingReader(foreign)).toThrow(/foreign\.sqlite: it is an SQLite database, but not a Twinline recording/);

    const damaged = newFile();
    const recorder = new Recorder(damaged, source());
    for (let index = 0; index < 20_000; index++) recorder.recordSample(index % 3, index, 1_700_000_000_000 + index * 10);
    recorder.close();
    truncateSync(damaged, 8192);
    expect(() => new RecordingReader(damaged)).toThrow(RecordingError);
    expect(() => new RecordingReader(damaged)).toThrow(/recording-\d+\.twinline/);
  });
});
