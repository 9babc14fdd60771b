import { Box3, PerspectiveCamera, Scene, Vector3 } from 'three';
import { describe, expect, it } from 'vitest';
import type { Machine } from '../../src-main/common/plant-schema.ts';
import { MachineRegistry, type MachineHandle } from './machine-registry.ts';
import { createPredictedMarkerMesh, placePredictedMarkers, predictedMarkersOnScreen } from './predicted-marker-mesh.ts';

/** A machine in the scene with these world bounds; the markers read nothing else of its handle. */
function handle(machineIndex: number, min: [number, number, number], max: [number, number, number]): MachineHandle {
  return { machineIndex, bounds: new Box3(new Vector3(...min), new Vector3(...max)) } as MachineHandle;
}

const machines = [{ id: 'press-1' }, { id: 'press-2' }, { id: 'pump-1' }] as Machine[];

describe('predicted markers', () => {
  it('rings each predicted machine in the scene from above, in one instanced mesh, and passes over machines not loaded', () => {
    const registry = new MachineRegistry();
    registry.registerAll([handle(0, [-3, 0, -3], [3, 4, 3]), handle(1, [7, 0, -1], [9, 2, 1])]);
    const mesh = createPredictedMarkerMesh(machines.length);
    const scene = new Scene().add(mesh);
    scene.updateMatrixWorld();
    const camera = new PerspectiveCamera(40, 1, 0.5, 500);
    camera.position.set(0, 30, 40);
    camera.lookAt(0, 0, 0);
    camera.updateMatrixWorld();

    // Pump 1 (2) is predicted but its model is not in the scene yet: no ring for it.
    placePredictedMarkers(mesh, registry, new Set([1, 0, 2]));
    expect(mesh.count).toBe(2);
    expect(mesh.visible).toBe(true);
    const drawn = predictedMarkersOnScreen(scene, camera, { width: 800, height: 800 }, machines);
    expect(drawn.map((marker) => marker.machineId)).toEqual(['press-2', 'press-1']);
    const [overPress2, overPress1] = drawn as [(typeof drawn)[0], (typeof drawn)[0]];
    // Centred over the machine, above its top, wider for a wider machine.
    expect(overPress1.centre[0]).toBeCloseTo(0);
    expect(overPress1.centre[2]).toBeCloseTo(0);
    expect(overPress1.centre[1]).toBeGreaterThan(4);
    expect(overPress2.centre[0]).toBeCloseTo(8);
    expect(overPress2.centre[1]).toBeGreaterThan(2);
    expect(overPress1.radius).toBeGreaterThan(overPress2.radius);
    // On screen above its machine's centre (screen y grows downward).
    const press1Centre = new Vector3(0, 2, 0).project(camera);
    expect(overPress1.screen.y).toBeLessThan(((1 - press1Centre.y) / 2) * 800);
  });

  it('draws nothing once no machine is predicted, and never more rings than it has room for', () => {
    const registry = new MachineRegistry();
    registry.registerAll([handle(0, [0, 0, 0], [1, 1, 1]), handle(1, [2, 0, 0], [3, 1, 1]), handle(2, [4, 0, 0], [5, 1, 1])]);
    const mesh = createPredictedMarkerMesh(2);
    const scene = new Scene().add(mesh);
    placePredictedMarkers(mesh, registry, new Set([0, 1, 2]));
    expect(mesh.count).toBe(2);
    placePredictedMarkers(mesh, registry, new Set());
    expect(mesh.count).toBe(0);
    expect(mesh.visible).toBe(false);
    expect(predictedMarkersOnScreen(scene, new PerspectiveCamera(), { width: 100, height: 100 }, machines)).toEqual([]);
  });
});
