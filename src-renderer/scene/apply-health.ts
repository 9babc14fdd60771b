import { appearanceOf } from './health-palette.ts';
import type { MachineHandle } from './machine-registry.ts';

/** Redraws a machine's materials for a new health state (called only when the state changes). */
export function applyHealth(handle: MachineHandle, code: number): void {
  const appearance = appearanceOf(code);
  for (let index = 0; index < handle.materials.length; index++) {
    const entry = handle.materials[index]!;
    const material = entry.material;
    material.color.copy(entry.baseColor).lerp(appearance.tint, appearance.tintAmount);
    material.emissive.copy(appearance.emissive);
    material.emissiveIntensity = appearance.emissiveIntensity;
    const opacity = Math.min(entry.baseOpacity, appearance.opacity);
    const transparent = entry.baseTransparent || opacity < 1;
    if (material.transparent !== transparent) material.needsUpdate = true;
    material.transparent = transparent;
    material.opacity = opacity;
    // Translucent machines must not hide what is behind them.
    material.depthWrite = !transparent;
  }
  handle.appliedHealth = code;
}

/** Pulses an alarm's glow; `phase` is seconds of clock time. */
export function pulseHealth(handle: MachineHandle, phase: number): void {
  const appearance = appearanceOf(handle.appliedHealth);
  if (!appearance.pulse) return;
  const intensity = appearance.emissiveIntensity * (0.55 + 0.45 * Math.sin(phase * Math.PI * 2));
  for (let index = 0; index < handle.materials.length; index++) handle.materials[index]!.material.emissiveIntensity = intensity;
}
