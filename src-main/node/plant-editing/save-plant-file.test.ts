import * as fs from 'node:fs';
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PlantFileError } from '../../common/parse-plant.ts';
import { contentHash, PlantFileConflict, savePlantFile, type SaveFileSystem } from './save-plant-file.ts';

const root = mkdtempSync(join(tmpdir(), 'twinline-save-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const version1 = '# first\nname: Line\nmachines: []\n';
const version2 = '# second\nname: Line\nmachines:\n  - { id: a, name: A, area: X, line: Y, primitive: { shape: box } }\n';

let folders = 0;
/** A folder of its own holding plant.yaml at version 1; returns the file and its hash as loaded. */
function plantFolder(): { file: string; folder: string; loaded: string } {
  const folder = join(root, `case-${++folders}`);
  fs.mkdirSync(folder);
  const file = join(folder, 'plant.yaml');
  writeFileSync(file, version1);
  return { file, folder, loaded: contentHash(version1) };
}

/** The real file system with one call made to fail, as a full disk or a dying drive would. */
function failing(call: 'writeSync' | 'renameSync' | 'fsyncSync'): SaveFileSystem {
  const fail = () => {
    throw Object.assign(new Error(`ENOSPC: no space left on device, ${call}`), { code: 'ENOSPC' });
  };
  if (call === 'writeSync') {
    // Half the bytes reach the disk before it fills up.
    let calls = 0;
    return { ...fs, writeSync: ((descriptor: number, buffer: Uint8Array, offset: number, length: number) => (++calls === 1 ? fs.writeSync(descriptor, buffer, offset, Math.ceil(length / 2)) : fail())) as typeof fs.writeSync };
  }
  return { ...fs, [call]: fail };
}

describe('savePlantFile', () => {
  it('writes the new text, keeps the previous version as .bak and leaves no temporary file', () => {
    const { file, folder, loaded } = plantFolder();
    const hash = savePlantFile(file, version2, { expectedHash: loaded });
    expect(readFileSync(file, 'utf8')).toBe(version2);
    expect(readFileSync(`${file}.bak`, 'utf8')).toBe(version1);
    expect(hash).toBe(contentHash(version2));
    expect(readdirSync(folder).sort()).toEqual(['plant.yaml', 'plant.yaml.bak']);
    // The hash it returns is what the next save expects.
    savePlantFile(file, version1, { expectedHash: hash });
    expect(readFileSync(`${file}.bak`, 'utf8')).toBe(version2);
  });

  it('keeps the file\'s permissions', () => {
    const { file, loaded } = plantFolder();
    chmodSync(file, 0o600);
    savePlantFile(file, version2, { expectedHash: loaded });
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
  });

  it('never writes an invalid plant', () => {
    const { file, loaded } = plantFolder();
    expect(() => savePlantFile(file, 'name: Line\nmachines: [{ id: a }]\n', { expectedHash: loaded })).toThrow(PlantFileError);
    expect(readFileSync(file, 'utf8')).toBe(version1);
  });

  for (const call of ['writeSync', 'fsyncSync', 'renameSync'] as const) {
    it(`leaves the old file whole when ${call} fails, and no temporary file behind`, () => {
      const { file, folder, loaded } = plantFolder();
      expect(() => savePlantFile(file, version2, { expectedHash: loaded, fileSystem: failing(call) })).toThrow(/Cannot save .*ENOSPC.*the file is unchanged/);
      expect(readFileSync(file, 'utf8')).toBe(version1);
      expect(readdirSync(folder).filter((name) => name.endsWith('.tmp'))).toEqual([]);
    });
  }

  it.skipIf(process.getuid?.() === 0)('leaves the old file whole in a folder it may not write to', () => {
    const { file, folder, loaded } = plantFolder();
    chmodSync(folder, 0o555);
    try {
      expect(() => savePlantFile(file, version2, { expectedHash: loaded })).toThrow(/Cannot save/);
      expect(readFileSync(file, 'utf8')).toBe(version1);
    } finally {
      chmodSync(folder, 0o755);
    }
  });

  it('refuses with a conflict when the file was changed since it was loaded, keeping the other change', () => {
    const { file, loaded } = plantFolder();
    const outside = `${version1}# added in another editor\n`;
    writeFileSync(file, outside);
    let thrown: unknown;
    try {
      savePlantFile(file, version2, { expectedHash: loaded });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(PlantFileConflict);
    expect((thrown as PlantFileConflict).currentHash).toBe(contentHash(outside));
    expect((thrown as Error).message).toContain('changed by someone else');
    expect(readFileSync(file, 'utf8')).toBe(outside);
    // Saving over it is a choice the user makes, with the hash of what is there now.
    savePlantFile(file, version2, { expectedHash: contentHash(outside) });
    expect(readFileSync(file, 'utf8')).toBe(version2);
  });

  it('refuses when the file was removed, and writes a new file only where none exists', () => {
    const { file, loaded } = plantFolder();
    rmSync(file);
    expect(() => savePlantFile(file, version2, { expectedHash: loaded })).toThrow(/was removed/);
    expect(existsSync(file)).toBe(false);
    savePlantFile(file, version2, { expectedHash: undefined });
    expect(readFileSync(file, 'utf8')).toBe(version2);
    expect(existsSync(`${file}.bak`)).toBe(false);
    expect(() => savePlantFile(file, version1, { expectedHash: undefined })).toThrow(PlantFileConflict);
  });
});
