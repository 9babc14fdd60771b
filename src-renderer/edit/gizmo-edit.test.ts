import { describe, expect, it } from 'vitest';
import { gizmoEdit } from './gizmo-edit.ts';

const machine = { id: 'press-1', position: [2, 0.5, -4] as [number, number, number], rotation: 90 };

describe('gizmoEdit', () => {
  it('moves on the floor, keeping the height, rounded to millimetres', () => {
    expect(gizmoEdit(machine, 'move', { x: 4.0000000001, z: -0.0000001, turn: 0 })).toEqual({ type: 'moveMachine', machineId: 'press-1', position: [4, 0.5, 0] });
    expect(gizmoEdit(machine, 'move', { x: 2, z: -4, turn: 1 })).toBeUndefined();
  });

  it('turns about the vertical in degrees from 0 to 360', () => {
    expect(gizmoEdit(machine, 'rotate', { x: 0, z: 0, turn: -Math.PI / 2 })).toEqual({ type: 'rotateMachine', machineId: 'press-1', rotation: 270 });
    expect(gizmoEdit(machine, 'rotate', { x: 0, z: 0, turn: 2 * Math.PI })).toEqual({ type: 'rotateMachine', machineId: 'press-1', rotation: 0 });
    expect(gizmoEdit(machine, 'rotate', { x: 9, z: 9, turn: Math.PI / 2 })).toBeUndefined();
  });
});
