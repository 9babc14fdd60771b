import { copyFileSync, mkdirSync, mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { fixtureModels } from '../../scripts/write-cad-fixtures.ts';
import { describeModel, maxModelBytes, type ModelDescription } from './describe-models.ts';
import { modelNodeNames } from './testing/model-node-names.ts';
import { runTwinline } from './testing/run-twinline.ts';

const fixtures = fileURLToPath(new URL('../../e2e/fixtures/cad/', import.meta.url));
const fixture = (name: string) => join(fixtures, name);
const folder = mkdtempSync(join(tmpdir(), 'twinline-models-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));


describe('twinline models', () => {
  it('describes every CAD fixture: node names, triangles, materials, extensions, size in metres and a clean validator result', { timeout: 60_000 }, async () => {
    const result = await runTwinline(['models', '--json', ...fixtureModels.map((model) => fixture(model.file))]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const descriptions = JSON.parse(result.stdout) as ModelDescription[];
    expect(descriptions.map((description) => description.file)).toEqual(fixtureModels.map((model) => fixture(model.file)));
    for (const [index, model] of fixtureModels.entries()) {
      const description = descriptions[index]!;
      expect(description.problem, model.file).toBeUndefined();
      expect(description.validation, model.file).toMatchObject({ errors: 0 });
      expect(description.triangles, model.file).toBeGreaterThan(0);
      expect(description.materials.length, model.file).toBeGreaterThan(0);
      if (model.node !== undefined) expect(modelNodeNames(description), model.file).toContain(model.node);
      // The press is in millimetres with z up: glTF metres say 1,000 times too large, its height along z.
      const expected = model.file === 'press-mm-zup.glb' ? [2400, 1800, 3600] : model.bounds.max.map((max, axis) => max - model.bounds.min[axis]!);
      const size = description.bounds!.max.map((max, axis) => max - description.bounds!.min[axis]!);
      size.forEach((value, axis) => expect(value, `${model.file} size[${axis}]`).toBeCloseTo(expected[axis]!, 2));
    }
    const byFile = (file: string) => descriptions[fixtureModels.findIndex((model) => model.file === file)]!;
    expect(byFile('milling-machine-draco.glb').extensionsRequired).toEqual(['EXT_texture_webp', 'KHR_draco_mesh_compression']);
    expect(byFile('milling-machine-draco.glb').roots.map((root) => root.name)).toEqual(['006435-1 - Teil 1', '006435-1 - Teil 2', '006435-1 - Teil 3', '006435-1 - Teil 4', '006435-1 - Teil 5']);
    expect(byFile('robot-meshopt.glb').extensionsRequired).toEqual(['EXT_meshopt_compression', 'KHR_mesh_quantization']);
    expect(byFile('robot-meshopt.glb').extensionsUsed).toContain('KHR_materials_emissive_strength');
    expect(byFile('agv-ktx2.glb').extensionsRequired).toEqual(['KHR_texture_basisu']);
    expect(byFile('conveyor.gltf').extensionsUsed).toEqual(['KHR_texture_transform']);
    // Each box part is 12 triangles; the milling machine's spindle is a 16-sided cylinder (64).
    expect(byFile('milling-machine-draco.glb').triangles).toBe(4 * 12 + 64);
  });

  it('reads readably: the tree of names to bind, sizes, and a hint when a file is in millimetres', { timeout: 60_000 }, async () => {
    const result = await runTwinline(['models', fixture('press-mm-zup.glb'), fixture('robot-meshopt.glb')]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('nodes (6 roots: leave node out for the whole file, or bind one by name):');
    expect(result.stdout).toContain('"006512-3 - Teil 1"  2,400 × 1,800 × 500 m  12 triangles  Lack RAL 7035');
    expect(result.stdout).toContain('if the file is in millimetres, give the model units: mm');
    expect(result.stdout).toContain('extensions: required EXT_meshopt_compression, KHR_mesh_quantization; used EXT_meshopt_compression, KHR_materials_emissive_strength, KHR_mesh_quantization');
    expect(result.stdout).toMatch(/\n {4}"robot" {2}1\.7 × 2\.2 × 1 m\n {6}"base"/);
    expect(result.stdout).toContain('validator:  0 errors, 0 warnings');
  });

  it('gives a broken file its reason and exit code 1, and still describes the files after it', { timeout: 60_000 }, async () => {
    const result = await runTwinline(['models', fixture('broken-truncated.glb'), fixture('broken-json.glb'), fixture('welding-cell.glb'), join(folder, 'missing.glb')]);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('broken-truncated.glb (4.1 KiB)\n  ✗ is cut off: its header says 8344 bytes, the file has 4172 (an interrupted copy or download?)');
    expect(result.stdout).toContain('error GLB_UNEXPECTED_END_OF_CHUNK_DATA');
    expect(result.stdout).toContain('broken-json.glb (88 B)\n  ✗ cannot be read: its JSON chunk is not JSON');
    expect(result.stdout).toContain('error INVALID_JSON');
    expect(result.stdout).toContain('"Schweisstisch"  1.2 × 0.9 × 0.8 m');
    expect(result.stdout).toMatch(/missing\.glb\n {2}✗ cannot be opened: ENOENT/);
  });

  it('refuses a file over the size limit unread, with a clear message', { timeout: 60_000 }, async () => {
    const huge = join(folder, 'huge.glb');
    // A sparse file: as large as the limit says, without filling the disk.
    writeFileSync(huge, '');
    truncateSync(huge, maxModelBytes + 1);
    const result = await runTwinline(['models', huge]);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('huge.glb\n  ✗ is 268,435,457 bytes, more than the 256.0 MiB a model may have: simplify it');
  });

  it('needs at least one file', async () => {
    const result = await runTwinline(['models']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('twinline models needs the model files');
  });
});

describe('describeModel', () => {
  it('reads a .gltf only with the files beside it: a reference outside its folder is an error, never read', async () => {
    const inside = join(folder, 'inside');
    mkdirSync(inside, { recursive: true });
    writeFileSync(join(folder, 'secret.bin'), Buffer.alloc(64, 7));
    const gltf = { asset: { version: '2.0' }, buffers: [{ uri: '../secret.bin', byteLength: 64 }] };
    writeFileSync(join(inside, 'escape.gltf'), JSON.stringify(gltf));
    const description = await describeModel(join(inside, 'escape.gltf'));
    expect(description.validation).toMatchObject({ errors: 1 });
    expect(JSON.stringify(description.validation)).toContain('outside the model');
  });

  it('reads a .gltf with its .bin and PNG beside it, within the byte budget of the whole model', async () => {
    for (const name of ['conveyor.gltf', 'conveyor.bin', 'conveyor-belt.png']) copyFileSync(fixture(name), join(folder, name));
    expect((await describeModel(join(folder, 'conveyor.gltf'))).validation).toMatchObject({ errors: 0, warnings: 0 });
    // The .gltf alone fits; with its .bin it does not.
    const tight = await describeModel(join(folder, 'conveyor.gltf'), 12 * 1024);
    expect(tight.validation).toMatchObject({ errors: 1 });
    expect(JSON.stringify(tight.validation)).toContain('would take the model past');
  });

  it('stops at a node tree that loops instead of running forever', async () => {
    const looping = { asset: { version: '2.0' }, scenes: [{ nodes: [0] }], nodes: [{ name: 'a', children: [1] }, { name: 'b', children: [0] }] };
    writeFileSync(join(folder, 'loop.gltf'), JSON.stringify(looping));
    expect((await describeModel(join(folder, 'loop.gltf'))).problem).toBe('cannot be read: its node tree loops or is deeper than 256 levels (at node 0)');
  });

  it('applies node transforms and reads quantized positions as glTF says', async () => {
    // Positions as normalized shorts (±32767 → ±1), scaled by 2 and turned 90° about y: 4 m along x becomes 4 m along z.
    const quantized = {
      asset: { version: '2.0' },
      extensionsUsed: ['KHR_mesh_quantization'],
      extensionsRequired: ['KHR_mesh_quantization'],
      scenes: [{ nodes: [0] }],
      nodes: [{ name: 'turned', rotation: [0, Math.SQRT1_2, 0, Math.SQRT1_2], translation: [10, 0, 0], scale: [2, 1, 1], mesh: 0 }],
      meshes: [{ primitives: [{ attributes: { POSITION: 0 } }] }],
      accessors: [{ componentType: 5122, normalized: true, count: 3, type: 'VEC3', min: [-32767, 0, 0], max: [32767, 16384, 0] }],
    };
    writeFileSync(join(folder, 'quantized.gltf'), JSON.stringify(quantized));
    const description = await describeModel(join(folder, 'quantized.gltf'));
    expect(description.problem).toBeUndefined();
    expect(description.triangles).toBe(1);
    expect(description.bounds!.min.map((value) => Number(value.toFixed(3)) + 0)).toEqual([10, 0, -2]);
    expect(description.bounds!.max.map((value) => Number(value.toFixed(3)) + 0)).toEqual([10, 0.5, 2]);
  });
});
