import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { zstdCompressSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { parsePlantOrThrow } from '../../common/parse-plant.ts';
import { seededRandom } from '../../common/seeded-random.ts';
import { exportCsv } from './export-csv.ts';
import { zstdBomb } from './mutate-recording.ts';
import { Recorder } from './recorder.ts';
import { RecordingError, RecordingReader } from './recording-reader.ts';
import { RecordingSequence } from './recording-sequence.ts';

const folder = mkdtempSync(join(tmpdir(), 'twinline-reader-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

const plantText = `name: Guarded line
brokers:
  - { id: line, url: "mqtt://127.0.0.1:9" }
  - { id: utilities, url: "mqtt://127.0.0.1:10" }
machines:
  - id: oven
    name: Oven
    area: A
    line: L
    primitive: { shape: box }
    signals:
      - { id: temperature, topic: t/oven, limits: { highWarn: 80, highAlarm: 90 } }
      - { id: fan, topic: t/fan }
  - id: pump
    name: Pump
    area: A
    line: L
    primitive: { shape: box }
    signals:
      - { id: pressure, topic: t/pump, broker: utilities }
`;
const plant = parsePlantOrThrow(plantText);
const signalKeys = ['oven/temperature', 'oven/fan', 'pump/pressure'];
const start = Date.UTC(2026, 10, 25, 6, 0, 0);
const chunkMs = 5000;
const seconds = 150;

/** Three minutes of three signals, a commit a second, 5 s chunks: many chunks of several blocks each, minute rows and a tail. */
function record(): string {
  const file = join(folder, 'intact.twinline');
  const recorder = new Recorder(file, { plant, plantText, plantFileName: 'plant.yaml', models: new Map(), signalKeys, brokerIds: ['line', 'utilities'] }, { chunkMs, createdAt: start });
  const next = seededRandom(11);
  recorder.recordConnection(0, true, start);
  recorder.recordConnection(1, true, start);
  for (let second = 0; second < seconds; second++) {
    for (let sample = 0; sample < 4; sample++) {
      const time = start + second * 1000 + sample * 250;
      recorder.recordSample(sample % 3, Math.round((70 + next() * 30) * 10) / 10, time);
      if (sample === 3) recorder.recordHealth(0, next() < 0.5 ? 2 : 1, time);
    }
    recorder.commit();
  }
  recorder.close();
  return file;
}
const intact = record();
const end = start + (seconds - 1) * 1000 + 750;

let copies = 0;
/** A copy of the intact recording with `change` made to it through SQL. */
function damaged(change: (database: DatabaseSync) => void): string {
  const file = join(folder, `damaged-${++copies}.twinline`);
  copyFileSync(intact, file);
  const database = new DatabaseSync(file);
  change(database);
  database.close();
  return file;
}

/** Everything a reader gives for the whole recording: states every 7 s, every event, the export. */
function readAll(reader: RecordingReader) {
  const states = [];
  for (let time = start; time <= end; time += 7000) states.push(reader.stateAt(time));
  const events = [...reader.eventsBetween(start, end)];
  let csv = '';
  exportCsv(reader, signalKeys, start, end, (chunk) => (csv += chunk));
  return { states, events, csv };
}

const baseline = (() => {
  const reader = new RecordingReader(intact);
  const all = readAll(reader);
  reader.close();
  return all;
})();

const blockOf = (database: DatabaseSync, chunkStart: number, nth: number) =>
  (database.prepare('SELECT id FROM chunk_parts WHERE chunk_start = ? ORDER BY id LIMIT 1 OFFSET ?').get(chunkStart, nth) as { id: number }).id;

describe('a damaged block costs only its stretch', () => {
  it('reads past an event block that does not decompress: the rest of its chunk is a gap, every other moment replays as before', () => {
    const chunk = start + 10 * chunkMs;
    const file = damaged((database) => database.prepare('UPDATE chunk_parts SET events = ? WHERE id = ?').run(new Uint8Array([0x28, 0xb5, 0x2f, 0xfd, 1, 2, 3]), blockOf(database, chunk, 2)));
    const reader = new RecordingReader(file);
    const { states, events, csv } = readAll(reader);
    const gaps = reader.damagedRanges(start, end);
    expect(gaps).toHaveLength(1);
    // From where the second block ended to just before the next chunk.
    expect(gaps[0]).toMatchObject({ start: chunk + 1750, end: chunk + chunkMs - 1 });
    expect(gaps[0]!.reason).toMatch(/recorded events here are damaged.*cannot be decompressed/);
    // The gap starts at the millisecond the last whole block ended: events of it may be in either block.
    const outside = (time: number) => time <= gaps[0]!.start || time > gaps[0]!.end;
    expect(events).toEqual(baseline.events.filter((event) => outside(event.time)));
    expect(csv.split('\r\n').length).toBe(baseline.csv.split('\r\n').length - (baseline.events.length - events.length));
    states.forEach((state, index) => {
      if (state.time >= chunk + chunkMs || state.time <= gaps[0]!.start) expect(state, `at ${state.time}`).toEqual(baseline.states[index]);
    });
    reader.close();
  });

  it('rebuilds a damaged keyframe from the chunk before, and marks the file’s first one, which has none, as a gap', () => {
    const later = start + 7 * chunkMs;
    const file = damaged((database) => {
      database.prepare('UPDATE chunks SET keyframe = ? WHERE start_time = ?').run(new Uint8Array([9, 9, 9]), later);
      database.prepare('UPDATE chunks SET keyframe = ? WHERE start_time = ?').run(zstdBomb(64 * 1024), start);
    });
    const reader = new RecordingReader(file);
    const { states, events } = readAll(reader);
    expect(events).toEqual(baseline.events);
    states.forEach((state, index) => {
      if (state.time >= start + chunkMs) expect(state, `at ${state.time}`).toEqual(baseline.states[index]);
    });
    // The first chunk's state at its start is unknown: only what its own events say is known.
    const first = reader.stateAt(start + 100);
    expect(first.signals).toHaveLength(3);
    expect(first.connected).toEqual([true, true]);
    expect(reader.damagedRanges(start, end)).toEqual([{ start, end: start + chunkMs - 1, reason: expect.stringMatching(/state at this chunk's start is damaged/) }]);
    reader.close();
  });

  it('stops a 64 KiB zstd bomb at the size its row allows, in milliseconds and without gigabytes', () => {
    const chunk = start + 20 * chunkMs;
    const file = damaged((database) => database.prepare('UPDATE chunk_parts SET events = ? WHERE id = ?').run(zstdBomb(64 * 1024), blockOf(database, chunk, 0)));
    const reader = new RecordingReader(file);
    const before = process.memoryUsage().arrayBuffers;
    const started = performance.now();
    const events = [...reader.eventsBetween(start, end)];
    expect(performance.now() - started).toBeLessThan(1000);
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(16 * 1024 * 1024);
    expect(events.length).toBe(baseline.events.filter((event) => event.time < chunk || event.time >= chunk + chunkMs).length);
    expect(reader.damagedRanges(chunk, chunk)[0]!.reason).toMatch(/larger than 6\d\d bytes|Cannot create a Buffer larger than/);
    reader.close();
  });

  it('treats codes beyond the plant’s signals and brokers as damage, never as array indexes', () => {
    const chunk = start + 3 * chunkMs;
    const file = damaged((database) => {
      // A block whose second event names signal 1,000,000 and whose row agrees on everything else.
      const id = blockOf(database, chunk, 0);
      const row = database.prepare('SELECT end_time, event_count FROM chunk_parts WHERE id = ?').get(id) as { end_time: number; event_count: number };
      const header = Buffer.alloc(24);
      const steps = Buffer.from([0, 1]);
      const codes = Buffer.from([0, 0x80, 0x89, 0x7a]);
      header.writeUInt32LE(2, 0);
      header.writeDoubleLE(row.end_time - 1, 4);
      header.writeUInt32LE(0, 12);
      header.writeUInt32LE(steps.length, 16);
      header.writeUInt32LE(codes.length, 20);
      const block = zstdCompressSync(Buffer.concat([header, steps, codes, Buffer.alloc(8)]));
      database.prepare('UPDATE chunk_parts SET events = ?, event_count = 2 WHERE id = ?').run(block, id);
    });
    const reader = new RecordingReader(file);
    const state = reader.stateAt(chunk + chunkMs - 1);
    expect(state.signals).toHaveLength(3);
    expect(Object.keys(state.signals)).toEqual(['0', '1', '2']);
    expect(reader.damagedRanges(chunk, chunk + chunkMs)[0]!.reason).toMatch(/event code 1000000 outside/);
    reader.close();
  });

  it('answers absurd moments with an empty or nearest state, never a loop or an exception', () => {
    const reader = new RecordingReader(intact);
    for (const time of [Number.NaN, -1, -1e18, 1e20, Number.POSITIVE_INFINITY]) {
      const state = reader.stateAt(time);
      expect(state.signals).toHaveLength(3);
      expect(state.connected).toHaveLength(2);
    }
    expect([...reader.eventsBetween(Number.NaN, end)]).toEqual([]);
    expect([...reader.eventsBetween(end, start)]).toEqual([]);
    expect(reader.seriesAt(7, start, end, 60_000)).toEqual([]);
    expect(reader.healthEvents(Number.NaN, end)).toEqual([]);
    reader.close();
  });

  it('keeps what a sequence or its fork (an export) found in a file, also after its reader was closed and opened again', () => {
    const chunk = start + 10 * chunkMs;
    const file = damaged((database) => database.prepare('UPDATE chunk_parts SET events = X\'00\' WHERE id = ?').run(blockOf(database, chunk, 0)));
    const sequence = new RecordingSequence([file], () => true);
    expect(sequence.damagedRanges(start, end)).toEqual([]);
    const fork = sequence.fork();
    exportCsv(fork, signalKeys, start, end, () => undefined);
    fork.close();
    const found = sequence.damagedRanges(start, end);
    expect(found).toEqual([{ start: chunk, end: chunk + chunkMs - 1, reason: expect.stringMatching(/recorded events here are damaged/) }]);
    sequence.close();
    expect(sequence.damagedRanges(start, end)).toEqual(found);
  });
});

describe('a forged recording runs none of its own SQL', () => {
  it('refuses meta replaced by a view over a slow recursive query, before running it', () => {
    const file = damaged((database) => {
      database.exec('ALTER TABLE meta RENAME TO meta_real');
      // Three million rows of recursion per read: seconds for a reader that runs it.
      database.exec('CREATE VIEW meta AS WITH RECURSIVE slow(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM slow WHERE n < 3000000) SELECT key, value FROM meta_real WHERE (SELECT max(n) FROM slow) > 0');
    });
    const started = performance.now();
    expect(() => new RecordingReader(file)).toThrow(/damaged-\d+\.twinline: its schema holds .*"meta/);
    expect(performance.now() - started).toBeLessThan(500);
  });

  it('refuses triggers, extra indexes and changed table statements', () => {
    const trigger = damaged((database) => database.exec('CREATE TRIGGER spy AFTER INSERT ON chunks BEGIN SELECT 1; END'));
    expect(() => new RecordingReader(trigger)).toThrow(/its schema holds a trigger "spy"/);
    const index = damaged((database) => database.exec('CREATE INDEX by_value ON meta (value)'));
    expect(() => new RecordingReader(index)).toThrow(/an unexpected index "by_value"/);
    const changed = damaged((database) => {
      database.exec('PRAGMA writable_schema = ON');
      database.exec("UPDATE sqlite_schema SET sql = replace(sql, 'keyframe BLOB NOT NULL', 'keyframe') WHERE name = 'chunks'");
    });
    expect(() => new RecordingReader(changed)).toThrow(/its table "chunks" is not the one a Twinline recording has/);
  });

  it('accepts the layout written with other spacing, as by an older version of the same statements', () => {
    const respaced = damaged((database) => {
      database.exec('PRAGMA writable_schema = ON');
      database.exec("UPDATE sqlite_schema SET sql = replace(replace(sql, ' (', '(  '), ', ', ' ,') WHERE name = 'chunk_parts'");
    });
    const reader = new RecordingReader(respaced);
    expect([...reader.eventsBetween(start, end)]).toEqual(baseline.events);
    reader.close();
  });
});

describe('meta values are checked before they are used', () => {
  const withMeta = (key: string, value: unknown) => damaged((database) => database.prepare('INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)').run(key, value as string));

  it('refuses signal keys that are not the plant’s signals in order, and broker ids that are not names', () => {
    expect(() => new RecordingReader(withMeta('signalKeys', '{"0": "oven/temperature"}'))).toThrow(/signal keys are not the 3 signals of its plant, in order/);
    expect(() => new RecordingReader(withMeta('signalKeys', JSON.stringify([...signalKeys].reverse())))).toThrow(/signal keys are not the 3 signals/);
    expect(() => new RecordingReader(withMeta('signalKeys', '[not json'))).toThrow(/meta signalKeys is not JSON/);
    expect(() => new RecordingReader(withMeta('brokerIds', '[1, 2]'))).toThrow(/broker ids are not a list of names/);
    expect(() => new RecordingReader(withMeta('brokerIds', new Uint8Array(4)))).toThrow(/meta brokerIds is blob, not text/);
  });

  it('refuses times and lengths out of their range', () => {
    expect(() => new RecordingReader(withMeta('createdAt', 'last tuesday'))).toThrow(/meta createdAt is not a time/);
    expect(() => new RecordingReader(withMeta('rollupsUntil', '-1'))).toThrow(/meta rollupsUntil is not a time/);
    expect(() => new RecordingReader(withMeta('rollupsUntil', '253402300800000'))).toThrow(/meta rollupsUntil is not a time/);
    expect(() => new RecordingReader(withMeta('endTime', 'NaN'))).toThrow(/meta endTime is not a time/);
    expect(() => new RecordingReader(withMeta('chunkMs', '0'))).toThrow(/meta chunkMs is not a length of time/);
    expect(() => new RecordingReader(withMeta('continues', '../elsewhere.twinline'))).toThrow(/meta continues is not a file name/);
  });

  it('charts a file whose minute rows start at minute 0 and claim rollups to year 9999 in time bounded by its rows', () => {
    const file = damaged((database) => {
      const row = database.prepare('SELECT signal, buckets FROM rollups_minute LIMIT 1').get() as { signal: number; buckets: Uint8Array };
      database.prepare('INSERT INTO rollups_recent (minute, signal, buckets) VALUES (0, ?, ?)').run(row.signal, row.buckets);
      database.prepare("UPDATE meta SET value = '253402300799999' WHERE key = 'rollupsUntil'").run();
    });
    const reader = new RecordingReader(file);
    const started = performance.now();
    for (const resolution of [10_000, 60_000, 3_600_000]) reader.seriesAt(0, 0, end, resolution);
    expect(performance.now() - started).toBeLessThan(200);
    reader.close();
  });

  it('leaves out health events that name no machine or health of the plant', () => {
    const file = damaged((database) => {
      const insert = database.prepare('INSERT INTO health_events (time, machine, health) VALUES (?, ?, ?)');
      for (const [machine, health] of [[1_000_000_000, 3], [2, 3], [-1, 3], [0, 99], [0.5, 3]] as const) insert.run(start + 5, machine, health);
      insert.run(start + 5, 'oven', 3);
    });
    const reader = new RecordingReader(file);
    const intactReader = new RecordingReader(intact);
    expect(reader.healthEvents(start, end)).toEqual(intactReader.healthEvents(start, end));
    reader.close();
    intactReader.close();
  });
});

describe('RecordingError', () => {
  it('is what every refusal throws, naming the file', () => {
    const file = damaged((database) => database.exec("DELETE FROM meta WHERE key = 'plantText'"));
    expect(() => new RecordingReader(file)).toThrow(RecordingError);
    expect(() => new RecordingReader(file)).toThrow(`Cannot open the recording ${file}: it has no embedded plant`);
  });
});
