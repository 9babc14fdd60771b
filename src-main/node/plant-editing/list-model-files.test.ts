import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { listModelFiles, maxListedModelFiles } from './list-model-files.ts';

const folder = mkdtempSync(join(tmpdir(), 'twinline-list-models-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

describe('listModelFiles', () => {
  it('lists glTF files under the models folder by relative name, and nothing else', () => {
    const models = join(folder, 'models');
    mkdirSync(join(models, 'robots', 'arms'), { recursive: true });
    mkdirSync(join(models, '.git'));
    writeFileSync(join(models, 'press.glb'), 'glTF');
    writeFileSync(join(models, 'Conveyor.GLTF'), '{}');
    writeFileSync(join(models, 'conveyor.bin'), '');
    writeFileSync(join(models, 'notes.txt'), '');
    writeFileSync(join(models, '.hidden.glb'), '');
    writeFileSync(join(models, '.git', 'object.glb'), '');
    writeFileSync(join(models, 'robots', 'arms', 'arm.glb'), '');
    writeFileSync(join(folder, 'outside.glb'), '');
    // A link could lead out of the folder: it is not offered.
    symlinkSync(join(folder, 'outside.glb'), join(models, 'linked.glb'));
    expect(listModelFiles(models)).toEqual({ files: ['Conveyor.GLTF', 'press.glb', 'robots/arms/arm.glb'], more: 0 });
  });

  it('lists nothing for a missing folder', () => {
    expect(listModelFiles(join(folder, 'no-such-folder'))).toEqual({ files: [], more: 0 });
  });

  it('stops at its bound and counts the rest', () => {
    const many = join(folder, 'many');
    mkdirSync(many);
    for (let index = 0; index < maxListedModelFiles + 3; index++) writeFileSync(join(many, `m${String(index).padStart(4, '0')}.glb`), '');
    const listed = listModelFiles(many);
    expect(listed.files).toHaveLength(maxListedModelFiles);
    expect(listed.more).toBe(3);
  });
});
