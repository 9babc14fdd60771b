import { Color, Vector3 } from 'three';
import { describe, expect, it } from 'vitest';
import { Health, healthStates } from '../../src-main/common/health.ts';
import { applyHealth, pulseHealth } from './apply-health.ts';
import { healthPulse } from './health-material.ts';
import type { MachineHandle } from './machine-registry.ts';
import { primitiveKindHandles } from './primitive-kind-handles.ts';

/** What the shader gets for a machine: its layer, tint (rgb, amount), glow (rgb, pulse) and opacity. */
function drawnAs(handle: MachineHandle) {
  const { layer, slot } = handle.instance;
  const tint = Array.from(layer.tint.array.slice(slot * 4, slot * 4 + 4));
  const glow = Array.from(layer.glow.array.slice(slot * 4, slot * 4 + 4));
  return { seeThrough: layer.seeThrough, tint: new Color(tint[0]!, tint[1]!, tint[2]!), tintAmount: tint[3]!, glow: glow.slice(0, 3), pulses: glow[3] === 1, opacity: layer.opacity.array[slot]! };
}

/** Where the machine's static part is drawn, from its layer's instance matrix. */
function drawnAt(handle: MachineHandle): Vector3 {
  const { layer, slot } = handle.instance;
  return new Vector3().fromArray(layer.partMatrices[0]!.array, slot * 16 + 12);
}

describe('applyHealth', () => {
  it('keeps the model colour, solid, for ok', () => {
    const [handle] = primitiveKindHandles(1).handles;
    applyHealth(handle!, Health.ok);
    const look = drawnAs(handle!);
    expect(look.seeThrough).toBe(false);
    expect(look.tintAmount).toBe(0);
    expect(look.opacity).toBe(1);
    expect(look.glow).toEqual([0, 0, 0]);
  });

  it.each(['stale', 'offline', 'unknown', 'bad'] as const)('never draws %s in the healthy look: moved to the see-through layer, tinted', (state) => {
    const [handle] = primitiveKindHandles(1).handles;
    applyHealth(handle!, Health[state]);
    const look = drawnAs(handle!);
    expect(look.seeThrough).toBe(true);
    expect(look.opacity).toBeLessThan(1);
    expect(look.tintAmount).toBeGreaterThan(0.5);
    if (state !== 'bad') expect(look.tint.getHSL({ h: 0, s: 0, l: 0 }).s).toBeLessThan(0.25);
  });

  it('turns alarm red and warn amber, solid, with a glow; only the alarm pulses', () => {
    const { handles } = primitiveKindHandles(2);
    applyHealth(handles[0]!, Health.alarm);
    applyHealth(handles[1]!, Health.warn);
    const red = drawnAs(handles[0]!);
    expect(red.tint.r).toBeGreaterThan(red.tint.g * 3);
    expect(red.glow[0]).toBeGreaterThan(0);
    expect(red.pulses).toBe(true);
    expect(red.seeThrough).toBe(false);
    const amber = drawnAs(handles[1]!);
    expect(amber.tint.r).toBeGreaterThan(amber.tint.b * 1.5);
    expect(amber.tint.g).toBeGreaterThan(amber.tint.b);
    expect(amber.pulses).toBe(false);
  });

  it('treats an unexpected code as unknown, never as healthy', () => {
    const [handle] = primitiveKindHandles(1).handles;
    applyHealth(handle!, 42);
    expect(drawnAs(handle!).seeThrough).toBe(true);
    expect(drawnAs(handle!).opacity).toBeLessThan(1);
  });

  it('moves machines between layers without mixing up their places or looks', () => {
    const { kind, handles } = primitiveKindHandles(4);
    for (const handle of handles) applyHealth(handle, Health.ok);
    applyHealth(handles[0]!, Health.stale);
    applyHealth(handles[2]!, Health.alarm);
    applyHealth(handles[1]!, Health.offline);
    applyHealth(handles[0]!, Health.ok);
    const [solid, seeThrough] = kind.cells.get(0)!.layers;
    expect(solid.count).toBe(3);
    expect(seeThrough.count).toBe(1);
    for (const handle of handles) {
      // Each slot names the machine drawn there, and draws it at its own place.
      expect(handle.instance.layer.instances[handle.instance.slot]).toBe(handle.instance);
      expect(drawnAt(handle).x).toBe(handle.machineIndex * 10);
      expect(handle.instance.slot).toBeLessThan(handle.instance.layer.count);
    }
    expect(drawnAs(handles[2]!).pulses).toBe(true);
    expect(drawnAs(handles[1]!).seeThrough).toBe(true);
    expect(drawnAs(handles[0]!).tintAmount).toBe(0);
    // Only occupied slots are drawn, and an empty layer draws nothing.
    for (const mesh of solid.meshes) expect(mesh.count).toBe(3);
    applyHealth(handles[1]!, Health.ok);
    for (const mesh of seeThrough.meshes) expect(mesh.visible).toBe(false);
  });

  it('pulses alarms through one shared uniform', () => {
    pulseHealth(0.25);
    const peak = healthPulse.value;
    pulseHealth(0.75);
    expect(healthPulse.value).toBeLessThan(peak);
    expect(healthStates.length).toBe(7);
  });
});
