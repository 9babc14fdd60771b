import { MathUtils } from 'three';
import type { PlantEdit } from '../../src-main/common/plant-edit.ts';
import type { Machine } from '../../src-main/common/plant-schema.ts';
import type { GizmoMode } from './plant-editor-store.ts';

/** Millimetres are enough for a plant file: 4.1000000001 is written 4.1, and -0 as 0. */
function round(value: number): number {
  return Math.round(value * 1000) / 1000 + 0;
}

/**
 * The one action a gizmo release sends: where the gizmo left the machine on the floor (its height kept),
 * or its turn about the vertical in degrees from 0 to 360; undefined when nothing changed.
 */
export function gizmoEdit(machine: Pick<Machine, 'id' | 'position' | 'rotation'>, mode: GizmoMode, place: { x: number; z: number; turn: number }): PlantEdit | undefined {
  if (mode === 'move') {
    const position: [number, number, number] = [round(place.x), machine.position[1], round(place.z)];
    if (position[0] === machine.position[0] && position[2] === machine.position[2]) return undefined;
    return { type: 'moveMachine', machineId: machine.id, position };
  }
  const rotation = round(((MathUtils.radToDeg(place.turn) % 360) + 360) % 360) % 360;
  return rotation === machine.rotation ? undefined : { type: 'rotateMachine', machineId: machine.id, rotation };
}
