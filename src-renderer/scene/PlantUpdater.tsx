import { useFrame, useThree } from '@react-three/fiber';
import { useEffect, useMemo } from 'react';
import { AnimationCulling } from './animation-culling.ts';
import type { FrameBuffer } from '../telemetry/frame-buffer.ts';
import { applyAnimations } from './apply-animations.ts';
import { applyHealth, pulseHealth } from './apply-health.ts';
import { updatePoses } from './instanced-kind.ts';
import type { MachineRegistry } from './machine-registry.ts';
import { markShadowStructureChanged, ShadowRefresh, shadowCasterChanges } from './shadow-refresh.ts';

/**
 * The one per-frame loop: reads the frame buffer without subscribing React to it, redraws machines whose
 * health changed, pulses alarms and moves animated parts — in place, allocating nothing, and rewriting
 * instance matrices only for parts that moved, of machines in view and near enough for motion to show;
 * and asks for the shadow map to be drawn again only when something casting a shadow changed.
 */
export function PlantUpdater({ buffer, registry }: { buffer: FrameBuffer; registry: MachineRegistry }) {
  const culling = useMemo(() => new AnimationCulling(), []);
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
    const handles = registry.handles;
    // A long pause (hidden tab) must not turn into one giant spin step.
    const step = Math.min(delta, 0.1);
    pulseHealth(state.clock.elapsedTime);
    for (let index = 0; index < handles.length; index++) {
      const handle = handles[index];
      if (!handle) continue;
      const health = telemetry.machineHealth[handle.machineIndex]!;
      if (health !== handle.appliedHealth) applyHealth(handle, health);
      if (handle.properties.length === 0 && handle.spins.length === 0) continue;
      const stride = culling.animationStride(handle.instance);
      if (stride === 0) continue;
      if (applyAnimations(handle, telemetry, step * stride)) updatePoses(handle.instance);
    }
    if (shadows.needsDrawing(shadowCasterChanges)) state.gl.shadowMap.needsUpdate = true;
  });
  return null;
}
