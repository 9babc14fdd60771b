import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { buildModelBytes } from './generate-models.ts';
import { modelKinds } from './model-kinds.ts';

const require = createRequire(import.meta.url);
const validator = require('gltf-validator') as {
  validateBytes(bytes: Uint8Array, options?: object): Promise<{ issues: { numErrors: number; numWarnings: number; messages: Array<{ code: string; message: string; pointer?: string; severity: number }> } }>;
};

interface GltfNode {
  name?: string;
  children?: number[];
}

/** The JSON chunk of a GLB file. */
function glbJson(bytes: Uint8Array): { nodes: GltfNode[] } {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  expect(view.getUint32(0, true)).toBe(0x46546c67); // "glTF"
  const length = view.getUint32(12, true);
  return JSON.parse(new TextDecoder().decode(bytes.subarray(20, 20 + length))) as { nodes: GltfNode[] };
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

  it('is what `npm run models` makes today (regenerate after changing the generator)', async () => {
    expect(Buffer.from(await buildModelBytes(kind)).equals(Buffer.from(bytes))).toBe(true);
  });
});
