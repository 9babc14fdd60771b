import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterAll, describe, expect, it } from 'vitest';
import { AlarmEngine } from '../../common/alarms/alarm-engine.ts';
import { Health } from '../../common/health.ts';
import { parsePlantOrThrow } from '../../common/parse-plant.ts';
import { alarmRows } from './recorded-alarms.ts';
import { Recorder } from './recorder.ts';
import { RecordingReader } from './recording-reader.ts';
import { RecordingSequence } from './recording-sequence.ts';

const folder = mkdtempSync(join(tmpdir(), 'twinline-recorded-alarms-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

const plantText = `name: Alarm line
brokers:
  - { id: line, url: "mqtt://127.0.0.1:9" }
machines:
  - { id: press, name: Press, area: A, line: L, primitive: { shape: box }, signals: [{ id: force, topic: t/force, unit: kN, limits: { highWarn: 80, highAlarm: 90 } }] }
  - { id: pump, name: Pump, area: A, line: L, primitive: { shape: box }, signals: [{ id: flow, topic: t/flow, limits: { lowAlarm: 5 } }] }
`;
const plant = parsePlantOrThrow(plantText);
const source = { plant, plantText, plantFileName: 'plant.yaml', models: new Map(), signalKeys: ['press/force', 'pump/flow'], brokerIds: ['line'] };
const t0 = 1_700_000_000_000;

/** A recording of a press alarm raised, acknowledged and cleared, its rows written as the host's alarm service writes them. */
function writeRecording(name: string): string {
  const file = join(folder, name);
  const recorder = new Recorder(file, source);
  const engine = new AlarmEngine(plant);
  // As the alarm service does after each step: what changed, recorded at once.
  const write = () => {
    const { alarms, flood } = engine.takeTransitions();
    recorder.recordAlarmRows(alarmRows(alarms, flood));
  };
  recorder.recordConnection(0, true, t0);
  recorder.recordSample(0, 95, t0 + 1000);
  engine.evaluate(0, Health.alarm, 95, t0 + 1000);
  write();
  engine.acknowledge([3], 'Ana', t0 + 2000);
  write();
  recorder.recordSample(0, 50, t0 + 3000);
  engine.evaluate(0, Health.ok, 50, t0 + 3000);
  write();
  recorder.recordSample(1, 20, t0 + 4000);
  recorder.close();
  return file;
}

describe('recorded alarms', () => {
  it('reads back the alarms at any moment and the journal of what happened, with who did it', () => {
    const reader = new RecordingReader(writeRecording('alarms.twinline'));
    try {
      expect(reader.alarmsAt(t0 + 999).alarms).toEqual([]);
      expect(reader.alarmsAt(t0 + 1000).alarms.map((record) => [record.limit, record.state, record.priority])).toEqual([['highWarn', 'activeUnacknowledged', 'medium'], ['highAlarm', 'activeUnacknowledged', 'high']]);
      expect(reader.alarmsAt(t0 + 2000).alarms.find((record) => record.limit === 'highAlarm')).toMatchObject({ state: 'activeAcknowledged', acknowledged: { operator: 'Ana', time: t0 + 2000 } });
      expect(reader.alarmsAt(t0 + 3000).alarms.map((record) => [record.limit, record.state])).toEqual([['highWarn', 'returnedUnacknowledged']]);
      expect(reader.alarmEvents(t0, t0 + 5000).map((event) => [event.time - t0, event.event, event.record.limit, event.operator])).toEqual([
        [1000, 'raise', 'highWarn', null],
        [1000, 'raise', 'highAlarm', null],
        [2000, 'acknowledge', 'highAlarm', 'Ana'],
        [3000, 'clear', 'highWarn', null],
        [3000, 'clear', 'highAlarm', null],
      ]);
    } finally {
      reader.close();
    }
  });

  it('answers every moment as a fresh reader does, asked in any order, and sees rows written while it replays', () => {
    const file = writeRecording('random-order.twinline');
    const reader = new RecordingReader(file);
    try {
      let seed = 7;
      for (let step = 0; step < 200; step++) {
        seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
        const moment = t0 + (seed % 5000);
        const fresh = new RecordingReader(file);
        try {
          expect(reader.alarmsAt(moment), `at ${moment - t0} ms`).toEqual(fresh.alarmsAt(moment));
        } finally {
          fresh.close();
        }
      }
    } finally {
      reader.close();
    }
    // A file being recorded: a moment read before an alarm row was written reads the row afterwards.
    const growingFile = join(folder, 'growing.twinline');
    const recorder = new Recorder(growingFile, source);
    const engine = new AlarmEngine(plant);
    recorder.recordConnection(0, true, t0);
    recorder.recordSample(0, 50, t0 + 500);
    recorder.commit();
    const growing = new RecordingReader(growingFile);
    try {
      expect(growing.alarmsAt(t0 + 5000).alarms).toEqual([]);
      recorder.recordSample(0, 95, t0 + 1000);
      engine.evaluate(0, Health.alarm, 95, t0 + 1000);
      const { alarms, flood } = engine.takeTransitions();
      recorder.recordAlarmRows(alarmRows(alarms, flood));
      recorder.commit();
      expect(growing.alarmsAt(t0 + 5000).alarms.map((record) => record.limit)).toEqual(['highWarn', 'highAlarm']);
    } finally {
      growing.close();
      recorder.close();
    }
  });

  it('takes a change that reached the next file after a rollover, stamped with a time the file before covers, as it was at that time', () => {
    // What the live host can do: the press alarm is raised in the first file, the rollover opens the
    // second (carrying the raised alarm), and the acknowledgement made before the rollover is written after it.
    const engine = new AlarmEngine(plant);
    const first = join(folder, 'rolled-1.twinline');
    const before = new Recorder(first, source);
    before.recordConnection(0, true, t0);
    before.recordSample(0, 95, t0 + 500);
    engine.evaluate(0, Health.alarm, 95, t0 + 500);
    const raised = engine.takeTransitions();
    before.recordAlarmRows(alarmRows(raised.alarms, raised.flood));
    before.recordSample(0, 96, t0 + 1000);
    before.close();
    const second = join(folder, 'rolled-2.twinline');
    const after = new Recorder(second, source, { continues: 'rolled-1.twinline' });
    after.recordConnection(0, true, t0 + 1100);
    after.recordAlarmRows(alarmRows(raised.alarms, raised.flood).map((row) => ({ ...row, event: 'carried' })));
    after.recordSample(0, 97, t0 + 1100);
    engine.acknowledge([3], 'Ana', t0 + 900);
    const acknowledged = engine.takeTransitions();
    after.recordAlarmRows(alarmRows(acknowledged.alarms, acknowledged.flood));
    after.close();
    const sequence = new RecordingSequence([first, second], () => true);
    try {
      const stateOf = (time: number) => sequence.alarmsAt(time).alarms.find((record) => record.limit === 'highAlarm')?.state;
      expect(stateOf(t0 + 899)).toBe('activeUnacknowledged');
      expect(stateOf(t0 + 900)).toBe('activeAcknowledged');
      expect(stateOf(t0 + 1000)).toBe('activeAcknowledged');
      expect(stateOf(t0 + 1100)).toBe('activeAcknowledged');
    } finally {
      sequence.close();
    }
  });

  it('passes over forged rows: not JSON, another alarm than the row says, a machine that is not the signal’s, a state that does not exist', () => {
    const file = writeRecording('forged.twinline');
    const database = new DatabaseSync(file);
    const good = database.prepare("SELECT record FROM alarm_events WHERE alarm = 3 AND event = 'raise'").get() as { record: string };
    const record = JSON.parse(good.record) as Record<string, unknown>;
    const insert = database.prepare("INSERT INTO alarm_events (time, alarm, event, operator, reason, record) VALUES (?, ?, 'raise', NULL, NULL, ?)");
    insert.run(t0 + 3500, 3, '{not json');
    insert.run(t0 + 3500, 2, JSON.stringify(record));
    insert.run(t0 + 3500, 7, JSON.stringify({ ...record, alarm: 7, signal: 1, machine: 0 }));
    insert.run(t0 + 3500, 6, JSON.stringify({ ...record, alarm: 6, signal: 1, machine: 1, state: 'panicking' }));
    database.close();
    const reader = new RecordingReader(file);
    try {
      // Before the forged rows the alarms read as written; after them, each forged last row is passed over (its alarm reads as not shown).
      expect(reader.alarmsAt(t0 + 3000).alarms.map((entry) => [entry.alarm, entry.state])).toEqual([[2, 'returnedUnacknowledged']]);
      expect(reader.alarmsAt(t0 + 4000).alarms).toEqual([]);
      expect(reader.alarmEvents(t0 + 3500, t0 + 3500)).toEqual([]);
    } finally {
      reader.close();
    }
  });

  it('opens a format 2 recording, written before alarms were recorded, as one without alarms; refuses a format 3 one without the alarm table', () => {
    const old = writeRecording('format-2.twinline');
    const database = new DatabaseSync(old);
    database.exec('DROP TABLE alarm_events; DROP TABLE annotations; PRAGMA user_version = 2;');
    database.close();
    const reader = new RecordingReader(old);
    try {
      expect(reader.alarmsAt(t0 + 2000)).toEqual({ flood: { active: false, since: null }, alarms: [] });
      expect(reader.stateAt(t0 + 1000).signals[0]?.value).toBe(95);
    } finally {
      reader.close();
    }
    const forged = writeRecording('format-3-without-alarms.twinline');
    const forgedDatabase = new DatabaseSync(forged);
    forgedDatabase.exec('DROP TABLE alarm_events;');
    forgedDatabase.close();
    expect(() => new RecordingReader(forged)).toThrow(/lacks "alarm_events"/);
    const mixed = writeRecording('format-2-with-alarms.twinline');
    const mixedDatabase = new DatabaseSync(mixed);
    mixedDatabase.exec('DROP TABLE annotations; PRAGMA user_version = 2;');
    mixedDatabase.close();
    expect(() => new RecordingReader(mixed)).toThrow(/unexpected (table|index) "alarm_events/);
  });
});
