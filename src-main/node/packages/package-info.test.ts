import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { parsePlantOrThrow } from '../../common/parse-plant.ts';
import { Recorder } from '../recording/recorder.ts';
import { readPackageInfo, packageMetaKeys } from './package-info.ts';
import { writeIncidentPackage } from './write-incident-package.ts';

const cli = fileURLToPath(new URL('../../../bin/twinline.js', import.meta.url));
const folder = mkdtempSync(join(tmpdir(), 'twinline-package-info-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

const plantText = `name: Packaged line
brokers:
  - { id: line, url: "mqtt://127.0.0.1:9" }
machines:
  - { id: oven, name: Oven, area: A, line: L, primitive: { shape: box }, signals: [{ id: temperature, topic: t/oven }] }
`;
const tours = `viewpoints:
  - { name: Oven door, position: [4, 3, 4], target: [0, 0, 0], machine: oven }
tours:
  - name: Incident
    steps:
      - { viewpoint: Oven door, caption: "Here it overheated", seconds: 5 }
`;
const t0 = 1_785_000_000_000;

/** A recording of one signal, a sample a second for a minute, alone in a folder of its own (a package is cut from its session). */
function recording(name: string): string {
  const plant = parsePlantOrThrow(plantText);
  const file = join(mkdtempSync(join(folder, `${name}-`)), 'source.twinline');
  const recorder = new Recorder(file, { plant, plantText, plantFileName: 'plant.yaml', models: new Map(), signalKeys: ['oven/temperature'], brokerIds: ['line'] }, { createdAt: t0 });
  for (let second = 0; second < 60; second++) recorder.recordSample(0, 50 + second, t0 + second * 1000);
  recorder.close();
  return file;
}

describe('incident package info', () => {
  it('carries a title, a summary and tours checked as the tours module reads them; refuses tours no view could show', () => {
    const source = recording('info');
    const made = join(folder, 'info.twinline');
    writeIncidentPackage(source, made, { from: t0 + 10_000, to: t0 + 20_000, title: '  Oven overheat ', summary: 'Door left open.\nSee the tour.', toursText: tours });
    const database = new DatabaseSync(made, { readOnly: true });
    try {
      expect(readPackageInfo(database)).toEqual({ title: 'Oven overheat', summary: 'Door left open.\nSee the tour.', toursText: tours, from: t0 + 10_000, to: t0 + 20_000, source: 'source.twinline' });
    } finally {
      database.close();
    }
    expect(() => writeIncidentPackage(source, join(folder, 'bad-tours.twinline'), { from: t0, to: t0 + 1000, toursText: 'tours:\n  - { name: Lost, steps: [{ viewpoint: Nowhere, seconds: 5 }] }\n' })).toThrow(/no viewpoint named "Nowhere"/);
    expect(() => writeIncidentPackage(source, join(folder, 'bad-title.twinline'), { from: t0, to: t0 + 1000, title: 'two\nlines' })).toThrow(/title/);
    expect(() => writeIncidentPackage(source, join(folder, 'outside.twinline'), { from: t0 + 120_000, to: t0 + 130_000 })).toThrow(/outside the recording/);
  });

  it('reads a forged value as absent, keeping the others', () => {
    const source = recording('forged');
    const made = join(folder, 'forged.twinline');
    writeIncidentPackage(source, made, { from: t0, to: t0 + 5000, title: 'Kept', summary: 'Kept too' });
    const database = new DatabaseSync(made);
    try {
      database.prepare('INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)').run(packageMetaKeys.tours, 'viewpoints: [{ name: x }]');
      database.prepare('INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)').run(packageMetaKeys.summary, 'bell \u0007');
      expect(readPackageInfo(database)).toEqual({ title: 'Kept', from: t0, to: t0 + 5000, source: 'source.twinline' });
      database.prepare('DELETE FROM meta WHERE key = ?').run(packageMetaKeys.range);
      expect(readPackageInfo(database)).toBeUndefined();
    } finally {
      database.close();
    }
  });

  it('twinline package takes the recording\'s own tours file beside it, and refuses to write over a file', async () => {
    const source = recording('command');
    writeFileSync(source.replace(/\.twinline$/, '.tours.yaml'), tours);
    const made = join(folder, 'command.twinline');
    const { stdout } = await promisify(execFile)(process.execPath, [cli, 'package', source, '--from', new Date(t0 + 1000).toISOString(), '--to', String(t0 + 9000), '--out', made, '--title', 'From the command line']);
    expect(stdout).toMatch(/Wrote .*command\.twinline: .* 9 samples, 0 alarm events, 0 annotations, 0 model files, the tours/);
    const database = new DatabaseSync(made, { readOnly: true });
    try {
      expect(readPackageInfo(database)).toMatchObject({ title: 'From the command line', toursText: tours });
    } finally {
      database.close();
    }
    await expect(promisify(execFile)(process.execPath, [cli, 'package', source, '--from', String(t0), '--to', String(t0 + 1000), '--out', made])).rejects.toThrow(/exists/);
  });
});

describe('a package among recordings', () => {
  it('never joins the session of the recordings beside it, whose times it overlaps', async () => {
    const { sessionFiles } = await import('../recording/recording-sequence.ts');
    const source = recording('among');
    const folderOf = source.slice(0, source.lastIndexOf('/'));
    const made = join(folderOf, 'twinline-incident.twinline');
    writeIncidentPackage(source, made, { from: t0 + 10_000, to: t0 + 20_000 });
    expect(sessionFiles(folderOf, source)).toEqual([source]);
    expect(sessionFiles(folderOf, made)).toEqual([made]);
  });
});

describe('a package opened alone', () => {
  it('has its tours placed beside it where an opened recording keeps them, never over a tours file there', async () => {
    const { placePackageTours } = await import('./package-tours.ts');
    const { readFileSync, copyFileSync } = await import('node:fs');
    const source = recording('tours');
    const made = join(folder, 'with-tours.twinline');
    writeIncidentPackage(source, made, { from: t0, to: t0 + 5000, toursText: tours });
    const alone = mkdtempSync(join(folder, 'alone-'));
    const lonely = join(alone, 'incident.twinline');
    copyFileSync(made, lonely);
    const lines: string[] = [];
    expect(placePackageTours(lonely, (line) => lines.push(line))).toBe(join(alone, 'incident.tours.yaml'));
    expect(readFileSync(join(alone, 'incident.tours.yaml'), 'utf8')).toBe(tours);
    writeFileSync(join(alone, 'incident.tours.yaml'), 'viewpoints: []\n');
    expect(placePackageTours(lonely, (line) => lines.push(line))).toBeUndefined();
    expect(readFileSync(join(alone, 'incident.tours.yaml'), 'utf8')).toBe('viewpoints: []\n');
    // A plain recording has none to place.
    expect(placePackageTours(source, (line) => lines.push(line))).toBeUndefined();
    expect(lines).toEqual([]);
  });
});
