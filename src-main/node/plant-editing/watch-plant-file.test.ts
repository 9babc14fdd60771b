import { mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { until } from '../testing/until.ts';
import { contentHash, savePlantFile } from './save-plant-file.ts';
import { watchPlantFile, type PlantFileChange, type PlantFileWatch } from './watch-plant-file.ts';

const root = mkdtempSync(join(tmpdir(), 'twinline-watch-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const plant = (name: string) => `name: ${name}\nmachines: []\n`;

let cases = 0;
let running: PlantFileWatch | undefined;
afterEach(() => running?.stop());

/** A plant file in a folder of its own, watched; every change and error is kept in order. */
function watched(): { file: string; changes: PlantFileChange[]; errors: Error[]; watch: PlantFileWatch; checks: () => number } {
  const folder = join(root, `case-${++cases}`);
  const file = join(folder, 'plant.yaml');
  mkdirSync(folder);
  writeFileSync(file, plant('First'));
  const changes: PlantFileChange[] = [];
  const errors: Error[] = [];
  let checks = 0;
  running = watchPlantFile(file, { knownHash: contentHash(plant('First')), onChange: (change) => changes.push(change), onError: (error) => errors.push(error), onChecked: () => checks++, debounceMs: 50 });
  return { file, changes, errors, watch: running, checks: () => checks };
}

describe('watchPlantFile', () => {
  it('reports a file written in place, once it has settled', async () => {
    const { file, changes, errors } = watched();
    writeFileSync(file, plant('Sec'));
    writeFileSync(file, plant('Second'));
    await until(() => changes.length > 0, 'a change', () => changes);
    expect(changes[0]).toEqual({ text: plant('Second'), hash: contentHash(plant('Second')) });
    expect(errors).toEqual([]);
  });

  it('reports a file replaced by a rename, as editors save', async () => {
    const { file, changes } = watched();
    const written = `${file}.swp`;
    writeFileSync(written, plant('Renamed'));
    renameSync(written, file);
    await until(() => changes.length > 0, 'a change', () => changes);
    expect(changes[0]!.text).toBe(plant('Renamed'));
  });

  it('reports a file deleted and written anew when the new one is there', async () => {
    const { file, changes } = watched();
    rmSync(file);
    writeFileSync(file, plant('Recreated'));
    await until(() => changes.length > 0, 'a change', () => changes);
    expect(changes.map((change) => change.text)).toEqual([plant('Recreated')]);
  });

  it('does not report a write that leaves the content as it was, nor the host\'s own save', async () => {
    const { file, changes, watch, checks } = watched();
    writeFileSync(file, plant('First'));
    await until(() => checks() > 0, 'a look at the rewritten file');
    const saved = savePlantFile(file, plant('Saved by the editor'), { expectedHash: contentHash(plant('First')) });
    watch.acknowledge(saved);
    await until(() => checks() > 1, 'a look at the saved file');
    // Only a real outside change is reported: it is the first and only one.
    writeFileSync(file, plant('Outside'));
    await until(() => changes.length > 0, 'a change', () => changes);
    expect(changes.map((change) => change.text)).toEqual([plant('Outside')]);
  });

  it('stops reporting once stopped', async () => {
    const first = watched();
    first.watch.stop();
    writeFileSync(first.file, plant('Unseen'));
    // A second watch on another file proves events are flowing meanwhile.
    const second = watched();
    writeFileSync(second.file, plant('Seen'));
    await until(() => second.changes.length > 0, 'the second watch\'s change');
    expect(first.changes).toEqual([]);
    expect(first.checks()).toBe(0);
  });
});
