import { healthPulse } from './health-material.ts';
import { appearanceOf } from './health-palette.ts';
import { moveToLayer } from './instanced-kind.ts';
import type { MachineHandle } from './machine-registry.ts';

/**
 * Redraws a machine for a new health state (called only when the state changes): see-through states move
 * it to its kind's see-through layer, and its instance's tint, glow and opacity are written in place.
 */
export function applyHealth(handle: MachineHandle, code: number): void {
  const appearance = appearanceOf(code);
  const instance = handle.instance;
  moveToLayer(instance, appearance.opacity < 1);
  const { layer, slot } = instance;
  const tint = layer.tint.array;
  tint[slot * 4] = appearance.tint.r;
  tint[slot * 4 + 1] = appearance.tint.g;
  tint[slot * 4 + 2] = appearance.tint.b;
  tint[slot * 4 + 3] = appearance.tintAmount;
  const glow = layer.glow.array;
  glow[slot * 4] = appearance.emissive.r * appearance.emissiveIntensity;
  glow[slot * 4 + 1] = appearance.emissive.g * appearance.emissiveIntensity;
  glow[slot * 4 + 2] = appearance.emissive.b * appearance.emissiveIntensity;
  glow[slot * 4 + 3] = appearance.pulse ? 1 : 0;
  layer.opacity.array[slot] = appearance.opacity;
  layer.tint.needsUpdate = true;
  layer.glow.needsUpdate = true;
  layer.opacity.needsUpdate = true;
  handle.appliedHealth = code;
}

/** Sets the alarm pulse for this moment, once per frame for every alarming machine; `seconds` is clock time. */
export function pulseHealth(seconds: number): void {
  healthPulse.value = 0.55 + 0.45 * Math.sin(seconds * Math.PI * 2);
}
