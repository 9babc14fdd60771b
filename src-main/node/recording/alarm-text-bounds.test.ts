import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { Worker } from 'node:worker_threads';
import { afterAll, describe, expect, it } from 'vitest';
import { AlarmEngine } from '../../common/alarms/alarm-engine.ts';
import { Health } from '../../common/health.ts';
import { parsePlantOrThrow } from '../../common/parse-plant.ts';
import type { AlarmTextsRead } from './fixtures/read-alarm-texts.ts';
import { alarmRows, maxAlarmTextCharacters } from './recorded-alarms.ts';
import { Recorder } from './recorder.ts';

const folder = mkdtempSync(join(tmpdir(), 'twinline-alarm-texts-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

const plantText = `name: Alarm line
machines:
  - { id: press, name: Press, area: A, line: L, primitive: { shape: box }, signals: [{ id: force, topic: t/force, limits: { highAlarm: 90 } }] }
`;
const plant = parsePlantOrThrow(plantText);
const source = { plant, plantText, plantFileName: 'plant.yaml', models: new Map(), signalKeys: ['press/force'], brokerIds: ['line'] };
const t0 = 1_700_000_000_000;
const forgedRows = 12;
const forgedCharacters = 8 * 1024 * 1024;

/** A real recording of an alarm raised and acknowledged, then given 12 more acknowledgements whose reasons are 8 MiB each and whose operator is a formula. */
function forgedRecording(): string {
  const directory = join(folder, 'recordings');
  mkdirSync(directory);
  const file = join(directory, 'twinline-20231114-221320Z.twinline');
  const recorder = new Recorder(file, source);
  const engine = new AlarmEngine(plant);
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
  recorder.recordSample(0, 96, t0 + 3000);
  recorder.close();
  const database = new DatabaseSync(file);
  const huge = 'x'.repeat(forgedCharacters);
  const copy = database.prepare("INSERT INTO alarm_events (time, alarm, event, operator, reason, record) SELECT time + ?, alarm, event, ?, ?, record FROM alarm_events WHERE rowid = (SELECT min(rowid) FROM alarm_events WHERE event = 'acknowledge')");
  for (let row = 1; row <= forgedRows; row++) copy.run(row, '=HYPERLINK("http://x")', huge);
  database.close();
  return file;
}

describe('operator names and reasons of recorded alarms', () => {
  it('are cut to 200 characters before they are read: a forged file of 12 × 8 MiB reasons is journaled and packaged in a 48 MB heap', { timeout: 60_000 }, async () => {
    const file = forgedRecording();
    const worker = new Worker(new URL('./fixtures/read-alarm-texts.ts', import.meta.url), { workerData: { file, out: join(folder, 'incident.twinline') }, resourceLimits: { maxOldGenerationSizeMb: 48 } });
    const read = await new Promise<AlarmTextsRead>((resolve, reject) => {
      worker.on('message', resolve);
      worker.on('error', reject);
      worker.on('exit', (code) => reject(new Error(`the worker exited with ${code} before answering`)));
    });
    await worker.terminate();
    expect(read.journalRows).toBe(2 + forgedRows);
    // Two cut texts, and the record's own fields: far below a megabyte.
    expect(read.longestJournalLine).toBeLessThan(4 * maxAlarmTextCharacters + 1000);
    expect(read.formulaCells).toBe(0);
    expect(read.packageAlarmRows).toBeGreaterThanOrEqual(2 + forgedRows);
  });
});
