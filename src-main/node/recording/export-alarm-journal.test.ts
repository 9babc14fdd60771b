import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { AlarmEngine } from '../../common/alarms/alarm-engine.ts';
import { Health } from '../../common/health.ts';
import { parsePlantOrThrow } from '../../common/parse-plant.ts';
import { alarmJournalHeader } from './export-alarm-journal.ts';
import { alarmRows } from './recorded-alarms.ts';
import { Recorder } from './recorder.ts';

const cli = fileURLToPath(new URL('../../../bin/twinline.js', import.meta.url));
const folder = mkdtempSync(join(tmpdir(), 'twinline-alarm-journal-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

const plantText = `name: Journal line
brokers:
  - { id: line, url: "mqtt://127.0.0.1:9" }
machines:
  - { id: stand-f4, name: Finishing stand F4, area: Mill, line: L, primitive: { shape: box }, signals: [{ id: roll-force, topic: t/force, unit: MN, limits: { highAlarm: 30, priority: { highAlarm: critical } } }] }
`;
const t0 = Date.parse('2026-11-25T06:00:00Z');

/** A recording in which the roll force alarm is raised, acknowledged, shelved by someone whose name looks like a formula, and returns to normal. */
function journalRecording(): string {
  const plant = parsePlantOrThrow(plantText);
  const file = join(folder, 'journal.twinline');
  const recorder = new Recorder(file, { plant, plantText, plantFileName: 'plant.yaml', models: new Map(), signalKeys: ['stand-f4/roll-force'], brokerIds: ['line'] });
  const engine = new AlarmEngine(plant);
  const record = () => {
    const { alarms, flood } = engine.takeTransitions();
    recorder.recordAlarmRows(alarmRows(alarms, flood));
  };
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

describe('twinline export --alarms', () => {
  it('writes the alarm journal as CSV: raise, acknowledgement, shelf and return to normal, with machine, signal, priority, who and when', () => {
    const file = journalRecording();
    const result = spawnSync(process.execPath, [cli, 'export', file, '--alarms'], { encoding: 'utf8', timeout: 30_000 });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout.split('\n')).toEqual([
      alarmJournalHeader,
      '2026-11-25T06:00:01.000Z,raise,stand-f4,roll-force,highAlarm,critical,activeUnacknowledged,,,Finishing stand F4 — roll-force high alarm (≥ 30 MN): 31.5 MN',
      '2026-11-25T06:00:02.000Z,acknowledge,stand-f4,roll-force,highAlarm,critical,activeAcknowledged,Ana Lima,,Finishing stand F4 — roll-force high alarm (≥ 30 MN): 31.5 MN',
      // A name a spreadsheet would run as a formula is written as text.
      `2026-11-25T06:00:03.000Z,shelve,stand-f4,roll-force,highAlarm,critical,shelved,"'=HYPERLINK(""x"")","roll change, see log 12",Finishing stand F4 — roll-force high alarm (≥ 30 MN): 31.5 MN`,
      '2026-11-25T06:00:04.000Z,return to normal,stand-f4,roll-force,highAlarm,critical,shelved,,,Finishing stand F4 — roll-force high alarm (≥ 30 MN): 31.5 MN',
      '2026-11-25T06:01:03.000Z,shelf expired,stand-f4,roll-force,highAlarm,critical,normal,,,Finishing stand F4 — roll-force high alarm (≥ 30 MN): 31.5 MN',
      '',
    ]);
    const ranged = spawnSync(process.execPath, [cli, 'export', file, '--alarms', '--from', '2026-11-25T06:00:02Z', '--to', '2026-11-25T06:00:03Z'], { encoding: 'utf8', timeout: 30_000 });
    expect(ranged.stdout.split('\n').slice(1, -1).map((line) => line.split(',')[1])).toEqual(['acknowledge', 'shelve']);
    const withSignal = spawnSync(process.execPath, [cli, 'export', file, '--alarms', '--signal', 'stand-f4'], { encoding: 'utf8', timeout: 30_000 });
    expect(withSignal.status).toBe(1);
    expect(withSignal.stderr).toContain('--alarms writes every alarm of the range; it takes no --signal');
  });
});
