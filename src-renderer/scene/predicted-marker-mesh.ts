import { Color, InstancedMesh, Matrix4, MeshBasicMaterial, Quaternion, TorusGeometry, Vector3, type Camera, type Object3D } from 'three';
import type { Machine } from '../../src-main/common/plant-schema.ts';
import type { MachineRegistry } from './machine-registry.ts';

/** The name of the predicted markers' mesh in the scene, for the scene probe. */
export const predictedMarkersName = 'predicted-markers';

/** Amber: the forecast's colour, apart from the warning yellow and alarm red a machine itself turns. */
const markerColour = new Color('#ffb020');

/** What the markers' instances stand for: the machine index of each drawn instance, in instance order. */
interface MarkerData {
  machines: Int32Array;
}

// Scratch objects for placing markers: nothing is allocated when they are placed.
const size = new Vector3();
const centre = new Vector3();
const position = new Vector3();
const scale = new Vector3();
const flat = new Quaternion().setFromAxisAngle(new Vector3(1, 0, 0), -Math.PI / 2);
const matrix = new Matrix4();

/** One instanced mesh of flat amber rings with room for `capacity` machines, drawing none until placed. */
export function createPredictedMarkerMesh(capacity: number): InstancedMesh<TorusGeometry, MeshBasicMaterial> {
  const slots = Math.max(1, capacity);
  const rings = new InstancedMesh(new TorusGeometry(1, 0.12, 8, 40), new MeshBasicMaterial({ color: markerColour, transparent: true, toneMapped: false, depthWrite: false }), slots);
  rings.name = predictedMarkersName;
  rings.count = 0;
  rings.visible = false;
  // Instances move about the plant: the mesh's own bounds would cull rings that are on screen.
  rings.frustumCulled = false;
  rings.renderOrder = 2;
  rings.userData = { machines: new Int32Array(slots).fill(-1) } satisfies MarkerData;
  return rings;
}

/**
 * Writes one ring per predicted machine that is in the scene, flat above its top and sized to its
 * footprint; machines not (yet) in the registry are passed over, and with none the mesh is hidden.
 */
export function placePredictedMarkers(mesh: InstancedMesh, registry: MachineRegistry, predicted: ReadonlySet<number>): void {
  const { machines } = mesh.userData as MarkerData;
  let count = 0;
  for (const machineIndex of predicted) {
    const handle = registry.handles[machineIndex];
    if (!handle || count >= machines.length) continue;
    handle.bounds.getSize(size);
    handle.bounds.getCenter(centre);
    const radius = Math.max(size.x, size.z) * 0.3 + 0.4;
    position.set(centre.x, handle.bounds.max.y + 0.6 + radius * 0.2, centre.z);
    scale.setScalar(radius);
    mesh.setMatrixAt(count, matrix.compose(position, flat, scale));
    machines[count] = machineIndex;
    count++;
  }
  machines.fill(-1, count);
  mesh.count = count;
  mesh.visible = count > 0;
  mesh.instanceMatrix.needsUpdate = true;
}

/** One ring as the last placement drew it: its machine, its centre and radius in the world, its centre on screen. */
export interface PredictedMarkerOnScreen {
  machineId: string;
  centre: [number, number, number];
  radius: number;
  screen: { x: number; y: number };
}

/** The rings the markers' mesh draws, read from its instance matrices (empty when it shows none), for the scene probe. */
export function predictedMarkersOnScreen(scene: Object3D, camera: Camera, canvas: { width: number; height: number }, plantMachines: readonly Machine[]): PredictedMarkerOnScreen[] {
  const rings = scene.getObjectByName(predictedMarkersName) as InstancedMesh | undefined;
  if (!rings || !rings.visible) return [];
  const { machines } = rings.userData as MarkerData;
  const result: PredictedMarkerOnScreen[] = [];
  for (let index = 0; index < rings.count; index++) {
    const instance = new Matrix4();
    rings.getMatrixAt(index, instance);
    const world = new Vector3().setFromMatrixPosition(instance).applyMatrix4(rings.matrixWorld);
    const projected = world.clone().project(camera);
    result.push({
      machineId: plantMachines[machines[index]!]?.id ?? '',
      centre: world.toArray(),
      radius: new Vector3().setFromMatrixScale(instance).x,
      screen: { x: ((projected.x + 1) / 2) * canvas.width, y: ((1 - projected.y) / 2) * canvas.height },
    });
  }
  return result;
}
