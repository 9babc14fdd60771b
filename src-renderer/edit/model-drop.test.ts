import { describe, expect, it } from 'vitest';
import { modelDropOf } from './model-drop.ts';

const file = (name: string, size = 10) => ({ name, size });

describe('modelDropOf', () => {
  it('takes a .glb alone, or a .gltf with the files beside it', () => {
    const glb = file('press.glb');
    expect(modelDropOf([glb])).toEqual({ model: glb, companions: [] });
    const [bin, gltf, png] = [file('press.bin'), file('Press.GLTF'), file('paint.png')];
    expect(modelDropOf([bin, gltf, png])).toEqual({ model: gltf, companions: [bin, png] });
  });

  it('refuses no model, two models, files with a .glb, empty files, too many files and too many bytes', () => {
    expect(modelDropOf([file('press.bin')])).toEqual({ problem: expect.stringMatching(/no \.glb or \.gltf/) });
    expect(modelDropOf([file('a.glb'), file('b.gltf')])).toEqual({ problem: expect.stringMatching(/one model at a time/) });
    expect(modelDropOf([file('a.glb'), file('a.bin')])).toEqual({ problem: expect.stringMatching(/drop a\.glb alone/) });
    expect(modelDropOf([file('a.gltf'), file('a.bin', 0)])).toEqual({ problem: 'a.bin is empty' });
    expect(modelDropOf([file('a.gltf'), ...Array.from({ length: 65 }, (_, index) => file(`${index}.bin`))])).toEqual({ problem: expect.stringMatching(/at most 64 files/) });
    expect(modelDropOf([file('a.gltf'), file('a.bin', 64 * 1024 * 1024)])).toEqual({ problem: expect.stringMatching(/a\.gltf and its files are 67\.1 MB; .* up to 67\.1 MB/) });
  });
});
