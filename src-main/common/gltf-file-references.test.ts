import { describe, expect, it } from 'vitest';
import { gltfFileReferences, maxGltfReferences } from './gltf-file-references.ts';

const gltf = (buffers: string[], images: string[] = []) =>
  JSON.stringify({ asset: { version: '2.0' }, buffers: buffers.map((uri) => ({ uri, byteLength: 4 })), images: images.map((uri) => ({ uri })) });

describe('gltfFileReferences', () => {
  it('gives the buffers and images beside the .gltf, decoded, in its own folder, each once', () => {
    const references = gltfFileReferences('cell/robot.gltf', gltf(['robot.bin', 'robot.bin'], ['textures/paint%20red.png', './logo.webp']));
    expect(references.files).toEqual(['cell/robot.bin', 'cell/textures/paint red.png', 'cell/logo.webp']);
    expect(references.refused).toEqual([]);
  });

  it('needs no file for data: URIs, and refuses absolute, other-scheme, escaping and odd references', () => {
    const refused = ['../secret.bin', 'a/../../b.bin', '%2e%2e/secret.bin', '/etc/passwd', '\\\\server\\share\\x.bin', 'C:/Windows/x.bin', 'file:///etc/passwd', 'https://cdn.example/x.png', '//cdn.example/x.png', 'x.bin?v=1', 'x.png#frag', '%E0%A4%A.bin', 'nul%00.bin', ''];
    const references = gltfFileReferences('robot.gltf', gltf(['data:application/octet-stream;base64,AAAA', ...refused]));
    expect(references.files).toEqual([]);
    expect(references.refused.map((entry) => entry.uri)).toEqual(refused);
  });

  it('reads nothing from text that is not a glTF document, and stops at a bound on the number of files', () => {
    expect(gltfFileReferences('broken.gltf', '{"buffers": [').files).toEqual([]);
    expect(gltfFileReferences('broken.gltf', '{"buffers": [').refused[0]!.reason).toMatch(/^not JSON/);
    expect(gltfFileReferences('odd.gltf', JSON.stringify({ buffers: 'x', images: [null, 3, { uri: 7 }] }))).toEqual({ files: [], refused: [] });
    const many = gltfFileReferences('many.gltf', gltf(Array.from({ length: maxGltfReferences + 5 }, (_, index) => `part-${index}.bin`)));
    expect(many.files.length).toBe(maxGltfReferences);
    expect(many.refused).toHaveLength(1);
  });
});
