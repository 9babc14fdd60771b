import { describe, expect, it } from 'vitest';
import { maxModelUploadBytes } from '../../common/model-upload.ts';
import { packGltfAsGlb } from './pack-gltf.ts';

describe('packGltfAsGlb', () => {
  it('packs a buffer file once per buffer that names it, into one binary chunk', () => {
    const bin = { name: 'press.bin', bytes: new Uint8Array(16).fill(3) };
    const text = JSON.stringify({ asset: { version: '2.0' }, buffers: [{ uri: 'press.bin', byteLength: 16 }, { uri: 'press.bin', byteLength: 8 }], bufferViews: [{ buffer: 1, byteOffset: 4, byteLength: 4 }] });
    const glb = packGltfAsGlb(text, [bin]);
    const jsonLength = glb.readUInt32LE(12);
    const document = JSON.parse(glb.subarray(20, 20 + jsonLength).toString('utf8')) as { buffers: Array<{ byteLength: number }>; bufferViews: Array<{ buffer: number; byteOffset: number }> };
    expect(document.buffers).toEqual([{ byteLength: 24 }]);
    expect(document.bufferViews[0]).toMatchObject({ buffer: 0, byteOffset: 20 });
  });

  it('refuses a .gltf whose buffers and images name one dropped file so often that the packed model would outgrow an upload', () => {
    // A small JSON naming a 1 MiB file a hundred times would otherwise make a 100 MiB .glb in the host's memory (and thousands of times, exhaust it).
    const mebibyte = 1024 * 1024;
    const bin = { name: 'press.bin', bytes: new Uint8Array(mebibyte) };
    const times = Math.ceil(maxModelUploadBytes / mebibyte) + 1;
    const text = JSON.stringify({ asset: { version: '2.0' }, buffers: Array.from({ length: times }, () => ({ uri: 'press.bin', byteLength: mebibyte })) });
    expect(() => packGltfAsGlb(text, [bin])).toThrow(/packed.*more than/);
    const png = { name: 'paint.png', bytes: new Uint8Array(mebibyte) };
    const images = JSON.stringify({ asset: { version: '2.0' }, images: Array.from({ length: times }, () => ({ uri: 'paint.png' })) });
    expect(() => packGltfAsGlb(images, [png])).toThrow(/packed.*more than/);
  });
});
