import { Vector3 } from 'three';
import { describe, expect, it } from 'vitest';
import { TourCameraPath } from './tour-camera-path.ts';

const viewpoints = [
  { name: 'Overview', position: [0, 40, 60] as [number, number, number], target: [0, 0, 0] as [number, number, number] },
  { name: 'Press', position: [-12, 8, 14] as [number, number, number], target: [-12, 0, 0] as [number, number, number] },
];
const steps = [
  { viewpoint: 'Overview', caption: 'The line', seconds: 4 },
  { viewpoint: 'Gone', caption: 'left out', seconds: 9 },
  { viewpoint: 'Press', caption: 'Press 1', seconds: 6 },
];

describe('TourCameraPath', () => {
  it('holds the first viewpoint, flies to the next within its stay, and arrives there', () => {
    const path = new TourCameraPath(steps, viewpoints);
    expect(path.durationMs).toBe(10_000);
    const position = new Vector3();
    const target = new Vector3();
    expect(path.poseAt(0, position, target)).toBe('The line');
    expect(position.toArray()).toEqual([0, 40, 60]);
    expect(path.poseAt(3999, position, target)).toBe('The line');
    expect(position.toArray()).toEqual([0, 40, 60]);
    expect(path.poseAt(4500, position, target)).toBe('Press 1');
    expect(position.y).toBeLessThan(40);
    expect(position.y).toBeGreaterThan(8);
    path.poseAt(9999, position, target);
    expect(position.toArray()).toEqual([-12, 8, 14]);
    expect(target.toArray()).toEqual([-12, 0, 0]);
    // Asking for an earlier moment again gives the same pose: frames can be rendered in any order.
    path.poseAt(4500, position, target);
    const again = position.clone();
    path.poseAt(4500, position, target);
    expect(position.equals(again)).toBe(true);
  });
});
