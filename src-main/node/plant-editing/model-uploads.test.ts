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
    expect(upload(uploads, '../cad/Press 4711.glb', bytes)).toBe('Press 4711.glb');
    expect(readFileSync(join(models, 'Press 4711.glb')).equals(bytes)).toBe(true);
    writeFileSync(join(models, 'robot.glb'), 'the user\'s own');
    expect(upload(uploads, 'robot.glb', glb(64))).toBe('robot-2.glb');
    expect(readFileSync(join(models, 'robot.glb'), 'utf8')).toBe('the user\'s own');
    expect(readdirSync(models).sort()).toEqual(['Press 4711.glb', 'robot-2.glb', 'robot.glb']);
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
