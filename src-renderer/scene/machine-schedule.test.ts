import { MeshoptSimplifier } from 'meshoptimizer';
import { BoxGeometry, Group, Mesh, MeshStandardMaterial, SphereGeometry, Vector3 } from 'three';
import { beforeAll, describe, expect, it } from 'vitest';
import { Health } from '../../src-main/common/health.ts';
import { applyHealth } from './apply-health.ts';
import { withSimplifiedFarLevels } from './far-level.ts';
import { InstancedKind, levelGroupSize, type KindPlacement } from './instanced-kind.ts';
import { buildKindModel } from './kind-model.ts';
import { MachineRegistry, type MachineHandle } from './machine-registry.ts';
import { MachineSchedule, notDrawn } from './machine-schedule.ts';

beforeAll(() => MeshoptSimplifier.ready);

/** A dense machine (enough triangles for far levels) with an arm that animations move. */
function template(): Group {
  const machine = new Group();
  const arm = new Mesh(new BoxGeometry(0.2, 1, 0.2), new MeshStandardMaterial({ color: '#cc6633' }));
  arm.name = 'arm';
  machine.add(new Mesh(new SphereGeometry(1.5, 64, 32), new MeshStandardMaterial({ color: '#3366cc' })), arm);
  return machine;
}

/** A kind of machines standing along x at the given positions; `far` gives it far levels (and so level groups). */
function kindAt(xs: readonly number[], far: boolean, firstIndex = 0): InstancedKind {
  const model = buildKindModel(template(), new Set(['arm']));
  const placements: KindPlacement[] = xs.map((x, index) => ({ machineIndex: firstIndex + index, position: [x, 0, 0], rotationDegrees: 0, cell: 0 }));
  return new InstancedKind(far ? withSimplifiedFarLevels(model, MeshoptSimplifier) : model, placements, 'dense');
}

/** Handles for a kind's machines; those in `still` have no animation. */
function handlesOf(kind: InstancedKind, still: ReadonlySet<number> = new Set()): MachineHandle[] {
  return kind.instances.map((instance) => ({
    machineIndex: instance.machineIndex,
    bounds: instance.bounds,
    instance,
    properties: [],
    spins: still.has(instance.machineIndex) ? [] : [{ object: instance.poses[1]!, binding: { node: 'arm', signal: 'speed', spin: 'y', scale: 1 }, signalIndex: 0, baseAngle: 0, angle: 0 }],
    appliedHealth: -1,
  }));
}

describe('MachineSchedule', () => {
  it('groups the animated machines as they change level, leaving out machines without animation', () => {
    // Two level groups of the far kind (machines 0, 1 and 2 together, 3 apart), and a kind without far levels.
    const far = kindAt([0, 5, 10, levelGroupSize * 3], true);
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
    // A group skipped by the frame loop is the one its members' level follows.
    far.updateLevels(new Vector3(levelGroupSize * 3, 100_000, 0));
    const group = schedule.animated[0]!.group!;
    expect(schedule.animated[0]!.handles.every((handle) => handle.instance.level === group.level)).toBe(true);
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
