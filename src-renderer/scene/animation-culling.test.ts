import { PerspectiveCamera, Sphere, Vector3 } from 'three';
import { describe, expect, it } from 'vitest';
import { AnimationCulling, stillFromLevel } from './animation-culling.ts';
import { KindCell, type MachineInstance } from './instanced-kind.ts';

/** A camera at the origin looking down −z, its matrices current as after a render. */
function cameraLookingAhead(): PerspectiveCamera {
  const camera = new PerspectiveCamera(60, 1.6, 0.1, 5000);
  camera.position.set(0, 0, 0);
  camera.lookAt(0, 0, -1);
  camera.updateMatrixWorld();
  return camera;
}

function machineIn(cell: KindCell, level: number): MachineInstance {
  return { level, cell } as unknown as MachineInstance;
}

describe('AnimationCulling', () => {
  it('animates machines in view near the camera, not those behind it or drawn at the far level', () => {
    const ahead = new KindCell(1, 1, new Sphere(new Vector3(0, 0, -50), 5), 3);
    const behind = new KindCell(1, 1, new Sphere(new Vector3(0, 0, 50), 5), 3);
    const culling = new AnimationCulling();
    culling.beginFrame(cameraLookingAhead());
    expect(culling.isWorthAnimating(machineIn(ahead, 0))).toBe(true);
    expect(culling.isWorthAnimating(machineIn(ahead, stillFromLevel - 1))).toBe(true);
    expect(culling.isWorthAnimating(machineIn(ahead, stillFromLevel))).toBe(false);
    expect(culling.isWorthAnimating(machineIn(behind, 0))).toBe(false);
  });

  it('tests each cell again on the next frame, so a machine moves again once the camera turns to it', () => {
    const cell = new KindCell(1, 1, new Sphere(new Vector3(0, 0, 50), 5), 3);
    const machine = machineIn(cell, 0);
    const camera = cameraLookingAhead();
    const culling = new AnimationCulling();
    culling.beginFrame(camera);
    expect(culling.isWorthAnimating(machine)).toBe(false);
    camera.lookAt(0, 0, 1);
    camera.updateMatrixWorld();
    culling.beginFrame(camera);
    expect(culling.isWorthAnimating(machine)).toBe(true);
  });
});
