import { gridStep, snapTo } from './edit-scene.ts';

/**
 * Where a machine dragged by its body goes on the floor: the point under the pointer (on the level
 * where it was grabbed) minus where on the machine it was grabbed, snapped to the grid unless not asked.
 */
export function floorDragPlace(pointer: { x: number; z: number }, grabOffset: { x: number; z: number }, snapping: boolean): { x: number; z: number } {
  const x = pointer.x - grabOffset.x;
  const z = pointer.z - grabOffset.z;
  return snapping ? { x: snapTo(x, gridStep), z: snapTo(z, gridStep) } : { x, z };
}
