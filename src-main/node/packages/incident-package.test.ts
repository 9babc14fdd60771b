import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterEach, describe, expect, it } from 'vitest';
import { applyFrame, createFrameBuffer } from '../../../src-renderer/telemetry/frame-buffer.ts';
import type { AlarmSnapshot } from '../../common/alarms/alarm-record.ts';
import type { TwinlineSource } from '../../common/contract.ts';
import { seededRandom } from '../../common/seeded-random.ts';
import { openRecording } from '../open-recording.ts';
import { RecordingReader } from '../recording/recording-reader.ts';
import type { ViewPlayer } from '../replay/view-player.ts';
import { startRecordingHostRig, type RecordingHostRig } from '../testing/recording-host-rig.ts';
import { until } from '../testing/until.ts';
import { readPackageInfo } from './package-info.ts';
import { writeIncidentPackage } from './write-incident-package.ts';

const machineCount = 4;
const plantDefinition = {
  name: 'Incident plant',
  brokers: [{ id: 'line' }],
  machines: Array.from({ length: machineCount }, (_, index) => ({
    id: `m${index}`,
    ...(index === 0 ? { fields: { model: { file: 'press.glb' } } } : {}),
    signals: [
      { id: 'temperature', topic: `t/m${index}/temperature`, unit: '°C', limits: { highWarn: 80, highAlarm: 90, onDelay: 0.2 } },
      { id: 'speed', topic: `t/m${index}/speed`, staleAfter: 0.6 },
    ],
  })),
};
const highAlarm = (index: number) => index * 8 + 3;

let rig: RecordingHostRig | undefined;

afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

/** What a view holds at the moment shown: every value, sample time and health, and the alarms. */
async function shownBy(player: TwinlineSource & { alarms(): Promise<AlarmSnapshot> }, signals: number, machines: number): Promise<string> {
  const view = createFrameBuffer(signals, machines);
  applyFrame(view, await player.snapshot(), 0);
  const state = view.getState();
  const alarms = await player.alarms();
  return JSON.stringify({ values: [...state.values], sampleTimes: [...state.sampleTimes], signalHealth: [...state.signalHealth], machineHealth: [...state.machineHealth], flood: alarms.flood, alarms: alarms.alarms });
}

describe('incident packages', () => {
  it('a package of a real recorded session replays what the session did at 100 random moments, its first and last millisecond included, holds nothing outside its range and opens alone, offline', { timeout: 120_000 }, async () => {
    const withModels = (folder: string) => {
      mkdirSync(join(folder, 'models'));
      writeFileSync(join(folder, 'models', 'press.glb'), Buffer.from('glTF-test-bytes'));
      writeFileSync(join(folder, 'models', 'unused.glb'), Buffer.from('not named by the plant'));
    };
    // Files roll over about every 1.5 s, so the package is cut across several files of one session.
    rig = await startRecordingHostRig({ name: 'package', plant: plantDefinition, maxFileMs: 1500, prepare: withModels });
    const { folder, problems, publisher } = rig;
    const live = rig.connectView();
    const random = seededRandom(20_261_201);
    const started = Date.now();
    let acknowledged = false;
    let lastPublished = started;
    let id = 1;
    // Six seconds of telemetry: temperatures wander through their warning and alarm limits, speeds fall silent now and then (stale).
    while (Date.now() - started < 6000) {
      const index = Math.floor(random() * machineCount);
      const temperature = Math.round((60 + random() * 40) * 10) / 10;
      await publisher.publishAsync(`t/m${index}/temperature`, String(temperature));
      if (random() < 0.6) await publisher.publishAsync(`t/m${index}/speed`, JSON.stringify({ value: Math.round(random() * 1000) / 10 }));
      lastPublished = Date.now();
      if (!acknowledged && Date.now() - started > 2500) {
        const reply = await live.ask(id++, 'alarmAction', { action: 'acknowledge', alarms: Array.from({ length: machineCount }, (_, machine) => highAlarm(machine)), operator: 'Ana' });
        acknowledged = reply.ok;
      }
      await new Promise((resolve) => setTimeout(resolve, 15 + random() * 40));
    }
    // Until everything is committed: the last sample arrived after it was published (the wait after it does not count).
    await until(async () => ((await live.ask(id++, 'getPlayer')).result as { range: { end: number } }).range.end >= lastPublished - 50, 'the recording to hold the last samples', undefined, 60_000);
    await rig.stopHost();
    expect(problems).toEqual([]);
    const files = rig.recordingFiles();
    expect(files.length).toBeGreaterThanOrEqual(3);

    const source = rig.replayNewest();
    const signalCount = source.describePlant().signalKeys.length;
    const sourceRange = (await source.player()).range;
    // A range inside the session, across its files, with both ends off any event.
    const from = Math.round(sourceRange.start + (sourceRange.end - sourceRange.start) * 0.2) + 0.4;
    const to = Math.round(sourceRange.start + (sourceRange.end - sourceRange.start) * 0.85);
    const packageFolder = join(folder, 'made');
    mkdirSync(packageFolder);
    const made = join(packageFolder, 'incident.twinline');
    const result = writeIncidentPackage(files[1]!, made, { from, to, title: 'Press overheating', summary: 'Temperatures rose on every machine.\nSee m0.' });
    expect(result).toMatchObject({ from: Math.round(from), to, models: 1 });
    expect(result.samples).toBeGreaterThan(100);
    expect(existsSync(`${made}.making`)).toBe(false);
    // Refused over an existing file.
    expect(() => writeIncidentPackage(files[1]!, made, { from, to })).toThrow(/exists/);

    // Copied alone into an empty folder: no plant, no models, no other recording beside it.
    const alone = mkdtempSync(join(tmpdir(), 'twinline-package-alone-'));
    try {
      const lonely = join(alone, 'incident.twinline');
      copyFileSync(made, lonely);
      expect(readdirSync(alone)).toEqual(['incident.twinline']);

      // Exactly the range: every event of the source inside it, nothing outside, the keyframe at its first millisecond.
      const packaged = new RecordingReader(lonely);
      try {
        expect(packaged.timeRange()).toEqual({ start: Math.round(from), end: to });
        const inside = [...packaged.eventsBetween(0, Number.MAX_SAFE_INTEGER)];
        expect(inside.every((event) => event.time >= Math.round(from) && event.time <= to)).toBe(true);
        const expectedEvents: unknown[] = [];
        for (const file of files) {
          const reader = new RecordingReader(file);
          try {
            expectedEvents.push(...reader.eventsBetween(Math.round(from), to));
          } finally {
            reader.close();
          }
        }
        expect(inside).toEqual(expectedEvents);
        expect(packaged.healthEvents(0, Number.MAX_SAFE_INTEGER).every((event) => event.time >= Math.round(from) && event.time <= to)).toBe(true);
        expect(packaged.model('press.glb')).toEqual(new Uint8Array(Buffer.from('glTF-test-bytes')));
        expect(packaged.model('unused.glb')).toBeUndefined();
      } finally {
        packaged.close();
      }
      const database = new DatabaseSync(lonely, { readOnly: true });
      try {
        expect(readPackageInfo(database)).toEqual({ title: 'Press overheating', summary: 'Temperatures rose on every machine.\nSee m0.', from: Math.round(from), to, source: files[0]!.split('/').at(-1) });
        const outside = database.prepare('SELECT count(*) AS count FROM alarm_events WHERE time < ? OR time > ?').get(Math.round(from), to) as { count: number };
        expect(outside.count).toBe(0);
      } finally {
        database.close();
      }

      // Opened as `twinline open` opens it: in a worker, with the models it carries written to a private folder.
      const opened = await openRecording(lonely, (line) => problems.push(line));
      try {
        expect(readdirSync(opened.modelsDirectory)).toEqual(['press.glb']);
        const replayed = opened.createViewSource() as ViewPlayer;
        try {
          const range = (await replayed.player()).range;
          expect(range).toEqual({ start: Math.round(from), end: to });
          const moments = [range.start, range.end, ...Array.from({ length: 100 }, () => Math.round(range.start + random() * (range.end - range.start)))];
          let alarmed = 0;
          for (const time of moments) {
            expect((await source.command({ action: 'seek', time })).time).toBe(time);
            expect((await replayed.command({ action: 'seek', time })).time).toBe(time);
            const expected = await shownBy(source, signalCount, machineCount);
            expect(await shownBy(replayed, signalCount, machineCount), `at ${time - range.start} ms into the package`).toBe(expected);
            if (expected.includes('"state":"active')) alarmed++;
          }
          // The moments compared include alarms standing, so the alarms' replay is tested too.
          expect(alarmed).toBeGreaterThan(5);
        } finally {
          replayed.dispose();
        }
      } finally {
        opened.close();
      }
    } finally {
      source.dispose();
      rmSync(alone, { recursive: true, force: true });
    }
    expect(problems).toEqual([]);
  });
});
