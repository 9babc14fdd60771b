import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parsePlantOrThrow } from '../../common/parse-plant.ts';
import { listRecordings, RecordingManager } from './recording-manager.ts';
import { RecordingSequence, sessionFiles } from './recording-sequence.ts';

const folder = mkdtempSync(join(tmpdir(), 'twinline-sequence-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

const plantText = (name: string) => `name: ${name}
machines:
  - { id: m, name: M, area: A, line: L, primitive: { shape: box }, signals: [{ id: a, topic: t/a, limits: { highAlarm: 90 } }, { id: b, topic: t/b }] }
`;
const sourceOf = (name: string) => ({ plant: parsePlantOrThrow(plantText(name)), plantText: plantText(name), plantFileName: 'plant.yaml', models: new Map(), signalKeys: ['m/a', 'm/b'], brokerIds: ['default'] });

interface Sample {
  time: number;
  signal: number;
  value: number;
}

/** Records `minutes` of two signals through a manager that rolls over every minute; returns the samples and the files. */
function recordSession(directory: string, plantName: string, startTime: number, minutes: number): { samples: Sample[]; files: string[] } {
  let now = startTime;
  const manager = new RecordingManager(sourceOf(plantName), { directory, maxFileMs: 60_000, clock: () => now });
  manager.start();
  manager.onConnection(0, true, now);
  const samples: Sample[] = [];
  const files = new Set<string>();
  for (let step = 0; now < startTime + minutes * 60_000; step++) {
    now += 700;
    const signal = step % 3 === 0 ? 1 : 0;
    const value = Math.round((50 + 30 * Math.sin(step / 40)) * 1000) / 1000;
    manager.onSample(signal, value, now);
    samples.push({ time: now, signal, value });
    if (step % 2 === 0) {
      manager.commit();
      files.add(manager.currentFile()!);
    }
  }
  manager.stop();
  return { samples, files: [...files] };
}

const start = 1_700_000_000_000;
const directory = join(folder, 'recordings');
// Files are named by wall-clock time; the sessions are told apart by their contents, as they would be on disk.
const session = recordSession(directory, 'Line one', start, 4);
const otherPlant = recordSession(join(folder, 'other'), 'Line two', start + 5 * 60_000, 1);
const laterSession = recordSession(join(folder, 'later'), 'Line one', start + 3 * 3_600_000, 1);

describe('sessionFiles', () => {
  it('finds the files of one session around any of them, and no others', () => {
    expect(session.files.length).toBeGreaterThanOrEqual(4);
    // Gather all three into one folder, as a user's recordings folder would hold them.
    const mixed = join(folder, 'mixed');
    // The later session of the same plant comes right after in name order; only the three hours between tell it apart.
    for (const [index, file] of [...session.files, ...laterSession.files, ...otherPlant.files].entries()) {
      const target = join(mixed, `twinline-${String(index).padStart(3, '0')}.twinline`);
      rmSync(target, { force: true });
      cpSync(file, target);
    }
    const names = (files: string[]) => files.map((file) => basename(file));
    const sessionNames = session.files.map((_, index) => `twinline-${String(index).padStart(3, '0')}.twinline`);
    const middle = join(mixed, sessionNames[2]!);
    expect(names(sessionFiles(mixed, middle))).toEqual(sessionNames);
    const later = join(mixed, `twinline-${String(session.files.length).padStart(3, '0')}.twinline`);
    expect(sessionFiles(mixed, later)).toEqual([later]);
    const other = join(mixed, `twinline-${String(session.files.length + laterSession.files.length).padStart(3, '0')}.twinline`);
    expect(sessionFiles(mixed, other)).toEqual([other]);
  });
});

describe('RecordingSequence', () => {
  const sequence = new RecordingSequence(session.files, () => true);
  afterAll(() => sequence.close());

  it('spans every file of the session', () => {
    // From the first event (the broker connecting) to the last sample.
    expect(sequence.timeRange()).toEqual({ start, end: session.samples.at(-1)!.time });
    expect(sequence.name).toMatch(/and \d+ later files$/);
  });

  it('gives the state at any moment, whichever file holds it', () => {
    for (let index = 5; index < session.samples.length; index += 37) {
      const time = session.samples[index]!.time + 300;
      const state = sequence.stateAt(time);
      for (const signal of [0, 1]) {
        const last = session.samples.filter((sample) => sample.signal === signal && sample.time <= time).at(-1);
        expect(state.signals[signal]?.value, `signal ${signal} at ${time}`).toBe(last?.value);
        expect(state.signals[signal]?.sampleTime).toBe(last?.time);
      }
      expect(state.connected).toEqual([true]);
    }
  });

  it('reads events across file boundaries, each exactly once and in order', () => {
    const from = session.samples[10]!.time;
    const to = session.samples.at(-10)!.time;
    const events = [...sequence.eventsBetween(from, to)].filter((event) => event.code >= 0);
    expect(events.map((event) => ({ time: event.time, signal: event.code, value: event.value }))).toEqual(session.samples.filter((sample) => sample.time >= from && sample.time <= to));
  });

  it('charts a signal over the whole session, folding buckets that straddle two files', () => {
    const { start: from, end: to } = sequence.timeRange();
    const expected = new Map<number, { time: number; first: number; last: number; min: number; max: number; count: number }>();
    for (const { time, value } of session.samples.filter((sample) => sample.signal === 0)) {
      const bucket = Math.floor(time / 10_000) * 10_000;
      const entry = expected.get(bucket);
      if (!entry) expected.set(bucket, { time: bucket, first: value, last: value, min: value, max: value, count: 1 });
      else Object.assign(entry, { last: value, min: Math.min(entry.min, value), max: Math.max(entry.max, value), count: entry.count + 1 });
    }
    expect(sequence.seriesAt(0, from, to, 10_000)).toEqual([...expected.values()]);
  });
});

describe('a session whose oldest file retention deleted', () => {
  it('starts at the next file', () => {
    const copies = join(folder, 'retention');
    const files = session.files.map((file, index) => {
      const copy = join(copies, `twinline-${index}.twinline`);
      cpSync(file, copy);
      return copy;
    });
    const sequence = new RecordingSequence(files, () => false);
    const secondStart = new RecordingSequence([files[1]!], () => false);
    rmSync(files[0]!);
    expect(sequence.timeRange()).toEqual({ start: secondStart.timeRange().start, end: session.samples.at(-1)!.time });
    expect(sequence.stateAt(sequence.timeRange().start + 1000).signals[0]).toBeDefined();
    sequence.close();
    secondStart.close();
  });
});

describe('a session whose newest file has no events yet', () => {
  it('still holds the files before it', () => {
    const copies = join(folder, 'just-rolled-over');
    const files = session.files.slice(0, 2).map((file, index) => {
      const copy = join(copies, `twinline-${index}.twinline`);
      cpSync(file, copy);
      return copy;
    });
    // The file a rollover has just opened: plant and metadata, no event.
    const previous = new RecordingSequence([files[1]!], () => false);
    const now = previous.timeRange().end + 500;
    previous.close();
    const manager = new RecordingManager(sourceOf('Line one'), { directory: join(copies, 'new'), clock: () => now });
    manager.start();
    const newFile = manager.currentFile()!;
    manager.stop();
    const fresh = join(copies, 'twinline-2.twinline');
    cpSync(newFile, fresh);
    expect(sessionFiles(copies, fresh)).toEqual([...files, fresh]);
    const sequence = new RecordingSequence([...files, fresh], () => false);
    const before = sequence.timeRange();
    expect(before.start).toBe(start);
    expect(sequence.stateAt(before.end).signals[0]).toBeDefined();
    sequence.close();
  });
});

/** Every sample of `samples` in the buckets that `from`–`to` touches, aggregated per bucket. */
function aggregateRange(samples: readonly Sample[], signal: number, from: number, to: number, resolution: number) {
  const expected = new Map<number, { time: number; first: number; last: number; min: number; max: number; count: number }>();
  const first = Math.floor(from / resolution) * resolution;
  const end = (Math.floor(to / resolution) + 1) * resolution;
  for (const { time, value } of samples.filter((sample) => sample.signal === signal && sample.time >= first && sample.time < end)) {
    const bucket = Math.floor(time / resolution) * resolution;
    const entry = expected.get(bucket);
    if (!entry) expected.set(bucket, { time: bucket, first: value, last: value, min: value, max: value, count: 1 });
    else Object.assign(entry, { last: value, min: Math.min(entry.min, value), max: Math.max(entry.max, value), count: entry.count + 1 });
  }
  return [...expected.values()];
}

describe('charts over a session', () => {
  it('hold every bucket a range touches, whole, wherever the range starts and ends and whichever files hold it', () => {
    const sequence = new RecordingSequence(session.files, () => false);
    const { start: from, end: to } = sequence.timeRange();
    let seed = 3;
    const next = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
    for (let trial = 0; trial < 60; trial++) {
      const a = from + Math.floor(next() * (to - from));
      const b = a + Math.floor(next() * (to - a));
      for (const resolution of [10_000, 60_000, 3_600_000]) {
        expect(sequence.seriesAt(0, a, b, resolution), `${a}–${b} at ${resolution}`).toEqual(aggregateRange(session.samples, 0, a, b, resolution));
      }
    }
    sequence.close();
  });
});

describe('a rollover in the middle of a millisecond', () => {
  it('keeps the events of that millisecond in both files', () => {
    const directory = join(folder, 'same-millisecond');
    let now = start;
    const manager = new RecordingManager(sourceOf('Line one'), { directory, maxFileMs: 60_000, clock: () => now });
    manager.start();
    manager.onSample(0, 1, now);
    now += 60_000;
    manager.onSample(0, 2, now);
    manager.commit(); // rolls over
    manager.onSample(1, 3, now);
    manager.commit();
    manager.stop();
    const files = sessionFiles(directory, listRecordings(directory).at(-1)!.file);
    expect(files).toHaveLength(2);
    const sequence = new RecordingSequence(files, () => false);
    expect([...sequence.eventsBetween(now, now)].map((event) => event.value)).toEqual([2, 3]);
    expect(sequence.stateAt(now).signals.map((signal) => signal?.value)).toEqual([2, 3]);
    sequence.close();
  });
});

describe('a session through a long outage', () => {
  it('stays one session across the empty files rollovers made meanwhile, and reads past them', () => {
    const directory = join(folder, 'outage');
    let now = start;
    const manager = new RecordingManager(sourceOf('Line one'), { directory, maxFileMs: 60_000, clock: () => now });
    manager.start();
    const samples: Sample[] = [];
    const record = (value: number) => {
      manager.onSample(0, value, now);
      samples.push({ time: now, signal: 0, value });
    };
    for (let second = 0; second < 90; second++, now += 1000) {
      record(second);
      manager.commit();
    }
    // Five minutes with nothing: the host goes on rolling over into empty files.
    for (let second = 0; second < 300; second++, now += 1000) manager.commit();
    for (let second = 0; second < 90; second++, now += 1000) {
      record(1000 + second);
      manager.commit();
    }
    manager.stop();
    const files = listRecordings(directory).map((entry) => entry.file);
    expect(files.length).toBeGreaterThanOrEqual(7);
    expect(sessionFiles(directory, files.at(-1)!)).toEqual(files);
    expect(sessionFiles(directory, files[0]!)).toEqual(files);
    const sequence = new RecordingSequence(files, () => false);
    const end = samples.at(-1)!.time;
    expect(sequence.timeRange()).toEqual({ start, end });
    expect(sequence.stateAt(end).signals[0]?.value).toBe(1089);
    expect(sequence.stateAt(start + 200_000).signals[0]).toMatchObject({ value: 89, sampleTime: start + 89_000 });
    expect([...sequence.eventsBetween(end - 4999, end)].map((event) => event.value)).toEqual([1085, 1086, 1087, 1088, 1089]);
    expect(sequence.seriesAt(0, start, end, 60_000)).toEqual(aggregateRange(samples, 0, start, end, 60_000));
    sequence.close();
  });

  it('is not joined by yesterday’s session, even while today’s first file is still empty', () => {
    const directory = join(folder, 'yesterday');
    let now = start;
    const yesterday = new RecordingManager(sourceOf('Line one'), { directory, clock: () => now });
    yesterday.start();
    yesterday.onSample(0, 1, now);
    yesterday.commit();
    yesterday.stop();
    now += 86_400_000;
    const today = new RecordingManager(sourceOf('Line one'), { directory, clock: () => now });
    today.start();
    const todaysFile = today.currentFile()!;
    expect(sessionFiles(directory, todaysFile)).toEqual([todaysFile]);
    today.stop();
  });
});
