// Kinds of real instanced machines for the tests of the frame loop (not part of the view).
import { MeshoptSimplifier } from 'meshoptimizer';
import { BoxGeometry, Group, Mesh, MeshStandardMaterial, SphereGeometry } from 'three';
import { withSimplifiedFarLevels } from '../far-level.ts';
import { InstancedKind, type KindPlacement } from '../instanced-kind.ts';
import { buildKindModel } from '../kind-model.ts';
import type { MachineHandle } from '../machine-registry.ts';

/** A dense machine (enough triangles for far levels) with an arm that animations move. */
function template(): Group {
  const machine = new Group();
  const arm = new Mesh(new BoxGeometry(0.2, 1, 0.2), new MeshStandardMaterial({ color: '#cc6633' }));
  arm.name = 'arm';
  arm.position.set(1.6, 2, 0);
  machine.add(new Mesh(new SphereGeometry(1.5, 64, 32), new MeshStandardMaterial({ color: '#3366cc' })), arm);
  return machine;
}

/** A kind of machines standing along x at the given positions; `far` gives it far levels (and so level groups). Await `MeshoptSimplifier.ready` first. */
export function kindAt(xs: readonly number[], far: boolean, firstIndex = 0): InstancedKind {
  const model = buildKindModel(template(), new Set(['arm']));
  const placements: KindPlacement[] = xs.map((x, index) => ({ machineIndex: firstIndex + index, position: [x, 0, 0], rotationDegrees: 0, cell: 0 }));
  return new InstancedKind(far ? withSimplifiedFarLevels(model, MeshoptSimplifier) : model, placements, 'dense');
}

/** Handles for a kind's machines, each spinning its arm by signal `signalIndex`; those in `still` have no animation. */
export function handlesOf(kind: InstancedKind, still: ReadonlySet<number> = new Set(), signalIndex = 0): MachineHandle[] {
  return kind.instances.map((instance) => ({
    machineIndex: instance.machineIndex,
    bounds: instance.bounds,
    instance,
    properties: [],
    spins: still.has(instance.machineIndex) ? [] : [{ object: instance.poses[1]!, binding: { node: 'arm', signal: 'speed', spin: 'y' as const, scale: 1 }, signalIndex, baseAngle: 0, angle: 0 }],
    appliedHealth: -1,
  }));
}
