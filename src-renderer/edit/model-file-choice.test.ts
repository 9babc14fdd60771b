import { describe, expect, it } from 'vitest';
import { modelFileChoiceProblem } from './model-file-choice.ts';

describe('modelFileChoiceProblem', () => {
  it('lets a file the plant can name be chosen, and says why another cannot', () => {
    expect(modelFileChoiceProblem('robot.glb')).toBeUndefined();
    expect(modelFileChoiceProblem('press_2.v3.gltf')).toBeUndefined();
    expect(modelFileChoiceProblem('cell/robot.glb')).toMatch(/in a folder/);
    expect(modelFileChoiceProblem('Press 4711.glb')).toMatch(/rename it/);
    expect(modelFileChoiceProblem('ROBOT.GLB')).toMatch(/rename it/);
  });
});
