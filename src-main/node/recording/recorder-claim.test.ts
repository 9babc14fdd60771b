import * as fs from 'node:fs';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { parsePlantOrThrow } from '../../common/parse-plant.ts';
import { partialRecordingSuffix } from './recorder.ts';

// Another host finishing its file between this recorder's look for the name and its claim cannot be timed
// with two real processes reliably; opening the claim is where it is made to happen.
const race = vi.hoisted(() => ({ finishOther: undefined as string | undefined }));
vi.mock('node:fs', async (importOriginal) => {
  const original = await importOriginal<typeof import('node:fs')>();
  const openSync = (path: fs.PathLike, flags: fs.OpenMode = 'r', mode?: fs.Mode) => {
    if (race.finishOther !== undefined && flags === 'wx' && String(path) === `${race.finishOther}${partialRecordingSuffix}`) {
      original.writeFileSync(race.finishOther, 'the other host\'s recording');
      race.finishOther = undefined;
    }
    return original.openSync(path, flags, mode);
  };
  return { ...original, openSync, default: { ...original, openSync } };
});

const { Recorder } = await import('./recorder.ts');
const { RecordingManager } = await import('./recording-manager.ts');

const folder = mkdtempSync(join(tmpdir(), 'twinline-recorder-claim-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

const plantText = `name: Claim
brokers:
  - { id: line, url: "mqtt://127.0.0.1:9" }
machines:
  - { id: press, name: Press, area: A, line: L, primitive: { shape: box }, signals: [{ id: force, topic: t/force }] }
`;
const source = { plant: parsePlantOrThrow(plantText), plantText, plantFileName: 'plant.yaml', models: new Map(), signalKeys: ['press/force'], brokerIds: ['line'] };

describe('Recorder claiming its file', () => {
  it('never renames its file over one another host finished under the same name after it looked', () => {
    const file = join(folder, 'twinline-20250101-000000Z.twinline');
    race.finishOther = file;
    let thrown: unknown;
    try {
      new Recorder(file, source).close();
    } catch (error) {
      thrown = error;
    }
    // EEXIST is what the recording manager takes as "use the next name".
    expect((thrown as NodeJS.ErrnoException | undefined)?.code).toBe('EEXIST');
    expect(readFileSync(file, 'utf8')).toBe('the other host\'s recording');
    expect(fs.existsSync(`${file}${partialRecordingSuffix}`)).toBe(false);
  });

  it('refuses a name another host took before it looked, with EEXIST so that the next name is taken', () => {
    const file = join(folder, 'twinline-20250101-000002Z.twinline');
    fs.writeFileSync(file, 'the other host\'s recording');
    expect(() => new Recorder(file, source)).toThrow(expect.objectContaining({ code: 'EEXIST' }));
    expect(readFileSync(file, 'utf8')).toBe('the other host\'s recording');
  });

  it('makes its file when the name is free', () => {
    const file = join(folder, 'twinline-20250101-000001Z.twinline');
    new Recorder(file, source).close();
    expect(fs.existsSync(file)).toBe(true);
    expect(fs.existsSync(`${file}${partialRecordingSuffix}`)).toBe(false);
  });

  it('leaves a name another host finished meanwhile to it, and records under the next one', () => {
    const directory = join(folder, 'manager');
    const now = Date.UTC(2025, 0, 1, 0, 0, 3);
    const file = join(directory, 'twinline-20250101-000003Z.twinline');
    race.finishOther = file;
    const manager = new RecordingManager(source, { directory, clock: () => now });
    manager.start();
    try {
      expect(manager.status().error ?? null).toBeNull();
      expect(manager.currentFile()).toBe(join(directory, 'twinline-20250101-000003Z-2.twinline'));
      expect(readFileSync(file, 'utf8')).toBe('the other host\'s recording');
    } finally {
      manager.stop();
    }
  });
});
