import { Box3, Color, Group, MeshStandardMaterial } from 'three';
import { describe, expect, it } from 'vitest';
import { Health, healthStates } from '../../src-main/common/health.ts';
import { applyHealth, pulseHealth } from './apply-health.ts';
import type { MachineHandle } from './machine-registry.ts';

function machineWith(color: string): MachineHandle {
  const material = new MeshStandardMaterial({ color });
  return {
    machineIndex: 0,
    root: new Group(),
    bounds: new Box3(),
    materials: [{ material, baseColor: material.color.clone(), baseOpacity: 1, baseTransparent: false }],
    properties: [],
    spins: [],
    appliedHealth: -1,
  };
}

const healthyLook = (() => {
  const handle = machineWith('#5a7d9a');
  applyHealth(handle, Health.ok);
  const material = handle.materials[0]!.material;
  return { color: material.color.clone(), opacity: material.opacity };
})();

describe('applyHealth', () => {
  it('keeps the model colour, opaque, for ok', () => {
    expect(healthyLook.color.getHexString()).toBe(new Color('#5a7d9a').getHexString());
    expect(healthyLook.opacity).toBe(1);
  });

  it.each(['stale', 'offline', 'unknown'] as const)('never draws %s in the healthy look: grey and see-through', (state) => {
    const handle = machineWith('#5a7d9a');
    applyHealth(handle, Health[state]);
    const material = handle.materials[0]!.material;
    expect(material.color.equals(healthyLook.color)).toBe(false);
    expect(material.opacity).toBeLessThan(1);
    expect(material.transparent).toBe(true);
    const hsl = material.color.getHSL({ h: 0, s: 0, l: 0 });
    expect(hsl.s).toBeLessThan(0.25);
  });

  it('turns alarm red and warn amber, opaque, with a glow', () => {
    const alarm = machineWith('#8c96a3');
    applyHealth(alarm, Health.alarm);
    const red = alarm.materials[0]!.material;
    expect(red.color.r).toBeGreaterThan(red.color.g * 3);
    expect(red.emissiveIntensity).toBeGreaterThan(0);
    expect(red.opacity).toBe(1);
    const warn = machineWith('#8c96a3');
    applyHealth(warn, Health.warn);
    const amber = warn.materials[0]!.material;
    expect(amber.color.r).toBeGreaterThan(amber.color.b * 1.5);
    expect(amber.color.g).toBeGreaterThan(amber.color.b);
  });

  it('treats an unexpected code as unknown, never as healthy', () => {
    const handle = machineWith('#5a7d9a');
    applyHealth(handle, 42);
    expect(handle.materials[0]!.material.opacity).toBeLessThan(1);
  });

  it('returns to the model colour when the machine recovers', () => {
    const handle = machineWith('#5a7d9a');
    applyHealth(handle, Health.stale);
    applyHealth(handle, Health.ok);
    const material = handle.materials[0]!.material;
    expect(material.color.equals(healthyLook.color)).toBe(true);
    expect(material.opacity).toBe(1);
    expect(material.transparent).toBe(false);
  });

  it('pulses only alarms', () => {
    const alarm = machineWith('#8c96a3');
    applyHealth(alarm, Health.alarm);
    pulseHealth(alarm, 0.25);
    const peak = alarm.materials[0]!.material.emissiveIntensity;
    pulseHealth(alarm, 0.75);
    expect(alarm.materials[0]!.material.emissiveIntensity).toBeLessThan(peak);
    const warn = machineWith('#8c96a3');
    applyHealth(warn, Health.warn);
    const steady = warn.materials[0]!.material.emissiveIntensity;
    pulseHealth(warn, 0.75);
    expect(warn.materials[0]!.material.emissiveIntensity).toBe(steady);
    expect(healthStates.length).toBe(7);
  });
});
