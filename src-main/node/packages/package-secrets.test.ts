import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { AlarmEngine } from '../../common/alarms/alarm-engine.ts';
import { Health } from '../../common/health.ts';
import { parsePlantOrThrow } from '../../common/parse-plant.ts';
import { exportAlarmJournal } from '../recording/export-alarm-journal.ts';
import { alarmRows } from '../recording/recorded-alarms.ts';
import { Recorder } from '../recording/recorder.ts';
import { RecordingReader } from '../recording/recording-reader.ts';
import { exportMcap } from './export-mcap.ts';
import { writeIncidentPackage } from './write-incident-package.ts';

const folder = mkdtempSync(join(tmpdir(), 'twinline-package-secrets-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

// What the plant parses (a literal password is allowed, a URL with credentials is not) …
const parsedText = `name: Secret line
brokers:
  - { id: line, url: "mqtt://127.0.0.1:9", username: operator, password: "Hunter2-literal" }
machines:
  - { id: press, name: Press, area: A, line: L, primitive: { shape: box }, signals: [{ id: force, topic: t/force, limits: { highAlarm: 90 } }] }
`;
// … and the text a host is handed, credentials in the URL too, as an older or hand-made file may hold them.
const plantText = parsedText.replace('mqtt://127.0.0.1:9', 'mqtt://operator:Hunter2-in-url@127.0.0.1:9');
const secrets = ['Hunter2-literal', 'Hunter2-in-url'];
const plant = parsePlantOrThrow(parsedText);
const t0 = 1_790_000_000_000;

describe('exports of a plant whose broker has a password', () => {
  it('an incident package, its MCAP export and its alarm journal carry neither the literal password nor the one in the URL', async () => {
    const directory = join(folder, 'recordings');
    mkdirSync(directory);
    const file = join(directory, 'twinline-20260922-141320Z.twinline');
    const recorder = new Recorder(file, { plant, plantText, plantFileName: 'plant.yaml', models: new Map(), signalKeys: ['press/force'], brokerIds: ['line'] }, { createdAt: t0 });
    const engine = new AlarmEngine(plant);
    recorder.recordConnection(0, true, t0);
    recorder.recordSample(0, 95, t0 + 1000);
    engine.evaluate(0, Health.alarm, 95, t0 + 1000);
    engine.acknowledge([3], 'Ana', t0 + 2000);
    const { alarms, flood } = engine.takeTransitions();
    recorder.recordAlarmRows(alarmRows(alarms, flood));
    recorder.recordSample(0, 50, t0 + 3000);
    recorder.close();

    const packaged = join(folder, 'incident.twinline');
    writeIncidentPackage(file, packaged, { from: t0, to: t0 + 3000, title: 'Press trip', summary: 'Over force' });
    const mcap = join(folder, 'incident.mcap');
    const reader = new RecordingReader(packaged);
    let journal = '';
    try {
      expect(await exportMcap(reader, t0, t0 + 3000, mcap)).toBe(2);
      expect(exportAlarmJournal(reader, t0, t0 + 3000, (chunk) => void (journal += chunk))).toBeGreaterThan(0);
      // The package still says which broker it was recorded from.
      expect(reader.plantText).toContain('127.0.0.1:9');
    } finally {
      reader.close();
    }
    // Every byte of every file written, the log and index files beside the package included.
    const written = readdirSync(folder, { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile() && !entry.name.startsWith('twinline-2026'));
    expect(written.map((entry) => entry.name)).toEqual(expect.arrayContaining(['incident.mcap', 'incident.twinline']));
    for (const entry of written) {
      const bytes = readFileSync(join(entry.parentPath, entry.name));
      for (const secret of secrets) expect(bytes.includes(secret), `${entry.name} holds ${secret}`).toBe(false);
    }
    for (const secret of secrets) expect(journal).not.toContain(secret);
  });
});
