import { Vector3 } from 'three';
import { describe, expect, it } from 'vitest';
import { CameraFlight, easeInOut, flightMs } from './camera-flight.ts';

describe('camera flight', () => {
  it('eases from the start to the end and lands exactly on the viewpoint', () => {
    expect(easeInOut(0)).toBe(0);
    expect(easeInOut(0.5)).toBeCloseTo(0.5);
    expect(easeInOut(1)).toBe(1);
    const flight = new CameraFlight();
    const position = new Vector3(0, 10, 0);
    const target = new Vector3(0, 0, 0);
    flight.start(position, target, [100, 10, 0], [50, 0, 0], 1000);
    expect(flight.step(position, target, 1000 + flightMs.min / 4)).toBe(true);
    // A quarter of the way in time is less than a quarter of the way in space: it starts gently.
    expect(position.x).toBeGreaterThan(0);
    expect(position.x).toBeLessThan(25);
    expect(flight.step(position, target, 1000 + flightMs.max)).toBe(false);
    expect(position.toArray()).toEqual([100, 10, 0]);
    expect(target.toArray()).toEqual([50, 0, 0]);
    expect(flight.active).toBe(false);
  });
});
