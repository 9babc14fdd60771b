import { describe, expect, it } from 'vitest';
import { parsePlantOrThrow } from './parse-plant.ts';
import type { Plant } from './plant-schema.ts';
import { normaliseModelFile, plantModelFiles } from './plant-model-files.ts';

const plant = parsePlantOrThrow(`
name: Models test plant
machines:
  - { id: press-1, name: Press 1, area: A, line: L, model: { file: press.glb, node: press }, signals: [] }
  - { id: press-2, name: Press 2, area: A, line: L, model: { file: press.glb, node: press }, signals: [] }
  - { id: robot, name: Robot, area: A, line: L, model: { file: robot-arm.glb, lod: robot-arm.lod.glb, node: arm }, signals: [] }
  - { id: tank, name: Tank, area: A, line: L, primitive: { shape: cylinder }, signals: [] }
`);

describe('plantModelFiles', () => {
  it('lists each model file the plant names once, with its far-level file, and nothing for primitives', () => {
    expect([...plantModelFiles(plant)].sort()).toEqual(['press.glb', 'robot-arm.glb', 'robot-arm.lod.glb']);
  });

  it('leaves out a name that would step outside the models folder, should one ever get past the plant schema', () => {
    // The schema allows bare names only; a plant built in code (or a future schema) must not widen what is served.
    const crafted = structuredClone(plant) as Plant;
    const names = ['../secret.glb', '/etc/passwd', 'C:\\Windows\\win.ini', 'a/../../b.glb', 'nul\0.glb', 'sub/./part.glb', 'sub\\wheel.glb'];
    crafted.machines = names.map((file, index) => ({ ...plant.machines[0]!, id: `m${index}`, model: { file, lod: file, node: 'n', up: 'y', rotation: 0 } }));
    expect([...plantModelFiles(crafted)].sort()).toEqual(['sub/part.glb', 'sub/wheel.glb']);
  });
});

describe('normaliseModelFile', () => {
  it.each([
    ['press.glb', 'press.glb'],
    ['./press.glb', 'press.glb'],
    ['lines//press.glb', 'lines/press.glb'],
    ['..glb', '..glb'],
    ['..', undefined],
    ['', undefined],
    ['\\\\server\\share\\x.glb', undefined],
  ])('%j → %j', (file, expected) => {
    expect(normaliseModelFile(file)).toBe(expected);
  });
});
