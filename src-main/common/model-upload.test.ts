import { describe, expect, it } from 'vitest';
import { modelUploadRequestSchema, sanitiseModelFileName } from './model-upload.ts';
import { modelSchema } from './plant-schema.ts';

describe('model uploads', () => {
  it('names an uploaded file safely, inside the models folder', () => {
    // What the plant file's model.file takes, so a machine can be added from it: no spaces.
    expect(sanitiseModelFileName('Press 4711.GLB')).toBe('Press-4711.glb');
    expect(sanitiseModelFileName(' Press  4711 (v2) .glb')).toBe('Press-4711-v2-.glb');
    expect(sanitiseModelFileName('../../etc/passwd.glb')).toBe('passwd.glb');
    expect(sanitiseModelFileName('C:\\cad\\robot<arm>.gltf')).toBe('robot-arm-.gltf');
    expect(sanitiseModelFileName('.hidden.glb')).toBe('hidden.glb');
    expect(sanitiseModelFileName('..glb')).toBeUndefined();
    expect(sanitiseModelFileName('model.obj')).toBeUndefined();
    expect(sanitiseModelFileName(`${'a'.repeat(300)}.glb`)).toBe(`${'a'.repeat(100)}.glb`);
    // Names Windows keeps for devices, whatever the case or what follows the first dot, and unicode look-alikes.
    expect(sanitiseModelFileName('CON.glb')).toBe('model-CON.glb');
    expect(sanitiseModelFileName('nul.tar.gltf')).toBe('model-nul.tar.gltf');
    expect(sanitiseModelFileName('Com1 .glb')).toBe('model-Com1.glb');
    expect(sanitiseModelFileName('console.glb')).toBe('console.glb');
    expect(sanitiseModelFileName('\u2025\u2215etc\u2215x.glb')).toBe('etc-x.glb');
    // Every name made is one a plant's model.file takes.
    for (const name of ['Press 4711.GLB', ' Press  4711 (v2) .glb', 'C:\\cad\\robot<arm>.gltf', 'Com1 .glb', '\u2025\u2215etc\u2215x.glb', 'pump ü.glb']) {
      expect(modelSchema.shape.file.safeParse(sanitiseModelFileName(name)).success, name).toBe(true);
    }
  });

  it('bounds every step', () => {
    expect(modelUploadRequestSchema.safeParse({ step: 'begin', name: 'a.glb', size: 65 * 1024 * 1024 }).success).toBe(false);
    expect(modelUploadRequestSchema.safeParse({ step: 'chunk', uploadId: 'abcdefgh12', offset: 0, data: 'A'.repeat(50_000) }).success).toBe(false);
    expect(modelUploadRequestSchema.safeParse({ step: 'chunk', uploadId: 'abcdefgh12', offset: 0, data: 'not base64!' }).success).toBe(false);
    expect(modelUploadRequestSchema.safeParse({ step: 'chunk', uploadId: 'abcdefgh12', offset: 0, data: 'QUJD' }).success).toBe(true);
    // A .gltf with its separate files: at most 64 of them, and 64 MiB in all.
    const files = (count: number, size: number) => Array.from({ length: count }, (_, index) => ({ name: `part-${index}.bin`, size }));
    expect(modelUploadRequestSchema.safeParse({ step: 'begin', name: 'a.gltf', size: 100, files: files(64, 1024) }).success).toBe(true);
    expect(modelUploadRequestSchema.safeParse({ step: 'begin', name: 'a.gltf', size: 100, files: files(65, 1024) }).success).toBe(false);
    expect(modelUploadRequestSchema.safeParse({ step: 'begin', name: 'a.gltf', size: 100, files: files(2, 32 * 1024 * 1024) }).success).toBe(false);
    expect(modelUploadRequestSchema.safeParse({ step: 'begin', name: 'a.gltf', size: 100, files: [{ name: 'a.bin', size: 0 }] }).success).toBe(false);
  });
});
