import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterAll, describe, expect, it } from 'vitest';
import { AlarmEngine } from '../../common/alarms/alarm-engine.ts';
import { Health } from '../../common/health.ts';
import { parsePlantOrThrow } from '../../common/parse-plant.ts';
import { exportAlarmJournal } from './export-alarm-journal.ts';
import { alarmRows, maxAlarmRowsPerRead } from './recorded-alarms.ts';
import { Recorder } from './recorder.ts';
import { RecordingReader } from './recording-reader.ts';
import { RecordingSequence } from './recording-sequence.ts';

const folder = mkdtempSync(join(tmpdir(), 'twinline-journal-bounds-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

const plantText = `name: Alarm line
machines:
  - { id: press, name: Press, area: A, line: L, primitive: { shape: box }, signals: [{ id: force, topic: t/force, limits: { highAlarm: 90 } }] }
`;
const plant = parsePlantOrThrow(plantText);
const source = { plant, plantText, plantFileName: 'plant.yaml', models: new Map(), signalKeys: ['press/force'], brokerIds: ['line'] };
const minuteMs = 60_000;

/** A real minute of recording from `start` with an alarm raised and acknowledged, then `acknowledgements` more acknowledgements within its first 50 s. */
function recordingWithAlarmEvents(name: string, start: number, acknowledgements: number): string {
  const file = join(folder, name);
  const recorder = new Recorder(file, source, { createdAt: start });
  const engine = new AlarmEngine(plant);
  recorder.recordConnection(0, true, start);
  recorder.recordSample(0, 95, start + 1);
  engine.evaluate(0, Health.alarm, 95, start + 1);
  engine.acknowledge([3], 'Ana', start + 2);
  const { alarms, flood } = engine.takeTransitions();
  recorder.recordAlarmRows(alarmRows(alarms, flood));
  recorder.recordSample(0, 96, start + minuteMs);
  recorder.close();
  const database = new DatabaseSync(file);
  database.exec('BEGIN');
  const copy = database.prepare("INSERT INTO alarm_events (time, alarm, event, operator, reason, record) SELECT time + ?, alarm, event, operator, reason, record FROM alarm_events WHERE rowid = (SELECT min(rowid) FROM alarm_events WHERE event = 'acknowledge')");
  for (let row = 1; row <= acknowledgements; row++) copy.run(row % 50_000);
  database.exec('COMMIT');
  database.close();
  return file;
}

const t0 = 1_790_000_000_000;
const first = recordingWithAlarmEvents('first.twinline', t0, 60_000);
const second = recordingWithAlarmEvents('second.twinline', t0 + 2 * minuteMs, 60_000);

describe('an alarm journal of a range with more events than a read may hold', () => {
  it('is refused plainly rather than cut short, in one file and across the files of a session', () => {
    const crowded = new RecordingReader(recordingWithAlarmEvents('crowded.twinline', t0, maxAlarmRowsPerRead));
    try {
      expect(() => exportAlarmJournal(crowded, t0, t0 + minuteMs, () => undefined)).toThrow(/more than 100,000 alarm events .*choose a shorter range/);
    } finally {
      crowded.close();
    }
    const session = new RecordingSequence([first, second], () => false);
    try {
      // Each file alone fits: the journal of one has every event.
      expect(exportAlarmJournal(session, t0, t0 + minuteMs, () => undefined)).toBe(60_002);
      expect(() => exportAlarmJournal(session, t0, t0 + 3 * minuteMs, () => undefined)).toThrow(/more than 100,000 alarm events .*choose a shorter range/);
    } finally {
      session.close();
    }
  });
});
