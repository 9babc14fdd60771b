import { Group, Mesh } from 'three';
import { describe, expect, it } from 'vitest';
import { namedPartOf } from './pick-part.ts';

describe('namedPartOf', () => {
  it('names the hit part by the file, an unnamed mesh by its node, and nothing above the model', () => {
    const placement = new Group();
    placement.name = 'model-placement';
    const units = new Group();
    units.name = 'model-units';
    const arm = new Group();
    arm.name = 'Arm_2';
    arm.userData.name = 'Arm 2';
    const mesh = new Mesh();
    const named = new Mesh();
    named.name = 'gripper';
    placement.add(units);
    units.add(arm, named);
    arm.add(mesh);
    const loose = new Mesh();
    units.add(loose);
    expect(namedPartOf(mesh)).toBe('Arm 2');
    expect(namedPartOf(named)).toBe('gripper');
    expect(namedPartOf(loose)).toBeUndefined();
  });
});
