import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseToursText } from '../../common/tours/parse-tours.ts';
import { maxToursFileBytes, type ToursDocument } from '../../common/tours/tours-schema.ts';
import { readToursFile, ToursStore, toursFileFor, writeToursFile } from './tours-file.ts';

const folder = mkdtempSync(join(tmpdir(), 'twinline-tours-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

const document: ToursDocument = {
  version: 1,
  viewpoints: [
    { name: 'Melt shop', position: [10, 20, 30], target: [0, 0, 0] },
    { name: 'Stand F4', position: [-5, 8, 12.5], target: [1, 2, 3], machine: 'stand-f4', time: 1_764_584_543_000 },
  ],
  tours: [
    {
      name: 'Morning walk',
      steps: [
        { viewpoint: 'Melt shop', caption: 'The melt shop: two furnaces.', seconds: 5 },
        { viewpoint: 'Stand F4', caption: 'Stand F4 tripped at 06:12.\nHere is why.', seconds: 8, from: 1_764_584_000_000, speed: 4 },
      ],
    },
  ],
};

describe('tours files', () => {
  it('keeps a plant\'s tours beside it, named after it', () => {
    expect(toursFileFor('/plants/rolling/plant.yaml')).toBe('/plants/rolling/plant.tours.yaml');
    expect(toursFileFor('/r/session-1.twinline')).toBe('/r/session-1.tours.yaml');
  });

  it('writes a document atomically and reads it back the same; a missing file is empty', () => {
    const file = join(folder, 'plant.tours.yaml');
    expect(readToursFile(file)).toEqual({ version: 1, viewpoints: [], tours: [] });
    writeToursFile(file, document);
    expect(readToursFile(file)).toEqual(document);
    expect(readFileSync(file, 'utf8')).toContain('Morning walk');
    // Only the file itself is left: the temporary file was renamed over it.
    expect(readdirSync(folder)).toEqual(['plant.tours.yaml']);
  });

  it('refuses a step naming no viewpoint, two viewpoints of one name, control characters and out-of-range stays', () => {
    const bad = (change: (copy: ToursDocument) => void) => {
      const copy = structuredClone(document);
      change(copy);
      return () => writeToursFile(join(folder, 'bad.tours.yaml'), copy);
    };
    expect(bad((copy) => (copy.tours[0]!.steps[0]!.viewpoint = 'Nowhere'))).toThrow(/no viewpoint named "Nowhere"/);
    expect(bad((copy) => (copy.viewpoints[1]!.name = 'Melt shop'))).toThrow(/a second viewpoint named/);
    expect(bad((copy) => (copy.viewpoints[0]!.name = 'Melt\u0007shop'))).toThrow(/control characters/);
    expect(bad((copy) => (copy.tours[0]!.steps[0]!.seconds = 0))).toThrow();
    expect(bad((copy) => (copy.viewpoints[0]!.position = [Number.NaN, 0, 0]))).toThrow();
    expect(readdirSync(folder)).not.toContain('bad.tours.yaml');
  });

  it('reads text bounded in size and refuses YAML that expands through aliases', () => {
    expect(() => parseToursText(`# ${'x'.repeat(maxToursFileBytes)}`)).toThrow(/larger than/);
    const bomb = ['a: &a ["x","x","x","x","x","x","x","x","x","x"]', ...Array.from({ length: 8 }, (_, index) => `${String.fromCharCode(98 + index)}: &${String.fromCharCode(98 + index)} [${Array(10).fill(`*${String.fromCharCode(97 + index)}`).join(',')}]`)].join('\n');
    expect(() => parseToursText(bomb)).toThrow();
    expect(parseToursText('')).toEqual({ version: 1, viewpoints: [], tours: [] });
  });

  it('a store reports a damaged file instead of throwing, saves only when writable, and validates what a view sends', () => {
    const file = join(folder, 'damaged.tours.yaml');
    writeFileSync(file, 'viewpoints: [ {name: 1} ]');
    const store = new ToursStore({ file, writable: true });
    expect(store.view()).toMatchObject({ fileName: 'damaged.tours.yaml', writable: true, problem: expect.stringContaining('not a valid tours file'), document: { viewpoints: [] } });
    expect(() => store.save({ viewpoints: [{ name: 'x', position: [0, 0], target: [0, 0, 0] }] })).toThrow(/the tours sent is not a valid tours file/);
    expect(store.save(document)).toMatchObject({ problem: null, document });
    const readOnly = new ToursStore({ file, writable: false });
    expect(readOnly.view().document).toEqual(document);
    expect(() => readOnly.save(document)).toThrow(/read-only/);
  });

  it('reports a folder or a pipe where the tours file belongs at once, without naming the host\'s folders to views', () => {
    const inner = join(folder, 'where');
    mkdirSync(join(inner, 'folder.tours.yaml'), { recursive: true });
    const store = new ToursStore({ file: join(inner, 'folder.tours.yaml'), writable: true });
    expect(store.view().problem).toMatch(/folder\.tours\.yaml is not a file/);
    let saveError = '';
    try {
      store.save(document);
    } catch (error) {
      saveError = error instanceof Error ? error.message : String(error);
    }
    expect(saveError).toMatch(/cannot save folder\.tours\.yaml/);
    expect(saveError).not.toContain(inner);
    expect(readdirSync(inner)).toEqual(['folder.tours.yaml']);
    if (process.platform === 'win32') return;
    // A pipe would block the host's loop on opening until someone wrote to it: read in a child, so a regression fails in time instead of hanging the run.
    const pipe = join(inner, 'pipe.tours.yaml');
    execFileSync('mkfifo', [pipe]);
    const script = `import { ToursStore } from ${JSON.stringify(new URL('./tours-file.ts', import.meta.url).href)}; process.stdout.write(String(new ToursStore({ file: ${JSON.stringify(pipe)}, writable: false }).view().problem));`;
    const child = spawnSync(process.execPath, ['--input-type=module', '--eval', script], { timeout: 20_000, encoding: 'utf8' });
    expect(child.stdout).toMatch(/pipe\.tours\.yaml is not a file/);
  });
});
