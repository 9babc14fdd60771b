import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterAll, describe, expect, it } from 'vitest';
import type { SignalRuleState } from '../../common/health.ts';
import { parsePlantOrThrow } from '../../common/parse-plant.ts';
import { seededRandom } from '../../common/seeded-random.ts';
import type { RecordedEvent } from './chunk-codec.ts';
import { Recorder } from './recorder.ts';
import { RecordingReader } from './recording-reader.ts';

const folder = mkdtempSync(join(tmpdir(), 'twinline-recorder-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

const plantText = `name: Busy line
brokers:
  - { id: line, url: "mqtt://127.0.0.1:9" }
machines:
  - id: press
    name: Press
    area: A
    line: L
    primitive: { shape: box }
    signals:
      - { id: force, topic: t/force, limits: { highWarn: 80, highAlarm: 90, deadband: 2 } }
      - { id: speed, topic: t/speed, limits: { lowWarn: 10 } }
      - { id: level, topic: t/level }
`;
const plant = parsePlantOrThrow(plantText);
const source = { plant, plantText, plantFileName: 'plant.yaml', models: new Map(), signalKeys: ['press/force', 'press/speed', 'press/level'], brokerIds: ['line'] };

describe('a busy recording', () => {
  // 6,000 events in bursts of up to 9 in one millisecond, a chunk ending after 50 events: ~100 chunks,
  // most of them ending inside a 10 s stretch, several with a burst across their limit.
  const maxChunkEvents = 50;
  const maxBurst = 9;
  const file = join(folder, 'busy.twinline');
  const events: RecordedEvent[] = [];
  const random = seededRandom(11);
  const recorder = new Recorder(file, source, { maxChunkEvents });
  let time = 1_700_000_000_000;
  recorder.recordConnection(0, true, time);
  events.push({ time, code: -1, value: 1 });
  while (events.length < 6000) {
    time += 1 + Math.floor(random() * 2);
    const burst = 1 + Math.floor(random() * maxBurst);
    for (let index = 0; index < burst; index++) {
      const signal = Math.floor(random() * 3);
      const value = Math.round(random() * 100_000) / 1000;
      recorder.recordSample(signal, value, time);
      events.push({ time, code: signal, value });
    }
    if (random() < 0.05) recorder.commit();
  }
  recorder.close();
  const reader = new RecordingReader(file);
  afterAll(() => reader.close());

  const database = new DatabaseSync(file, { readOnly: true });
  const chunks = database.prepare('SELECT c.start_time AS start, SUM(p.event_count) AS events FROM chunks c JOIN chunk_parts p ON p.chunk_start = c.start_time GROUP BY c.start_time ORDER BY c.start_time').all() as Array<{ start: number; events: number }>;
  database.close();

  it('starts a new chunk once one holds the bounded number of events, not only every 10 s', () => {
    expect(chunks.length).toBeGreaterThan(events.length / (maxChunkEvents + maxBurst));
    for (const chunk of chunks) expect(chunk.events).toBeLessThan(maxChunkEvents + maxBurst);
    expect(chunks.reduce((sum, chunk) => sum + chunk.events, 0)).toBe(events.length);
  });

  it('reads every event of a chunk’s first millisecond from that chunk on, none lost to the chunk before', () => {
    for (const { start } of chunks) {
      expect([...reader.eventsBetween(start, start)]).toEqual(events.filter((event) => event.time === start));
      expect([...reader.eventsBetween(start - 1, start + 1)]).toEqual(events.filter((event) => event.time >= start - 1 && event.time <= start + 1));
    }
    const first = events[0]!.time;
    const last = events[events.length - 1]!.time;
    for (let trial = 0; trial < 50; trial++) {
      const from = first + Math.floor(random() * (last - first));
      const to = from + Math.floor(random() * 200);
      expect([...reader.eventsBetween(from, to)]).toEqual(events.filter((event) => event.time >= from && event.time <= to));
    }
  });

  it('gives the state every event up to a moment makes, at chunk starts, just before them and at random moments', () => {
    const first = events[0]!.time;
    const last = events[events.length - 1]!.time;
    const moments = [...chunks.flatMap(({ start }) => [start - 1, start]), ...Array.from({ length: 50 }, () => first + Math.floor(random() * (last - first)))];
    for (const moment of moments) {
      const signals: Array<SignalRuleState | undefined> = [undefined, undefined, undefined];
      const connected = [false];
      for (const event of events) if (event.time <= moment) reader.apply(event.code, event.value, event.time, signals, connected);
      expect(reader.stateAt(moment)).toEqual({ time: moment, signals, connected });
    }
  });
});
