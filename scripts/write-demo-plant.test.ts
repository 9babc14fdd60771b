import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parsePlantOrThrow } from '../src-main/common/parse-plant.ts';
import { modelKinds } from './model-kinds.ts';
import { demoPlant } from './write-demo-plant.ts';

const committed = parsePlantOrThrow(readFileSync(new URL('../assets/demo-plant.yaml', import.meta.url), 'utf8'), 'demo-plant.yaml');

describe('the demo plant', () => {
  it('is what scripts/write-demo-plant.ts writes (regenerate after changing it)', () => {
    expect(committed).toEqual(parsePlantOrThrow(JSON.stringify(demoPlant())));
  });

  it('has at least 24 machines of at least 6 kinds, in several areas', () => {
    expect(committed.machines.length).toBeGreaterThanOrEqual(24);
    expect(new Set(committed.machines.map((machine) => machine.kind)).size).toBeGreaterThanOrEqual(6);
    expect(new Set(committed.machines.map((machine) => machine.area)).size).toBeGreaterThanOrEqual(4);
  });

  it('uses model nodes that exist and animates only their moving parts', () => {
    for (const machine of committed.machines) {
      const kind = modelKinds.find((candidate) => candidate.file === machine.model?.file);
      expect(kind, machine.id).toBeDefined();
      expect(machine.model!.node).toBe(kind!.rootNode);
      for (const animation of machine.animations) expect(kind!.movingParts, `${machine.id} animates ${animation.node}`).toContain(animation.node);
    }
  });
});
