import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveModelFile } from './resolve-served-file.ts';

let root: string;
let models: string;

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'twinline-served-'));
  models = join(root, 'models');
  mkdirSync(join(models, 'textures'), { recursive: true });
  writeFileSync(join(root, 'secret.bin'), 'TOP SECRET');
  const gltf = {
    asset: { version: '2.0' },
    buffers: [{ uri: 'robot.bin', byteLength: 4 }, { uri: '../secret.bin', byteLength: 4 }, { uri: 'data:application/octet-stream;base64,AAAA', byteLength: 3 }],
    images: [
      { uri: 'textures/paint%20red.png' },
      { uri: 'robot.webp' },
      { uri: '/etc/passwd' },
      { uri: 'file:///etc/passwd' },
      { uri: 'https://cdn.example/x.png' },
      { uri: 'linked-out.png' },
    ],
  };
  writeFileSync(join(models, 'robot.gltf'), JSON.stringify(gltf));
  for (const file of ['robot.bin', 'textures/paint red.png', 'robot.webp', 'press.glb', 'unreferenced.bin', 'press.bin']) writeFileSync(join(models, file), 'bytes');
  // Named by the .gltf, but a link to a file outside the models folder.
  symlinkSync(join(root, 'secret.bin'), join(models, 'linked-out.png'));
  // A .gltf the plant does not name: what it refers to is not served.
  writeFileSync(join(models, 'other.gltf'), JSON.stringify({ asset: { version: '2.0' }, buffers: [{ uri: 'unreferenced.bin', byteLength: 4 }] }));
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('resolveModelFile', () => {
  const plantFiles = () => new Set(['robot.gltf', 'press.glb']);

  it("serves the plant's model files and exactly the .bin and textures its .gltf models refer to", async () => {
    const served = realpathSync(models);
    const files = plantFiles();
    for (const file of ['robot.gltf', 'press.glb', 'robot.bin', 'textures/paint red.png', 'robot.webp']) {
      expect(await resolveModelFile(models, files, file), file).toBe(join(served, file));
    }
  });

  it('serves nothing else: unreferenced files, traversal, absolute references, links that lead outside', async () => {
    const files = plantFiles();
    for (const file of ['unreferenced.bin', 'press.bin', 'other.gltf', '../secret.bin', 'secret.bin', 'etc/passwd', '/etc/passwd', 'linked-out.png', 'textures/paint%20red.png', 'textures']) {
      expect(await resolveModelFile(models, files, file), file).toBeUndefined();
    }
  });

  it("serves no .gltf's references when the plant names only binary models", async () => {
    expect(await resolveModelFile(models, new Set(['press.glb']), 'robot.bin')).toBeUndefined();
  });

  it('follows a .gltf that is edited after it was first read, once its references were re-read', async () => {
    const files = new Set(['later.gltf']);
    writeFileSync(join(models, 'later.gltf'), JSON.stringify({ asset: { version: '2.0' }, buffers: [] }));
    expect(await resolveModelFile(models, files, 'press.bin')).toBeUndefined();
    writeFileSync(join(models, 'later.gltf'), JSON.stringify({ asset: { version: '2.0' }, buffers: [{ uri: 'press.bin', byteLength: 5 }] }));
    // A new set (as a new plant brings) reads the .gltf again at once.
    expect(await resolveModelFile(models, new Set(files), 'press.bin')).toBe(join(realpathSync(models), 'press.bin'));
  });

  it('refers to nothing from a .gltf that is not JSON', async () => {
    writeFileSync(join(models, 'broken.gltf'), '{"buffers": [{"uri": "press.bin"');
    expect(await resolveModelFile(models, new Set(['broken.gltf']), 'press.bin')).toBeUndefined();
  });
});
