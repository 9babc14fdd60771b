import type { FrameBufferState } from '../telemetry/frame-buffer.ts';
import { stillFromLevel, type AnimationCulling } from './animation-culling.ts';
import { applyAnimations } from './apply-animations.ts';
import { applyHealth } from './apply-health.ts';
import { updatePoses } from './instanced-kind.ts';
import type { MachineRegistry } from './machine-registry.ts';
import type { MachineSchedule } from './machine-schedule.ts';

/**
 * One frame's update of the plant's machines: redraws those whose health changed since they were drawn
 * (typed arrays compared in bulk, so a machine is touched only when its health changed) and moves the
 * animated parts of machines near enough for motion to show, skipping whole level groups drawn too far
 * away (see `MachineSchedule`). `stepSeconds` is the frame's time. Allocates nothing.
 */
export function updateMachines(telemetry: FrameBufferState, registry: MachineRegistry, schedule: MachineSchedule, culling: AnimationCulling, stepSeconds: number): void {
  const machineHealth = telemetry.machineHealth;
  const handles = registry.handles;
  schedule.refresh(machineHealth.length);
  const drawnHealth = schedule.drawnHealth;
  for (let index = 0; index < machineHealth.length; index++) {
    const health = machineHealth[index]!;
    if (health === drawnHealth[index]) continue;
    const handle = handles[index];
    if (!handle) continue;
    applyHealth(handle, health);
    drawnHealth[index] = health;
  }
  const animated = schedule.animated;
  for (let groupIndex = 0; groupIndex < animated.length; groupIndex++) {
    const { group, handles: members } = animated[groupIndex]!;
    if (group && group.level >= stillFromLevel) continue;
    for (let member = 0; member < members.length; member++) {
      const handle = members[member]!;
      const stride = culling.animationStride(handle.instance);
      if (stride === 0) continue;
      if (applyAnimations(handle, telemetry, stepSeconds * stride)) updatePoses(handle.instance);
    }
  }
}
