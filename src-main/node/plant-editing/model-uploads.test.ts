import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { modelUploadChunkBytes } from '../../common/model-upload.ts';
import { maxOpenUploads, ModelUploads } from './model-uploads.ts';

const folder = mkdtempSync(join(tmpdir(), 'twinline-uploads-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

function glb(length: number): Buffer {
  const bytes = Buffer.alloc(length, 7);
  bytes.writeUInt32LE(0x46546c67, 0);
  bytes.writeUInt32LE(2, 4);
  bytes.writeUInt32LE(length, 8);
  return bytes;
}

/** Uploads `bytes` as a view does: begin, chunks in order, finish. */
function upload(uploads: ModelUploads, name: string, bytes: Buffer): string {
  const begun = uploads.handle({ step: 'begin', name, size: bytes.length }) as { uploadId: string };
  for (let offset = 0; offset < bytes.length; offset += modelUploadChunkBytes) {
    uploads.handle({ step: 'chunk', uploadId: begun.uploadId, offset, data: bytes.subarray(offset, offset + modelUploadChunkBytes).toString('base64') });
  }
  return (uploads.handle({ step: 'finish', uploadId: begun.uploadId }) as { file: string }).file;
}

describe('ModelUploads', () => {
  const models = join(folder, 'models');
  const log: string[] = [];
  const uploads = new ModelUploads({ modelsDirectory: () => models, log: (line) => log.push(line) });

  it('writes an uploaded GLB under its sanitised name, never over a file already there, and leaves nothing else', () => {
    const bytes = glb(100_000);
    expect(upload(uploads, '../cad/Press 4711.glb', bytes)).toBe('Press-4711.glb');
    expect(readFileSync(join(models, 'Press-4711.glb')).equals(bytes)).toBe(true);
    writeFileSync(join(models, 'robot.glb'), 'the user\'s own');
    expect(upload(uploads, 'robot.glb', glb(64))).toBe('robot-2.glb');
    expect(readFileSync(join(models, 'robot.glb'), 'utf8')).toBe('the user\'s own');
    expect(readdirSync(models).sort()).toEqual(['Press-4711.glb', 'robot-2.glb', 'robot.glb']);
    expect(log.join('\n')).not.toContain(folder);
  });

  it('never takes a name that differs from a file there only in case, as Windows and macOS would see it, and leaves no temporary file', () => {
    writeFileSync(join(models, 'Crane.glb'), 'the user\'s own');
    expect(upload(uploads, 'crane.GLB', glb(64))).toBe('crane-2.glb');
    expect(readFileSync(join(models, 'Crane.glb'), 'utf8')).toBe('the user\'s own');
    expect(readdirSync(models).filter((name) => name.startsWith('.'))).toEqual([]);
  });

  it('tells a view why an upload could not be written without naming the host\'s folders', () => {
    const blocked = join(folder, 'blocked');
    writeFileSync(blocked, 'a file where the models folder should be');
    const nowhere = new ModelUploads({ modelsDirectory: () => join(blocked, 'models'), log: () => undefined });
    expect(() => upload(nowhere, 'press.glb', glb(64))).toThrow(/press\.glb could not be written: .*the models folder/);
    try {
      upload(nowhere, 'press.glb', glb(64));
    } catch (error) {
      expect(String(error)).not.toContain(folder);
    }
  });

  it('refuses what is not the model its name says, chunks out of order or beyond the size announced, and writes nothing', () => {
    const before = readdirSync(models).sort();
    expect(() => upload(uploads, 'fake.glb', Buffer.from('{"asset":{"version":"2.0"}} and more bytes'))).toThrow(/does not start as a binary glTF/);
    expect(() => uploads.handle({ step: 'begin', name: 'notes.txt', size: 10 })).toThrow(/not a model file/);
    const { uploadId } = uploads.handle({ step: 'begin', name: 'a.glb', size: 64 }) as { uploadId: string };
    expect(() => uploads.handle({ step: 'chunk', uploadId, offset: 8, data: 'QUJD' })).toThrow(/where byte 0 was expected/);
    // A refused upload is gone.
    expect(() => uploads.handle({ step: 'finish', uploadId })).toThrow(/no such upload/);
    const second = uploads.handle({ step: 'begin', name: 'b.glb', size: 4 }) as { uploadId: string };
    expect(() => uploads.handle({ step: 'chunk', uploadId: second.uploadId, offset: 0, data: Buffer.alloc(8).toString('base64') })).toThrow(/longer than the 4 bytes/);
    const third = uploads.handle({ step: 'begin', name: 'c.glb', size: 64 }) as { uploadId: string };
    expect(() => uploads.handle({ step: 'finish', uploadId: third.uploadId })).toThrow(/0 of the 64 bytes/);
    expect(readdirSync(models).sort()).toEqual(before);
  });

  it('holds at most a few uploads at once', () => {
    const open = Array.from({ length: maxOpenUploads }, () => uploads.handle({ step: 'begin', name: 'x.glb', size: 64 }) as { uploadId: string });
    expect(() => uploads.handle({ step: 'begin', name: 'y.glb', size: 64 })).toThrow(/being uploaded already/);
    uploads.handle({ step: 'cancel', uploadId: open[0]!.uploadId });
    expect(uploads.handle({ step: 'begin', name: 'y.glb', size: 64 })).toHaveProperty('uploadId');
    uploads.stop();
  });
});

/** Uploads a .gltf and the files dropped with it as a view does: the .gltf's bytes, then each file's, in the order announced. */
function uploadGltf(uploads: ModelUploads, name: string, gltf: object | string, files: Array<{ name: string; bytes: Buffer }>): string {
  const model = Buffer.from(typeof gltf === 'string' ? gltf : JSON.stringify(gltf));
  const begun = uploads.handle({ step: 'begin', name, size: model.length, files: files.map((file) => ({ name: file.name, size: file.bytes.length })) }) as { uploadId: string };
  const bytes = Buffer.concat([model, ...files.map((file) => file.bytes)]);
  for (let offset = 0; offset < bytes.length; offset += modelUploadChunkBytes) {
    uploads.handle({ step: 'chunk', uploadId: begun.uploadId, offset, data: bytes.subarray(offset, offset + modelUploadChunkBytes).toString('base64') });
  }
  return (uploads.handle({ step: 'finish', uploadId: begun.uploadId }) as { file: string }).file;
}

/** A binary glTF's JSON and binary chunk, read as a loader reads them. */
function readGlb(bytes: Buffer): { json: { buffers?: Array<{ byteLength: number; uri?: string }>; bufferViews: Array<{ buffer: number; byteOffset: number; byteLength: number }>; images: Array<{ uri?: string; bufferView?: number; mimeType?: string }> }; binary: Buffer } {
  expect(bytes.readUInt32LE(0)).toBe(0x46546c67);
  expect(bytes.readUInt32LE(8)).toBe(bytes.length);
  const jsonLength = bytes.readUInt32LE(12);
  expect(bytes.readUInt32LE(16)).toBe(0x4e4f534a);
  const json = JSON.parse(bytes.subarray(20, 20 + jsonLength).toString('utf8'));
  expect(bytes.readUInt32LE(24 + jsonLength)).toBe(0x004e4942);
  return { json, binary: bytes.subarray(28 + jsonLength, 28 + jsonLength + bytes.readUInt32LE(20 + jsonLength)) };
}

/** A .gltf whose buffer and image are separate files (and one image inline, as a data: URI). */
function gltfWith(bufferUri: string, imageUri: string, byteLength = 48): object {
  return {
    asset: { version: '2.0' },
    buffers: [{ uri: bufferUri, byteLength }],
    bufferViews: [{ buffer: 0, byteOffset: 8, byteLength: 40 }],
    images: [{ uri: imageUri }, { uri: 'data:image/png;base64,iVBORw0KGgo=' }],
  };
}

describe('ModelUploads of a .gltf with separate files', () => {
  const models = join(folder, 'gltf-models');
  const uploads = new ModelUploads({ modelsDirectory: () => models, log: () => undefined });
  const bin = { name: 'press.bin', bytes: Buffer.alloc(48, 3) };
  const png = { name: 'paint 1.png', bytes: Buffer.from('\x89PNG not really') };

  it('packs the .gltf and exactly its files into one .glb, named after it, never over a file there', () => {
    const bin = { name: 'press.bin', bytes: Buffer.from(Array.from({ length: 48 }, (_, index) => index)) };
    const file = uploadGltf(uploads, 'Press.gltf', gltfWith('press.bin', 'paint%201.png'), [bin, png]);
    expect(file).toBe('Press.glb');
    expect(readdirSync(models)).toEqual(['Press.glb']);
    const { json, binary } = readGlb(readFileSync(join(models, 'Press.glb')));
    expect(json.buffers).toEqual([{ byteLength: expect.any(Number) }]);
    // The buffer's view reads the same bytes as before; each image is a view of its own file's bytes, with its type.
    const view = json.bufferViews[0]!;
    expect(view.buffer).toBe(0);
    expect(binary.subarray(view.byteOffset, view.byteOffset + view.byteLength).equals(bin.bytes.subarray(8, 48))).toBe(true);
    const [fromFile, inline] = json.images;
    expect(fromFile).toEqual({ bufferView: 1, mimeType: 'image/png' });
    const imageView = json.bufferViews[fromFile!.bufferView!]!;
    expect(binary.subarray(imageView.byteOffset, imageView.byteOffset + imageView.byteLength).equals(png.bytes)).toBe(true);
    expect(imageView.byteOffset % 4).toBe(0);
    expect(inline).toEqual({ bufferView: 2, mimeType: 'image/png' });
    // A second one of that name (in any case) gets a free name.
    expect(uploadGltf(uploads, 'press.gltf', gltfWith('press.bin', 'paint%201.png'), [bin, png])).toBe('press-2.glb');
    expect(readdirSync(models).sort()).toEqual(['Press.glb', 'press-2.glb']);
  });

  it('refuses references outside its folder, absolute paths, URLs, and files missing, extra, short or unsafely named; and writes nothing', () => {
    const refusals: Array<[object | string, Array<{ name: string; bytes: Buffer }>, RegExp]> = [
      [gltfWith('../press.bin', 'paint%201.png'), [png], /"\.\." step/],
      [gltfWith('%2e%2e/press.bin', 'paint%201.png'), [png], /"\.\." step/],
      [gltfWith('/etc/passwd', 'paint%201.png'), [png], /absolute path/],
      [gltfWith('C:/models/press.bin', 'paint%201.png'), [png], /absolute URI/],
      [gltfWith('https://example.com/press.bin', 'paint%201.png'), [png], /absolute URI/],
      [gltfWith('file:///etc/passwd', 'paint%201.png'), [png], /absolute URI/],
      [gltfWith('textures/press.bin', 'paint%201.png'), [{ ...bin, name: 'press.bin' }, png], /in a folder/],
      [gltfWith('press.bin', 'paint%201.png'), [bin], /paint 1\.png, which was not dropped/],
      [gltfWith('press.bin', 'paint%201.png'), [bin, png, { name: 'secrets.txt', bytes: Buffer.from('x') }], /secrets\.txt was dropped with it, but it does not refer to it/],
      [gltfWith('PRESS.bin', 'paint%201.png'), [bin, png], /PRESS\.bin, which was not dropped/],
      [gltfWith('press.bin', 'paint%201.png', 4096), [bin, png], /press\.bin has 48 bytes, but the \.gltf says 4096/],
      [gltfWith('press.bin', 'paint.gif'), [bin, { name: 'paint.gif', bytes: Buffer.from('GIF89a') }], /could not be packed.*not a PNG, JPEG, WebP or KTX2/],
      [{ ...gltfWith('press.bin', 'paint%201.png'), bufferViews: [{ buffer: 3, byteLength: 4 }] }, [bin, png], /could not be packed.*buffer 3/],
      ['{"asset":{"version":"2.0"},"buffers":[{"uri":"press.bin"', [bin], /not JSON/],
      [{ buffers: [{ uri: 'press.bin', byteLength: 48 }] }, [bin], /no asset\.version/],
    ];
    for (const [gltf, files, reason] of refusals) expect(() => uploadGltf(uploads, 'bad.gltf', gltf, files), String(reason)).toThrow(reason);
    const names: Array<[string, RegExp]> = [
      ['../press.bin', /names a folder/],
      ['sub\\press.bin', /names a folder/],
      ['.htaccess', /hidden/],
      ['..', /hidden/],
      ['press\u0000.bin', /cannot hold/],
      ['press:stream.bin', /cannot hold/],
      ['press.bin.', /ends in a dot/],
      ['NUL.bin', /device/],
      ['bad.GLTF', /twice/],
    ];
    for (const [name, reason] of names) {
      expect(() => uploads.handle({ step: 'begin', name: 'bad.gltf', size: 10, files: [{ name, size: 1 }] }), name).toThrow(reason);
    }
    expect(() => uploads.handle({ step: 'begin', name: 'bad.gltf', size: 10, files: [{ name: 'a.bin', size: 1 }, { name: 'A.BIN', size: 1 }] })).toThrow(/twice/);
    expect(() => uploads.handle({ step: 'begin', name: 'bad.glb', size: 10, files: [{ name: 'a.bin', size: 1 }] })).toThrow(/only a \.gltf brings files/);
    expect(() => uploads.handle({ step: 'begin', name: 'bad.gltf', size: 60 * 1024 * 1024, files: [{ name: 'a.bin', size: 8 * 1024 * 1024 }] })).toThrow(/at most 67108864/);
    expect(readdirSync(models).sort()).toEqual(['Press.glb', 'press-2.glb']);
  });

  it('refuses a self-contained-looking .gltf that refers to files it did not bring', () => {
    expect(() => uploadGltf(uploads, 'alone.gltf', gltfWith('alone.bin', 'data:image/png;base64,AA=='), [])).toThrow(/alone\.bin, which was not dropped/);
    expect(uploadGltf(uploads, 'alone.gltf', gltfWith('data:application/octet-stream;base64,AAAA', 'data:image/png;base64,AA==', 3), [])).toBe('alone.gltf');
  });
});
