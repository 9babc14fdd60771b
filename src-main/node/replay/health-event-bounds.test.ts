import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterAll, describe, expect, it } from 'vitest';
import { Health } from '../../common/health.ts';
import { parsePlantOrThrow } from '../../common/parse-plant.ts';
import { plantRules } from '../../common/plant-health.ts';
import { Recorder } from '../recording/recorder.ts';
import { maxHealthEventsPerRead } from '../recording/recording-reader.ts';
import { RecordingSequence } from '../recording/recording-sequence.ts';
import { shiftSummary } from './shift-summary.ts';

const folder = mkdtempSync(join(tmpdir(), 'twinline-health-bounds-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

const plantText = `name: Busy
machines:
  - { id: oven, name: Oven, area: A, line: L, primitive: { shape: box }, signals: [{ id: temperature, topic: t/oven, limits: { highAlarm: 90 } }] }
`;
const plant = parsePlantOrThrow(plantText);
const source = { plant, plantText, plantFileName: 'plant.yaml', models: new Map(), signalKeys: ['oven/temperature'], brokerIds: ['default'] };
const start = Date.UTC(2026, 10, 25, 6, 0, 0);
const hourMs = 3_600_000;

/** A real recording of an hour, then `changes` health rows (alarm and ok in turn) written into it as a busy or forged file holds them. */
function recordingWithHealthChanges(name: string, changes: number): string {
  const file = join(folder, name);
  const recorder = new Recorder(file, source);
  recorder.recordConnection(0, true, start);
  recorder.recordSample(0, 50, start);
  recorder.recordHealth(0, Health.ok, start);
  recorder.commit();
  recorder.recordSample(0, 50, start + hourMs);
  recorder.close();
  const database = new DatabaseSync(file);
  const insert = database.prepare('INSERT INTO health_events (time, machine, health) VALUES (?, 0, ?)');
  database.exec('BEGIN');
  // Spread over the hour after the first millisecond, alternating so every row is a change.
  for (let row = 0; row < changes; row++) insert.run(start + 1 + Math.floor((row * (hourMs - 2)) / changes), row % 2 === 0 ? Health.alarm : Health.ok);
  database.exec('COMMIT');
  database.close();
  return file;
}

describe('machine health changes read for a summary or a package', () => {
  it('a range with 300,000 changes is summed whole (they are not spread into one call)', () => {
    const sequence = new RecordingSequence([recordingWithHealthChanges('busy.twinline', 300_000)], () => false);
    try {
      expect(sequence.healthEvents(start, start + hourMs)).toHaveLength(300_001);
      const summary = shiftSummary(sequence, plantRules(plant), { from: start, to: start + hourMs });
      expect(summary.topAlarm[0]?.alarmsEntered).toBe(150_000);
    } finally {
      sequence.close();
    }
  });

  it('a range with more changes than a read may hold is refused clearly, bounded by rows whatever the times say', () => {
    const sequence = new RecordingSequence([recordingWithHealthChanges('flooded.twinline', maxHealthEventsPerRead + 10)], () => false);
    try {
      expect(() => shiftSummary(sequence, plantRules(plant), { from: start, to: start + hourMs })).toThrow(/more than 1,000,000 machine health changes .*choose a shorter range/);
    } finally {
      sequence.close();
    }
  });
});
