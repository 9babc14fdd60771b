import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { buildModelBytes } from './generate-models.ts';
import { modelKinds } from './model-kinds.ts';

// gltf-validator ships CommonJS without type declarations.
const require = createRequire(import.meta.url);
const validator = require('gltf-validator') as {
  validateBytes(bytes: Uint8Array, options?: object): Promise<{ issues: { numErrors: number; messages: Array<{ code: string; message: string; pointer?: string; severity: number }> } }>;
};

interface GltfNode {
  name?: string;
  children?: number[];
  mesh?: number;
}

interface Gltf {
  nodes: GltfNode[];
  meshes: Array<{ name?: string }>;
  scenes: Array<{ nodes: number[] }>;
  cameras?: unknown[];
  extensionsUsed?: string[];
}

/** Larger files slow every viewer's first load; the demo's models are primitives and stay well below. */
const sizeBudget = 300 * 1024;

/** The JSON chunk of a GLB file. */
function glbJson(bytes: Uint8Array): Gltf {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  expect(view.getUint32(0, true)).toBe(0x46546c67); // "glTF"
  const length = view.getUint32(12, true);
  return JSON.parse(new TextDecoder().decode(bytes.subarray(20, 20 + length))) as Gltf;
}

function descendantNames(nodes: GltfNode[], index: number): string[] {
  const node = nodes[index]!;
  return (node.children ?? []).flatMap((child) => [nodes[child]!.name ?? '', ...descendantNames(nodes, child)]);
}

describe.each(modelKinds)('models/$file', ({ kind, file, rootNode, movingParts }) => {
  const bytes = new Uint8Array(readFileSync(new URL(`../models/${file}`, import.meta.url)));

  it('passes the Khronos glTF validator with no errors', async () => {
    const report = await validator.validateBytes(bytes, { maxIssues: 50 });
    const errors = report.issues.messages.filter((message) => message.severity === 0).map((message) => `${message.code} ${message.pointer ?? ''}: ${message.message}`);
    expect(errors).toEqual([]);
    expect(report.issues.numErrors).toBe(0);
  });

  it(`has a node "${rootNode}" with its moving parts below it`, () => {
    const { nodes } = glbJson(bytes);
    const root = nodes.findIndex((node) => node.name === rootNode);
    expect(root).toBeGreaterThanOrEqual(0);
    expect(descendantNames(nodes, root)).toEqual(expect.arrayContaining([...movingParts]));
  });

  it('holds only the machine: one root, every node and mesh named, no cameras or lights', () => {
    const gltf = glbJson(bytes);
    expect(gltf.scenes.map((scene) => scene.nodes.map((index) => gltf.nodes[index]!.name))).toEqual([[rootNode]]);
    expect(gltf.nodes.filter((node) => !node.name)).toEqual([]);
    expect(gltf.meshes.filter((mesh) => !mesh.name)).toEqual([]);
    expect(gltf.cameras).toBeUndefined();
    expect(gltf.extensionsUsed ?? []).not.toContain('KHR_lights_punctual');
  });

  it(`stays within ${sizeBudget / 1024} KiB`, () => {
    expect(bytes.byteLength).toBeLessThan(sizeBudget);
  });

  it('is what `npm run models` makes today (regenerate after changing the generator)', async () => {
    expect(Buffer.from(await buildModelBytes(kind)).equals(Buffer.from(bytes))).toBe(true);
  });

  it('builds the same bytes every time', async () => {
    const [first, second] = await Promise.all([buildModelBytes(kind), buildModelBytes(kind)]);
    expect(Buffer.from(first).equals(Buffer.from(second))).toBe(true);
  });
});
