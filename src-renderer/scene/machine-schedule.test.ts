import { MeshoptSimplifier } from 'meshoptimizer';
import { Vector3 } from 'three';
import { beforeAll, describe, expect, it } from 'vitest';
import { Health } from '../../src-main/common/health.ts';
import { applyHealth } from './apply-health.ts';
import { MachineRegistry } from './machine-registry.ts';
import { MachineSchedule, notDrawn } from './machine-schedule.ts';
import { handlesOf, kindAt } from './testing/animated-kinds.ts';

beforeAll(() => MeshoptSimplifier.ready);

describe('MachineSchedule', () => {
  it('groups the animated machines as they change level, leaving out machines without animation', () => {
    // Two level groups of the far kind (machines 0, 1 and 2 together, 3 apart), and a kind without far levels.
    const far = kindAt([0, 5, 10, 1_000], true);
    const near = kindAt([0, 5], false, 4);
    expect(far.levelGroups).toHaveLength(2);
    const registry = new MachineRegistry();
    registry.registerAll(handlesOf(far, new Set([1])));
    registry.registerAll(handlesOf(near));
    const schedule = new MachineSchedule(registry);
    schedule.refresh(6);
    const byGroup = schedule.animated.map(({ group, handles }) => [group ? far.levelGroups.indexOf(group) : null, handles.map((handle) => handle.machineIndex)]);
    expect(byGroup).toEqual([
      [0, [0, 2]],
      [1, [3]],
      [null, [4, 5]],
    ]);
    // The schedule holds the kind's own groups: seen from machine 3, the first is at the farthest level, 3's near.
    far.updateLevels(new Vector3(1_000, 0, 0));
    expect(schedule.animated.map(({ group }) => group?.level)).toEqual([2, 0, undefined]);
  });

  it('starts from the health each machine is drawn with, and is rebuilt only after machines came or went', () => {
    const kind = kindAt([0, 5], true);
    const registry = new MachineRegistry();
    const [first, second] = handlesOf(kind);
    registry.register(first!);
    applyHealth(first!, Health.alarm);
    const schedule = new MachineSchedule(registry);
    registry.onChange(() => schedule.invalidate());
    schedule.refresh(3);
    expect([...schedule.drawnHealth]).toEqual([Health.alarm, notDrawn, notDrawn]);
    const built = schedule.animated;
    schedule.refresh(3);
    // Frames with nothing new reuse what was built: the frame loop allocates nothing.
    expect(schedule.animated).toBe(built);
    registry.register(second!);
    schedule.refresh(3);
    expect(schedule.animated).not.toBe(built);
    expect(schedule.animated.flatMap(({ handles }) => handles.map((handle) => handle.machineIndex))).toEqual([0, 1]);
    expect([...schedule.drawnHealth]).toEqual([Health.alarm, notDrawn, notDrawn]);
  });
});
