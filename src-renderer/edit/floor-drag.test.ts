import { describe, expect, it } from 'vitest';
import { floorDragPlace } from './floor-drag.ts';

describe('floorDragPlace', () => {
  it('keeps the point grabbed under the pointer, snapped to the 0.5 m grid', () => {
    // Grabbed 0.4 m right of and 0.3 m behind the machine's place; the pointer now at (5.3, -2.05).
    expect(floorDragPlace({ x: 5.3, z: -2.15 }, { x: 0.4, z: -0.3 }, true)).toEqual({ x: 5, z: -2 });
    expect(floorDragPlace({ x: 0.1, z: -0.1 }, { x: 0, z: 0 }, true)).toEqual({ x: 0, z: 0 });
    expect(Object.is(floorDragPlace({ x: -0.1, z: -0.1 }, { x: 0, z: 0 }, true).x, -0)).toBe(false);
  });

  it('follows the pointer exactly without snapping (Shift held)', () => {
    expect(floorDragPlace({ x: 5.3, z: -2.05 }, { x: 0.4, z: -0.3 }, false)).toEqual({ x: expect.closeTo(4.9, 9), z: expect.closeTo(-1.75, 9) });
  });
});
