import { useFrame } from '@react-three/fiber';
import type { FrameBuffer } from '../telemetry/frame-buffer.ts';
import { applyAnimations } from './apply-animations.ts';
import { applyHealth, pulseHealth } from './apply-health.ts';
import type { MachineRegistry } from './machine-registry.ts';

/**
 * The one per-frame loop: reads the frame buffer without subscribing React to it, recolours
 * machines whose health changed, pulses alarms and drives animations — in place, allocating nothing.
 */
export function PlantUpdater({ buffer, registry }: { buffer: FrameBuffer; registry: MachineRegistry }) {
  useFrame((state, delta) => {
    const telemetry = buffer.getState();
    const handles = registry.handles;
    const seconds = state.clock.elapsedTime;
    // A long pause (hidden tab) must not turn into one giant spin step.
    const step = Math.min(delta, 0.1);
    for (let index = 0; index < handles.length; index++) {
      const handle = handles[index];
      if (!handle) continue;
      const health = telemetry.machineHealth[handle.machineIndex]!;
      if (health !== handle.appliedHealth) applyHealth(handle, health);
      pulseHealth(handle, seconds);
      applyAnimations(handle, telemetry, step);
    }
  });
  return null;
}
