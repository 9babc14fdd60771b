import { Group, Mesh } from 'three';
import { describe, expect, it } from 'vitest';
import { machineNameOf, maxNodeNames, modelNodeNames } from './model-node-names.ts';

describe('model node names', () => {
  it('lists every named node once, in file order, without the scene root', () => {
    const scene = new Group();
    scene.name = 'Scene';
    const press = new Group();
    press.name = 'press';
    const ram = new Mesh();
    ram.name = 'ram';
    const unnamed = new Mesh();
    const again = new Mesh();
    again.name = 'ram';
    press.add(ram, unnamed, again);
    const frame = new Group();
    // As three's loader names a node whose file name has spaces.
    frame.name = '006435-1_-_Teil_2';
    frame.userData.name = '006435-1 - Teil 2';
    scene.add(press, frame);
    expect(modelNodeNames(scene)).toEqual(['press', 'ram', '006435-1 - Teil 2']);
  });

  it('stops at its bound', () => {
    const scene = new Group();
    for (let index = 0; index < maxNodeNames + 10; index++) {
      const node = new Group();
      node.name = `n${index}`;
      scene.add(node);
    }
    expect(modelNodeNames(scene)).toHaveLength(maxNodeNames);
  });

  it('names a machine after its file', () => {
    expect(machineNameOf('cells/robot-arm_2.glb')).toBe('Robot arm 2');
    expect(machineNameOf('.glb')).toBe('Machine');
  });
});
