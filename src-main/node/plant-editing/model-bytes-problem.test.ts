import { describe, expect, it } from 'vitest';
import { modelBytesProblem } from './model-bytes-problem.ts';

/** The 12-byte header of a binary glTF file of `length` bytes, padded to that length. */
function glb(length: number, version = 2): Uint8Array {
  const bytes = new Uint8Array(length);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, 0x46546c67, true);
  view.setUint32(4, version, true);
  view.setUint32(8, length, true);
  return bytes;
}

describe('modelBytesProblem', () => {
  it('takes only bytes that are the glTF their name says', () => {
    expect(modelBytesProblem('a.glb', glb(64))).toBeUndefined();
    expect(modelBytesProblem('a.glb', glb(64, 1))).toContain('version 1');
    expect(modelBytesProblem('a.glb', glb(64).subarray(0, 40))).toContain('header says 64');
    expect(modelBytesProblem('a.glb', new TextEncoder().encode('{"asset":{"version":"2.0"}} padding'))).toContain('does not start');
    expect(modelBytesProblem('a.gltf', new TextEncoder().encode('{"asset":{"version":"2.0"}}'))).toBeUndefined();
    expect(modelBytesProblem('a.gltf', new TextEncoder().encode('{"scenes":[]}'))).toContain('not glTF');
    expect(modelBytesProblem('a.gltf', glb(64))).toContain('not JSON');
  });

});
