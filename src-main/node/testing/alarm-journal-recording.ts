import { join } from 'node:path';
import { AlarmEngine } from '../../common/alarms/alarm-engine.ts';
import { Health } from '../../common/health.ts';
import { parsePlantOrThrow } from '../../common/parse-plant.ts';
import { alarmRows } from '../recording/recorded-alarms.ts';
import { Recorder } from '../recording/recorder.ts';

const plantText = `name: Journal line
brokers:
  - { id: line, url: "mqtt://127.0.0.1:9" }
machines:
  - { id: stand-f4, name: Finishing stand F4, area: Mill, line: L, primitive: { shape: box }, signals: [{ id: roll-force, topic: t/force, unit: MN, limits: { highAlarm: 30, priority: { highAlarm: critical } } }] }
`;

/** When the journal recording starts: its alarm is raised 1 s later, acknowledged at 2 s, shelved at 3 s, back to normal at 4 s, unshelved at 63 s. */
export const journalStart = Date.parse('2026-11-25T06:00:00Z');

/**
 * Writes `journal.twinline` into `folder`: a recording in which the roll force alarm is raised,
 * acknowledged, shelved by someone whose name looks like a spreadsheet formula, and returns to normal.
 */
export function writeJournalRecording(folder: string): string {
  const plant = parsePlantOrThrow(plantText);
  const file = join(folder, 'journal.twinline');
  const recorder = new Recorder(file, { plant, plantText, plantFileName: 'plant.yaml', models: new Map(), signalKeys: ['stand-f4/roll-force'], brokerIds: ['line'] });
  const engine = new AlarmEngine(plant);
  const record = () => {
    const { alarms, flood } = engine.takeTransitions();
    recorder.recordAlarmRows(alarmRows(alarms, flood));
  };
  const t0 = journalStart;
  recorder.recordConnection(0, true, t0);
  recorder.recordSample(0, 31.5, t0 + 1000);
  engine.evaluate(0, Health.alarm, 31.5, t0 + 1000);
  record();
  engine.acknowledge([3], 'Ana Lima', t0 + 2000);
  record();
  engine.shelve([3], 60_000, 'roll change, see log 12', '=HYPERLINK("x")', t0 + 3000);
  record();
  recorder.recordSample(0, 20, t0 + 4000);
  engine.evaluate(0, Health.ok, 20, t0 + 4000);
  record();
  engine.tick(t0 + 63_000);
  record();
  recorder.recordSample(0, 20, t0 + 64_000);
  recorder.close();
  return file;
}
