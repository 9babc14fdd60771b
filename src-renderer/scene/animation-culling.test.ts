import { PerspectiveCamera, Sphere, Vector3 } from 'three';
import { describe, expect, it } from 'vitest';
import { AnimationCulling, firstFarLevelBudget, firstFarLevelStride, stillFromLevel } from './animation-culling.ts';
import { KindCell, type MachineInstance } from './instanced-kind.ts';

/** A camera at the origin looking down −z, its matrices current as after a render. */
function cameraLookingAhead(): PerspectiveCamera {
  const camera = new PerspectiveCamera(60, 1.6, 0.1, 5000);
  camera.position.set(0, 0, 0);
  camera.lookAt(0, 0, -1);
  camera.updateMatrixWorld();
  return camera;
}

function machineIn(cell: KindCell, level: number, machineIndex = 0): MachineInstance {
  return { level, cell, machineIndex, movedFrame: -1 } as unknown as MachineInstance;
}

describe('AnimationCulling', () => {
  it('moves machines in view near the camera every frame, not those behind it or drawn at the farthest level', () => {
    const ahead = new KindCell(1, 1, new Sphere(new Vector3(0, 0, -50), 5));
    const behind = new KindCell(1, 1, new Sphere(new Vector3(0, 0, 50), 5));
    const culling = new AnimationCulling();
    const camera = cameraLookingAhead();
    for (let frame = 0; frame < firstFarLevelStride; frame++) {
      culling.beginFrame(camera);
      expect(culling.animationStride(machineIn(ahead, 0))).toBe(1);
      expect(culling.animationStride(machineIn(ahead, stillFromLevel))).toBe(0);
      expect(culling.animationStride(machineIn(behind, 0))).toBe(0);
      expect(culling.animationStride(machineIn(behind, 1))).toBe(0);
    }
  });

  it('moves a machine at the first far level once in so many frames, by the time of all of them, each machine on its own turn', () => {
    const ahead = new KindCell(4, 1, new Sphere(new Vector3(0, 0, -300), 5));
    const machines = [0, 1, 2, 3].map((index) => machineIn(ahead, 1, index));
    const culling = new AnimationCulling();
    const camera = cameraLookingAhead();
    const moved = [0, 0, 0, 0];
    const movedPerFrame: number[] = [];
    for (let frame = 0; frame < firstFarLevelStride * 3; frame++) {
      culling.beginFrame(camera);
      let thisFrame = 0;
      machines.forEach((machine, index) => {
        const stride = culling.animationStride(machine);
        expect([0, firstFarLevelStride]).toContain(stride);
        moved[index]! += stride;
        if (stride > 0) thisFrame++;
      });
      movedPerFrame.push(thisFrame);
    }
    // Each machine advanced by exactly the frames that passed; the work is spread evenly over frames.
    expect(moved).toEqual([12, 12, 12, 12]);
    expect(movedPerFrame.every((count) => count === 1)).toBe(true);
  });

  it('moves at most the budget of first-far-level machines a frame when more are in view, each less often but by the frames that passed', () => {
    const count = firstFarLevelBudget * 8;
    const ahead = new KindCell(count, 1, new Sphere(new Vector3(0, 0, -300), 5));
    const near = machineIn(ahead, 0, count * 8);
    // Indices that share a factor with the stride (a plant repeating a pattern of machines): turns must still spread.
    const machines = Array.from({ length: count }, (_, index) => machineIn(ahead, 1, index * 8));
    const culling = new AnimationCulling();
    const camera = cameraLookingAhead();
    // The first frame has no count yet and takes turns every firstFarLevelStride frames; it decides the next one's stride.
    culling.beginFrame(camera);
    const lastMoved = machines.map((machine): number => (culling.animationStride(machine) > 0 ? 0 : -1));
    const moves = new Array<number>(count).fill(0);
    for (let frame = 1; frame <= 8 * 3; frame++) {
      culling.beginFrame(camera);
      expect(culling.firstFarLevelStride).toBe(8);
      // A machine near the camera still moves every frame.
      expect(culling.animationStride(near)).toBe(1);
      let thisFrame = 0;
      machines.forEach((machine, index) => {
        const stride = culling.animationStride(machine);
        if (stride === 0) return;
        thisFrame++;
        moves[index]!++;
        // Moved by the frames that passed since it last moved (the stride at most).
        expect(stride).toBe(lastMoved[index]! < 0 ? 8 : Math.min(8, frame - lastMoved[index]!));
        lastMoved[index] = frame;
      });
      expect(thisFrame).toBe(firstFarLevelBudget);
    }
    expect(moves.every((count) => count === 3)).toBe(true);
    // When the crowd thins out, turns come every firstFarLevelStride frames again.
    culling.beginFrame(camera);
    culling.animationStride(machines[0]!);
    culling.beginFrame(camera);
    expect(culling.firstFarLevelStride).toBe(firstFarLevelStride);
  });

  it('tests each cell again on the next frame, so a machine moves again once the camera turns to it', () => {
    const cell = new KindCell(1, 1, new Sphere(new Vector3(0, 0, 50), 5));
    const machine = machineIn(cell, 0);
    const camera = cameraLookingAhead();
    const culling = new AnimationCulling();
    culling.beginFrame(camera);
    expect(culling.animationStride(machine)).toBe(0);
    camera.lookAt(0, 0, 1);
    camera.updateMatrixWorld();
    culling.beginFrame(camera);
    expect(culling.animationStride(machine)).toBe(1);
  });
});
