import { BoxGeometry, Group, Mesh, MeshStandardMaterial } from 'three';
import { InstancedKind, type KindPlacement } from './instanced-kind.ts';
import { buildKindModel } from './kind-model.ts';
import type { MachineHandle } from './machine-registry.ts';

/**
 * `count` box machines of one colour in a row (10 m apart), drawn as one instanced kind, with their
 * handles as the scene makes them: for tests and benchmarks of the health and animation paths without
 * a model file or a GPU.
 */
export function primitiveKindHandles(count: number, color = '#8a9099'): { kind: InstancedKind; handles: MachineHandle[] } {
  const template = new Group();
  const box = new Mesh(new BoxGeometry(2, 2, 2), new MeshStandardMaterial({ color }));
  box.position.y = 1;
  template.add(box);
  const placements: KindPlacement[] = Array.from({ length: count }, (_, machineIndex) => ({ machineIndex, position: [machineIndex * 10, 0, 0], rotationDegrees: 0, cell: 0 }));
  const kind = new InstancedKind(buildKindModel(template, new Set()), placements, 'boxes');
  const handles = kind.instances.map((instance) => ({ machineIndex: instance.machineIndex, bounds: instance.bounds, instance, properties: [], spins: [], appliedHealth: -1 }));
  return { kind, handles };
}
