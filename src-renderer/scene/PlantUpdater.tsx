import { useFrame, useThree } from '@react-three/fiber';
import { useEffect, useMemo } from 'react';
import { AnimationCulling, stillFromLevel } from './animation-culling.ts';
import type { FrameBuffer } from '../telemetry/frame-buffer.ts';
import { applyAnimations } from './apply-animations.ts';
import { applyHealth, pulseHealth } from './apply-health.ts';
import { updatePoses } from './instanced-kind.ts';
import type { MachineRegistry } from './machine-registry.ts';
import { MachineSchedule } from './machine-schedule.ts';
import { markShadowStructureChanged, ShadowRefresh, shadowCasterChanges } from './shadow-refresh.ts';

/**
 * The one per-frame loop: reads the frame buffer without subscribing React to it, redraws machines whose
 * health changed, pulses alarms and moves animated parts — in place, allocating nothing, and rewriting
 * instance matrices only for parts that moved, of machines in view and near enough for motion to show
 * (groups of machines drawn too far away are skipped whole, see `MachineSchedule`); and asks for the
 * shadow map to be drawn again only when something casting a shadow changed.
 */
export function PlantUpdater({ buffer, registry }: { buffer: FrameBuffer; registry: MachineRegistry }) {
  const culling = useMemo(() => new AnimationCulling(), []);
  const schedule = useMemo(() => new MachineSchedule(registry), [registry]);
  useEffect(() => registry.onChange(() => schedule.invalidate()), [registry, schedule]);
  const shadows = useMemo(() => new ShadowRefresh(), []);
  const renderer = useThree((state) => state.gl);
  useEffect(() => {
    // The shadow map is drawn again only when a shadow caster changed (see ShadowRefresh), not every frame.
    renderer.shadowMap.autoUpdate = false;
    markShadowStructureChanged();
    const stop = registry.onChange(markShadowStructureChanged);
    return () => {
      stop();
      renderer.shadowMap.autoUpdate = true;
    };
  }, [renderer, registry]);
  useFrame((state, delta) => {
    culling.beginFrame(state.camera);
    const telemetry = buffer.getState();
    const machineHealth = telemetry.machineHealth;
    const handles = registry.handles;
    schedule.refresh(machineHealth.length);
    const drawnHealth = schedule.drawnHealth;
    // Typed arrays compared in bulk: a machine is touched only when its health changed.
    for (let index = 0; index < machineHealth.length; index++) {
      const health = machineHealth[index]!;
      if (health === drawnHealth[index]) continue;
      const handle = handles[index];
      if (!handle) continue;
      applyHealth(handle, health);
      drawnHealth[index] = health;
    }
    // A long pause (hidden tab) must not turn into one giant spin step.
    const step = Math.min(delta, 0.1);
    pulseHealth(state.clock.elapsedTime);
    const animated = schedule.animated;
    for (let groupIndex = 0; groupIndex < animated.length; groupIndex++) {
      const { group, handles: members } = animated[groupIndex]!;
      if (group && group.level >= stillFromLevel) continue;
      for (let member = 0; member < members.length; member++) {
        const handle = members[member]!;
        const stride = culling.animationStride(handle.instance);
        if (stride === 0) continue;
        if (applyAnimations(handle, telemetry, step * stride)) updatePoses(handle.instance);
      }
    }
    if (shadows.needsDrawing(shadowCasterChanges)) state.gl.shadowMap.needsUpdate = true;
  });
  return null;
}
