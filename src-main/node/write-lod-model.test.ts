import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { fixtureModels } from '../../scripts/write-cad-fixtures.ts';
import { describeModel, type ModelDescription } from './describe-models.ts';
import { lodFileName } from './write-lod-model.ts';
import { modelNodeNames } from './testing/model-node-names.ts';
import { runTwinline } from './testing/run-twinline.ts';

const fixtures = fileURLToPath(new URL('../../e2e/fixtures/cad/', import.meta.url));
const demoModels = fileURLToPath(new URL('../../models/', import.meta.url));
const folder = mkdtempSync(join(tmpdir(), 'twinline-lod-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));


const sizeOf = (description: ModelDescription) => description.bounds!.max.map((max, axis) => max - description.bounds!.min[axis]!);

describe('twinline models --lod', () => {
  it('writes a valid simplified copy of every CAD fixture that binds the same nodes at the same size, in --out', { timeout: 90_000 }, async () => {
    const out = join(folder, 'fixtures');
    mkdirSync(out);
    const files = fixtureModels.map((model) => join(fixtures, model.file));
    const result = await runTwinline(['models', '--lod', '--out', out, ...files]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    for (const file of files) {
      const written = lodFileName(file, out);
      expect(result.stdout).toContain(`${file}: `);
      expect(result.stdout).toContain(`wrote ${written}`);
      const [before, after] = [await describeModel(file), await describeModel(written)];
      expect(after.problem, written).toBeUndefined();
      expect(after.validation, written).toMatchObject({ errors: 0 });
      expect(after.triangles, written).toBeGreaterThan(0);
      expect(after.triangles, written).toBeLessThanOrEqual(before.triangles);
      expect(modelNodeNames(after), written).toEqual(modelNodeNames(before));
      expect(after.materials, written).toEqual(before.materials);
      // Written plain: the far level needs no decoder of its own.
      expect(after.extensionsRequired, written).not.toContain('KHR_draco_mesh_compression');
      expect(after.extensionsRequired, written).not.toContain('EXT_meshopt_compression');
      sizeOf(after).forEach((value, axis) => expect(value, `${written} size[${axis}]`).toBeCloseTo(sizeOf(before)[axis]!, 1));
    }
    // The Draco milling machine's 64-triangle spindle is simplified; its boxes are too small to gain.
    expect(result.stdout).toMatch(/milling-machine-draco\.glb: 112 → \d+ triangles/);
    expect((await describeModel(lodFileName(join(fixtures, 'milling-machine-draco.glb'), out))).triangles).toBeLessThan(112);
  });

  it('keeps about the share --ratio asks for of a dense model, beside it by default', { timeout: 60_000 }, async () => {
    const source = join(folder, 'furnace.glb');
    copyFileSync(join(demoModels, 'furnace.glb'), source);
    const result = await runTwinline(['models', '--lod', '--ratio', '0.3', source]);
    expect(result.code).toBe(0);
    const written = join(folder, 'furnace.lod.glb');
    expect(existsSync(written)).toBe(true);
    const [before, after] = [await describeModel(source), await describeModel(written)];
    expect(result.stdout).toBe(`${source}: ${before.triangles.toLocaleString('en-US')} → ${after.triangles.toLocaleString('en-US')} triangles (${Math.round((after.triangles / before.triangles) * 100)} %), wrote ${written}\n`);
    expect(after.triangles).toBeLessThan(before.triangles * 0.5);
    expect(after.validation).toMatchObject({ errors: 0 });
  });

  it('reports a broken file with exit code 1, writes nothing for it, and still simplifies the files after it', { timeout: 60_000 }, async () => {
    const out = join(folder, 'broken');
    mkdirSync(out);
    const result = await runTwinline(['models', '--lod', '--out', out, join(fixtures, 'broken-truncated.glb'), join(fixtures, 'broken-json.glb'), join(fixtures, 'welding-cell.glb')]);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(`${join(fixtures, 'broken-truncated.glb')}: cannot be read:`);
    expect(result.stdout).toContain(`${join(fixtures, 'broken-json.glb')}: cannot be read:`);
    expect(existsSync(join(out, 'broken-truncated.lod.glb'))).toBe(false);
    expect(existsSync(join(out, 'broken-json.lod.glb'))).toBe(false);
    expect(existsSync(join(out, 'welding-cell.lod.glb'))).toBe(true);
  });

  it('refuses a .gltf that refers to a file outside its folder, instead of copying that file into the far level', { timeout: 60_000 }, async () => {
    const inside = join(folder, 'inside');
    mkdirSync(inside);
    writeFileSync(join(folder, 'secret.bin'), Buffer.alloc(64, 7));
    const gltf = { asset: { version: '2.0' }, buffers: [{ uri: '../secret.bin', byteLength: 64 }] };
    writeFileSync(join(inside, 'escape.gltf'), JSON.stringify(gltf));
    const result = await runTwinline(['models', '--lod', join(inside, 'escape.gltf')]);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe(`${join(inside, 'escape.gltf')}: is not simplified: it refers to ../secret.bin: a ".." step out of the folder\n`);
    expect(existsSync(join(inside, 'escape.lod.glb'))).toBe(false);
  });

  it('refuses a ratio outside (0, 1], a missing --out folder, and --ratio without --lod', async () => {
    const file = join(fixtures, 'welding-cell.glb');
    for (const args of [['--ratio', '0'], ['--ratio', '1.5'], ['--ratio', 'half'], ['--out', join(folder, 'nowhere')]]) {
      const result = await runTwinline(['models', '--lod', ...args, file]);
      expect(result.code, args.join(' ')).toBe(1);
      expect(result.stderr, args.join(' ')).toMatch(/--ratio is the share of triangles|--out .* does not exist/);
    }
    const withoutLod = await runTwinline(['models', '--ratio', '0.5', file]);
    expect(withoutLod.code).toBe(1);
    expect(withoutLod.stderr).toContain('--ratio and --out go with --lod');
  });
});
