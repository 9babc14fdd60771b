import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { getBounds, NodeIO } from '@gltf-transform/core';
import { ALL_EXTENSIONS } from '@gltf-transform/extensions';
import { MeshoptDecoder } from 'meshoptimizer';
import { beforeAll, describe, expect, it } from 'vitest';
import { brokenFixtures, buildCadFixtures, fixtureDirectory, fixtureModels } from './write-cad-fixtures.ts';

// draco3dgltf and gltf-validator ship CommonJS without type declarations.
const require = createRequire(import.meta.url);
const draco3d = require('draco3dgltf') as { createDecoderModule(): Promise<unknown> };

/** Bytes of a committed fixture file. */
const committed = (name: string) => new Uint8Array(readFileSync(new URL(name, fixtureDirectory)));

/** Reads a fixture with every decoder, as a loader must: Draco and meshopt geometry come back as plain arrays. */
async function readFixture(name: string) {
  await MeshoptDecoder.ready;
  const io = new NodeIO().registerExtensions(ALL_EXTENSIONS).registerDependencies({ 'draco3d.decoder': await draco3d.createDecoderModule(), 'meshopt.decoder': MeshoptDecoder });
  return io.read(new URL(name, fixtureDirectory).pathname);
}

/** A point in a z-up millimetre file, in y-up metres: what `units: mm` and `up: z` ask of a loader. */
const fromMillimetresZUp = ([x, y, z]: number[]) => [x! / 1000, z! / 1000, -y! / 1000];

let built: Map<string, Uint8Array>;
beforeAll(async () => {
  built = await buildCadFixtures();
}, 60_000);

describe('the CAD fixtures', () => {
  it('are what scripts/write-cad-fixtures.ts writes (npm run cad-fixtures after changing it)', () => {
    const committedNames = readdirSync(fixtureDirectory).filter((name) => name !== 'plant.yaml');
    expect(committedNames.sort()).toEqual([...built.keys()].sort());
    for (const [name, bytes] of built) expect(Buffer.from(committed(name)).equals(Buffer.from(bytes)), `${name} differs from the script's output`).toBe(true);
  });

  it('come out the same, byte for byte, every time', async () => {
    const again = await buildCadFixtures();
    for (const [name, bytes] of built) expect(Buffer.from(again.get(name)!).equals(Buffer.from(bytes)), name).toBe(true);
  }, 60_000);

  it('stay small: a few KB each', () => {
    for (const [name, bytes] of built) expect(bytes.byteLength, name).toBeLessThan(32 * 1024);
  });

  it('require the extensions each stands for, as real CAD exports do', () => {
    const required = (name: string) => {
      const bytes = built.get(name)!;
      const length = new DataView(bytes.buffer, bytes.byteOffset).getUint32(12, true);
      return (JSON.parse(new TextDecoder().decode(bytes.subarray(20, 20 + length))) as { extensionsRequired?: string[] }).extensionsRequired ?? [];
    };
    expect(required('milling-machine-draco.glb').sort()).toEqual(['EXT_texture_webp', 'KHR_draco_mesh_compression']);
    expect(required('robot-meshopt.glb').sort()).toEqual(['EXT_meshopt_compression', 'KHR_mesh_quantization']);
    expect(required('agv-ktx2.glb')).toEqual(['KHR_texture_basisu']);
    const conveyor = JSON.parse(new TextDecoder().decode(built.get('conveyor.gltf'))) as { buffers: Array<{ uri: string }>; images: Array<{ uri: string }> };
    expect(conveyor.buffers.map((buffer) => buffer.uri)).toEqual(['conveyor.bin']);
    expect(conveyor.images.map((image) => image.uri)).toEqual(['conveyor-belt.png']);
  });

  it('hold a real UASTC KTX2 texture', () => {
    const bytes = built.get('agv-ktx2.glb')!;
    const identifier = [0xab, 0x4b, 0x54, 0x58, 0x20, 0x32, 0x30, 0xbb, 0x0d, 0x0a, 0x1a, 0x0a];
    const at = Buffer.from(bytes).indexOf(Buffer.from(identifier));
    expect(at).toBeGreaterThan(0);
    const header = new DataView(bytes.buffer, bytes.byteOffset + at);
    // vkFormat 0 (Basis Universal), 64 × 64, with mip levels down to 1 × 1.
    expect([header.getUint32(12, true), header.getUint32(20, true), header.getUint32(24, true), header.getUint32(40, true)]).toEqual([0, 64, 64, 7]);
  });

  it.each(fixtureModels)('$file ($encoding) decodes to the nodes and bounds the plant expects', async ({ file, node, bounds }) => {
    const document = await readFixture(file);
    const scene = document.getRoot().getDefaultScene()!;
    const target = node === undefined ? scene : document.getRoot().listNodes().find((candidate) => candidate.getName() === node);
    expect(target, `node ${node}`).toBeDefined();
    let { min, max } = getBounds(target!);
    if (file === 'press-mm-zup.glb') {
      const [a, b] = [fromMillimetresZUp(min), fromMillimetresZUp(max)];
      [min, max] = [a.map((value, axis) => Math.min(value, b[axis]!)), a.map((value, axis) => Math.max(value, b[axis]!))] as [typeof min, typeof max];
    }
    // Draco and 16-bit quantization move vertices by less than a millimetre here.
    for (const axis of [0, 1, 2]) {
      expect(min[axis], `min[${axis}]`).toBeCloseTo(bounds.min[axis]!, 2);
      expect(max[axis], `max[${axis}]`).toBeCloseTo(bounds.max[axis]!, 2);
    }
  });

  it('name CAD parts after part numbers, with no single root where a CAD export has none', async () => {
    const roots = async (file: string) => (await readFixture(file)).getRoot().getDefaultScene()!.listChildren().map((child) => child.getName());
    expect(await roots('milling-machine-draco.glb')).toEqual(['006435-1 - Teil 1', '006435-1 - Teil 2', '006435-1 - Teil 3', '006435-1 - Teil 4', '006435-1 - Teil 5']);
    expect((await roots('welding-cell.glb')).length).toBe(5);
    expect((await roots('press-mm-zup.glb')).every((name) => name.startsWith('006512-3 - Teil '))).toBe(true);
  });

  it.each(brokenFixtures)('$file cannot be read ($reason)', async ({ file }) => {
    await expect(readFixture(file)).rejects.toThrow();
  });
});
