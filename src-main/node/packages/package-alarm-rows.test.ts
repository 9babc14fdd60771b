import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterAll, describe, expect, it } from 'vitest';
import { AlarmEngine } from '../../common/alarms/alarm-engine.ts';
import { Health } from '../../common/health.ts';
import { parsePlantOrThrow } from '../../common/parse-plant.ts';
import { alarmRows } from '../recording/recorded-alarms.ts';
import { Recorder } from '../recording/recorder.ts';
import { writeIncidentPackage } from './write-incident-package.ts';

const folder = mkdtempSync(join(tmpdir(), 'twinline-package-alarm-rows-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

const plantText = `name: Alarm line
machines:
  - { id: press, name: Press, area: A, line: L, primitive: { shape: box }, signals: [{ id: force, topic: t/force, limits: { highAlarm: 90 } }] }
`;
const plant = parsePlantOrThrow(plantText);
const t0 = 1_790_000_000_000;

/** A recording with an alarm raised and acknowledged between two samples a minute apart, then `copies` of the acknowledgement (its record padded by `padding` spaces) ten a millisecond between them. */
function recordingWithAlarmRows(name: string, copies: number, padding: number): string {
  const directory = join(folder, name);
  mkdirSync(directory);
  const file = join(directory, 'twinline-20260922-141320Z.twinline');
  const recorder = new Recorder(file, { plant, plantText, plantFileName: 'plant.yaml', models: new Map(), signalKeys: ['press/force'], brokerIds: ['line'] }, { createdAt: t0 });
  const engine = new AlarmEngine(plant);
  recorder.recordConnection(0, true, t0);
  recorder.recordSample(0, 95, t0 + 1);
  engine.evaluate(0, Health.alarm, 95, t0 + 1);
  engine.acknowledge([3], 'Ana', t0 + 2);
  const { alarms, flood } = engine.takeTransitions();
  recorder.recordAlarmRows(alarmRows(alarms, flood));
  recorder.recordSample(0, 96, t0 + 60_000);
  recorder.close();
  // Acknowledgements ten a millisecond between the two samples, as a busy alarm system's would pile up.
  const database = new DatabaseSync(file);
  database.exec('BEGIN');
  const copy = database.prepare("INSERT INTO alarm_events (time, alarm, event, operator, reason, record) SELECT ?, alarm, event, operator, reason, record || ? FROM alarm_events WHERE rowid = (SELECT min(rowid) FROM alarm_events WHERE event = 'acknowledge')");
  for (let row = 0; row < copies; row++) copy.run(t0 + 10 + Math.floor(row / 10), ' '.repeat(padding));
  database.exec('COMMIT');
  database.close();
  return file;
}

describe('an incident package of a stretch with many alarm rows between two samples', () => {
  it('carries all 180,000 of them (they are handed to the recorder at once, not spread into one call)', () => {
    const file = recordingWithAlarmRows('many', 180_000, 0);
    const packaged = writeIncidentPackage(file, join(folder, 'many.twinline'), { from: t0, to: t0 + 120_000 });
    expect(packaged.alarmRows).toBe(180_000 + 2);
  });

  it('is refused plainly, not made half, when the records would take more than 64 MiB', () => {
    // 20,000 records of nearly 4 KiB: each one a reader accepts, together over 70 MiB.
    const file = recordingWithAlarmRows('large', 20_000, 3400);
    const out = join(folder, 'large.twinline');
    expect(() => writeIncidentPackage(file, out, { from: t0, to: t0 + 120_000 })).toThrow(/more alarm rows than a package carries .*choose a shorter range/);
    expect(existsSync(out)).toBe(false);
  });
});
