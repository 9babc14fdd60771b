import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterAll, describe, expect, it } from 'vitest';
import { AlarmEngine } from '../../common/alarms/alarm-engine.ts';
import { Health } from '../../common/health.ts';
import { parsePlantOrThrow } from '../../common/parse-plant.ts';
import { alarmRows } from '../recording/recorded-alarms.ts';
import { Recorder } from '../recording/recorder.ts';
import { readStandingAlarms } from './restore-standing-alarms.ts';
import { standingAlarms } from './standing-alarms.ts';

const folder = mkdtempSync(join(tmpdir(), 'twinline-standing-alarms-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));
const t0 = 1_700_000_000_000;

const plantText = (name: string) => `name: ${name}
brokers:
  - { id: line, url: "mqtt://127.0.0.1:9" }
machines:
  - { id: press, name: Press, area: A, line: L, primitive: { shape: box }, signals: [{ id: force, topic: t/force, unit: kN, limits: { highWarn: 80, highAlarm: 90 } }] }
`;

/** A recording of `plantName` whose press alarm was raised and acknowledged, written as the host writes it. */
function writeRecording(directory: string, name: string, plantName: string): string {
  const text = plantText(plantName);
  const plant = parsePlantOrThrow(text);
  const file = join(directory, name);
  const recorder = new Recorder(file, { plant, plantText: text, plantFileName: 'plant.yaml', models: new Map(), signalKeys: ['press/force'], brokerIds: ['line'] });
  const engine = new AlarmEngine(plant);
  const write = () => {
    const { alarms, flood } = engine.takeTransitions();
    recorder.recordAlarmRows(alarmRows(alarms, flood));
  };
  recorder.recordSample(0, 95, t0 + 1000);
  engine.evaluate(0, Health.alarm, 95, t0 + 1000);
  write();
  engine.acknowledge([3], 'Ana', t0 + 2000);
  write();
  recorder.close();
  return file;
}

describe('the alarms the last recording of a plant left standing', () => {
  it('passes over incident packages and other plants\' recordings, and reads the newest of this plant at its last moment', () => {
    const directory = join(folder, 'mixed');
    mkdirSync(directory);
    const own = writeRecording(directory, 'twinline-20231114-221300Z.twinline', 'Alarm line');
    const other = writeRecording(directory, 'twinline-20231114-221400Z.twinline', 'Other line');
    const cut = writeRecording(directory, 'twinline-20231114-221500Z.twinline', 'Alarm line');
    const database = new DatabaseSync(cut);
    database.prepare("INSERT INTO meta (key, value) VALUES ('packageRange', ?)").run(JSON.stringify({ from: t0, to: t0 + 3000, source: 'x' }));
    database.close();
    const result = standingAlarms([cut, other, own], 'Alarm line', t0 + 60_000);
    expect(result).toMatchObject({ file: own });
    if (!('standing' in result)) throw new Error(result.nothing);
    expect(result.standing.map(({ key, limit, threshold, record }) => [key, limit, threshold, record.state, record.acknowledged?.operator])).toEqual([
      ['press/force', 'highWarn', 80, 'activeUnacknowledged', undefined],
      ['press/force', 'highAlarm', 90, 'activeAcknowledged', 'Ana'],
    ]);
    // Rows stamped after the moment asked for are not believed.
    expect(standingAlarms([own], 'Alarm line', t0 + 1500)).toMatchObject({ standing: [{ record: { state: 'activeUnacknowledged' } }, { record: { state: 'activeUnacknowledged' } }] });
  });

  it('restores nothing, saying why, when the newest file is damaged, rather than older states', () => {
    const directory = join(folder, 'damaged');
    mkdirSync(directory);
    const good = writeRecording(directory, 'twinline-20231114-221300Z.twinline', 'Alarm line');
    const damaged = join(directory, 'twinline-20231114-221400Z.twinline');
    writeFileSync(damaged, Buffer.alloc(8192, 0x5a));
    const result = standingAlarms([damaged, good], 'Alarm line', t0 + 60_000);
    expect(result).toMatchObject({ file: damaged, nothing: expect.stringContaining('cannot be read') });
  });

  it('gives up a read that takes longer than its limit, and resolves with why', async () => {
    const directory = join(folder, 'slow');
    mkdirSync(directory);
    writeRecording(directory, 'twinline-20231114-221300Z.twinline', 'Alarm line');
    const plant = parsePlantOrThrow(plantText('Alarm line'));
    const result = await readStandingAlarms({ directory, plant, now: t0 + 60_000, timeoutMs: 1 });
    expect(result).toMatchObject({ nothing: 'reading its alarms took longer than 0.001 s, so it was stopped' });
    // Matched with the running plant in the worker: the host gets this plant's alarm ids.
    const answered = await readStandingAlarms({ directory, plant, now: t0 + 60_000 });
    expect(answered).toMatchObject({ plan: { restore: [{ alarm: 2, record: { limit: 'highWarn' } }, { alarm: 3, record: { limit: 'highAlarm' } }], dropped: [] } });
    // A plant whose limit moved gets that alarm dropped, named.
    const moved = parsePlantOrThrow(plantText('Alarm line').replace('highAlarm: 90', 'highAlarm: 92'));
    expect(await readStandingAlarms({ directory, plant: moved, now: t0 + 60_000 })).toMatchObject({ plan: { restore: [{ alarm: 2 }], dropped: ['press/force highAlarm: the limit moved from 90 to 92'] } });
  });

  it('starts with every alarm normal, saying why, when the reading worker cannot be given the plant', async () => {
    const directory = join(folder, 'uncloneable');
    mkdirSync(directory);
    writeRecording(directory, 'twinline-20231114-221300Z.twinline', 'Alarm line');
    // Something a worker cannot be sent (a function): the worker never starts, and the host must still start.
    const plant = { ...parsePlantOrThrow(plantText('Alarm line')), cannotBeCloned: () => undefined };
    await expect(readStandingAlarms({ directory, plant, now: t0 + 60_000 })).resolves.toMatchObject({
      file: join(directory, 'twinline-20231114-221300Z.twinline'),
      nothing: expect.stringContaining('the reading worker could not start'),
    });
  });
});
