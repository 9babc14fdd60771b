import { PerspectiveCamera } from 'three';
import { OrbitControls } from 'three/examples/jsm/controls/OrbitControls.js';
import { describe, expect, it, vi } from 'vitest';
import { OrbitUpdateGate } from './orbit-update-gate.ts';

/** Real orbit controls (no element: nothing to listen to) on a camera looking at the origin, with damping. */
function rig() {
  const camera = new PerspectiveCamera();
  camera.position.set(0, 10, 20);
  const controls = new OrbitControls(camera);
  controls.enableDamping = true;
  const update = vi.spyOn(controls, 'update');
  const gate = new OrbitUpdateGate(controls, camera);
  gate.listen();
  /** Runs frames until the gate stops updating; returns how many updated. */
  const settle = () => {
    let updated = 0;
    while (gate.frame()) if (++updated > 1_000) throw new Error('the controls never came to rest');
    return updated;
  };
  return { camera, controls, update, gate, settle };
}

describe('OrbitUpdateGate', () => {
  it('updates the controls until they rest, then spends no frame on them', () => {
    const { update, gate, settle } = rig();
    expect(settle()).toBeGreaterThan(0);
    update.mockClear();
    for (let frame = 0; frame < 100; frame++) expect(gate.frame()).toBe(false);
    expect(update).not.toHaveBeenCalled();
  });

  it('updates on the frame after something else moved the camera or the target', () => {
    const { camera, controls, update, settle } = rig();
    settle();
    update.mockClear();
    camera.position.x += 5;
    expect(settle()).toBeGreaterThan(0);
    controls.target.set(1, 0, 0);
    expect(settle()).toBeGreaterThan(0);
    expect(update).toHaveBeenCalled();
  });

  it('applies limits changed from outside at once: a camera nearer than a new minimum distance is moved out', () => {
    const { camera, controls, settle } = rig();
    settle();
    controls.minDistance = 50;
    expect(settle()).toBeGreaterThan(0);
    expect(camera.position.distanceTo(controls.target)).toBeCloseTo(50, 3);
  });

  it('follows the damped glide a drag leaves, and rests after a start that no end follows (a flight to a machine)', () => {
    const { camera, controls, gate, settle } = rig();
    settle();
    controls.dispatchEvent({ type: 'start' });
    // A drag leaves a velocity the damped controls spend over the following frames (as a pointer move would).
    const before = camera.position.clone();
    (controls as unknown as { _rotateLeft(angle: number): void })._rotateLeft(0.5);
    const glide = settle();
    expect(glide).toBeGreaterThan(10);
    expect(camera.position.distanceTo(before)).toBeGreaterThan(1);
    // No `end` came: the gate rests all the same once nothing moves.
    for (let frame = 0; frame < 100; frame++) expect(gate.frame()).toBe(false);
  });

  it('leaves disabled controls alone (a gizmo drag holds them)', () => {
    const { controls, update, gate } = rig();
    controls.enabled = false;
    expect(gate.frame()).toBe(false);
    expect(update).not.toHaveBeenCalled();
  });
});
