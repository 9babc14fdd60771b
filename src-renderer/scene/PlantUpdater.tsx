import { useFrame, useThree } from '@react-three/fiber';
import { useEffect, useMemo } from 'react';
import { AnimationCulling } from './animation-culling.ts';
import type { FrameBuffer } from '../telemetry/frame-buffer.ts';
import { pulseHealth } from './apply-health.ts';
import type { MachineRegistry } from './machine-registry.ts';
import { MachineSchedule } from './machine-schedule.ts';
import { updateMachines } from './update-machines.ts';
import { markShadowStructureChanged, ShadowRefresh, shadowCasterChanges } from './shadow-refresh.ts';

/**
 * The one per-frame loop: reads the frame buffer without subscribing React to it, redraws machines whose
 * health changed, pulses alarms and moves animated parts (`updateMachines`) — in place, allocating
 * nothing, and rewriting instance matrices only for parts that moved, of machines in view and near
 * enough for motion to show; and asks for the shadow map to be drawn again only when something casting
 * a shadow changed.
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
    pulseHealth(state.clock.elapsedTime);
    // A long pause (hidden tab) must not turn into one giant spin step.
    updateMachines(buffer.getState(), registry, schedule, culling, Math.min(delta, 0.1));
    if (shadows.needsDrawing(shadowCasterChanges)) state.gl.shadowMap.needsUpdate = true;
  });
  return null;
}
