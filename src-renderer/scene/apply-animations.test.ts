import { Euler, Vector3 } from 'three';
import { describe, expect, it } from 'vitest';
import { Health } from '../../src-main/common/health.ts';
import type { PropertyAnimation, SpinAnimation } from '../../src-main/common/plant-schema.ts';
import type { FrameBufferState } from '../telemetry/frame-buffer.ts';
import { applyAnimations } from './apply-animations.ts';
import type { MachineHandle, PartPose } from './machine-registry.ts';

function pose(): PartPose {
  return { position: new Vector3(), rotation: new Euler(), scale: new Vector3(1, 1, 1), visible: true, changed: false };
}

function buffer(values: number[]): FrameBufferState {
  return { values: Float64Array.from(values), signalHealth: Uint8Array.from(values.map(() => Health.ok)) } as unknown as FrameBufferState;
}

describe('applyAnimations', () => {
  it('says whether a part moved, so an unchanged machine costs no matrix rewrite', () => {
    const arm = pose();
    const handle = {
      properties: [{ object: arm, binding: { property: 'position.y', scale: 1, offset: 0 } as PropertyAnimation, signalIndex: 0 }],
      spins: [],
    } as unknown as MachineHandle;
    expect(applyAnimations(handle, buffer([2]), 0.016)).toBe(true);
    expect(arm.position.y).toBe(2);
    arm.changed = false;
    expect(applyAnimations(handle, buffer([2]), 0.016)).toBe(false);
    expect(applyAnimations(handle, buffer([3]), 0.016)).toBe(true);
  });

  it('reports a spin that turns, and none once its rate is zero', () => {
    const spindle = pose();
    const handle = {
      properties: [],
      spins: [{ object: spindle, binding: { spin: 'y', scale: 1 } as SpinAnimation, signalIndex: 0, baseAngle: 0, angle: 0 }],
    } as unknown as MachineHandle;
    expect(applyAnimations(handle, buffer([1]), 0.1)).toBe(true);
    spindle.changed = false;
    expect(applyAnimations(handle, buffer([0]), 0.1)).toBe(false);
  });
});
