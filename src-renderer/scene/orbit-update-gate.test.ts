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

  it('updates every frame between start and end, and on through the damped glide that follows', () => {
    const { camera, controls, update, gate, settle } = rig();
    settle();
    update.mockClear();
    controls.dispatchEvent({ type: 'start' });
    for (let frame = 0; frame < 10; frame++) expect(gate.frame()).toBe(true);
    expect(update).toHaveBeenCalledTimes(10);
    // A drag leaves a velocity the damped controls spend over the following frames (as a pointer move would).
    const before = camera.position.clone();
    (controls as unknown as { _rotateLeft(angle: number): void })._rotateLeft(0.5);
    controls.dispatchEvent({ type: 'end' });
    const glide = settle();
    expect(glide).toBeGreaterThan(10);
    expect(camera.position.distanceTo(before)).toBeGreaterThan(1);
    expect(gate.frame()).toBe(false);
  });

  it('leaves disabled controls alone (a gizmo drag holds them)', () => {
    const { controls, update, gate } = rig();
    controls.enabled = false;
    expect(gate.frame()).toBe(false);
    expect(update).not.toHaveBeenCalled();
  });
});
