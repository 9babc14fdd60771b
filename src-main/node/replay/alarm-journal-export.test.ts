import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { AlarmEngine } from '../../common/alarms/alarm-engine.ts';
import { Health } from '../../common/health.ts';
import { HostClient } from '../../common/host-client.ts';
import { parsePlantOrThrow } from '../../common/parse-plant.ts';
import { serveView } from '../../common/view-session.ts';
import { endpointPair } from '../endpoint-pair.ts';
import { openRecording } from '../open-recording.ts';
import { alarmRows } from '../recording/recorded-alarms.ts';
import { Recorder } from '../recording/recorder.ts';

const cli = fileURLToPath(new URL('../../../bin/twinline.js', import.meta.url));
const folder = mkdtempSync(join(tmpdir(), 'twinline-journal-view-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

const plantText = `name: Journal line
brokers:
  - { id: line, url: "mqtt://127.0.0.1:9" }
machines:
  - { id: stand-f4, name: Finishing stand F4, area: Mill, line: L, primitive: { shape: box }, signals: [{ id: roll-force, topic: t/force, unit: MN, limits: { highAlarm: 30, priority: { highAlarm: critical } } }] }
`;
const t0 = Date.parse('2026-11-25T06:00:00Z');

/** A recording in which the roll force alarm is raised, acknowledged, shelved by a name that looks like a formula, and returns to normal. */
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

/** The journal `twinline export --alarms` writes for a range. */
function cliJournal(file: string, from: number, to: number): string {
  const result = spawnSync(process.execPath, [cli, 'export', file, '--alarms', '--from', new Date(from).toISOString(), '--to', new Date(to).toISOString()], { encoding: 'utf8', timeout: 30_000 });
  expect(result.stderr).toBe('');
  return result.stdout;
}

describe('the alarm journal through the contract', () => {
  it('streams, from the view replay worker, the same rows as twinline export --alarms for the same range, and refuses a reversed range', async () => {
    const file = journalRecording();
    const opened = await openRecording(file, () => undefined);
    const source = opened.createViewSource();
    const [hostSide, viewSide] = endpointPair();
    const end = serveView(hostSide, source, (problem) => expect.fail(problem));
    const client = new HostClient(viewSide);
    try {
      const { range } = await client.request('getPlayer', {});
      const chunks: string[] = [];
      const whole = await client.request('exportAlarmJournal', { from: range.start, to: range.end }, (chunk) => chunks.push(chunk));
      const csv = chunks.join('');
      expect(csv).toBe(cliJournal(file, range.start, range.end));
      expect(whole).toEqual({ rows: 5, bytes: Buffer.byteLength(csv) });
      // The operator who acknowledged, and a formula-looking name written as text.
      expect(csv).toContain(',acknowledge,stand-f4,roll-force,highAlarm,critical,activeAcknowledged,Ana Lima,');
      expect(csv).toContain(`"'=HYPERLINK(""x"")"`);

      const part = await client.exportAlarmJournal({ from: t0 + 2000, to: t0 + 3000 });
      expect(part.csv).toBe(cliJournal(file, t0 + 2000, t0 + 3000));
      expect(part.rows).toBe(2);

      await expect(client.request('exportAlarmJournal', { from: t0 + 3000, to: t0 })).rejects.toThrow(/to must not be before from/);
    } finally {
      client.close();
      end();
      source.dispose?.();
      opened.close();
    }
  });
});
