import { describe, expect, it } from 'vitest';
import { plantEditSchema } from '../../src-main/common/plant-edit.ts';
import { animationOf } from './animation-of.ts';

describe('animationOf', () => {
  it('makes a property animation or a spin, each a valid bindAnimation action', () => {
    const turn = animationOf('Arm 2', 'rotation.y', 'angle', 0.0174533);
    expect(turn).toEqual({ node: 'Arm 2', property: 'rotation.y', signal: 'angle', scale: 0.0174533 });
    const spin = animationOf('flywheel', 'spin x', 'speed', 0.1);
    expect(spin).toEqual({ node: 'flywheel', spin: 'x', signal: 'speed', scale: 0.1 });
    for (const animation of [turn, spin]) expect(plantEditSchema.safeParse({ type: 'bindAnimation', machineId: 'press-1', animation }).success).toBe(true);
  });
});
