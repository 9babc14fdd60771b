import type { Euler, Vector3 } from 'three';
import { isVisible, propertyValue, spinAngle } from '../../src-main/common/animation.ts';
import { Health } from '../../src-main/common/health.ts';
import type { FrameBufferState } from '../telemetry/frame-buffer.ts';
import type { MachineHandle, PartPose } from './machine-registry.ts';

/** Whether a signal's value is current enough to drive motion. */
function isFresh(health: number): boolean {
  return health === Health.ok || health === Health.warn || health === Health.alarm;
}

/** Sets one axis of a part's position, rotation or scale, noting the change so only moved parts are redrawn. */
function setAxis(pose: PartPose, vector: Vector3 | Euler, axis: 'x' | 'y' | 'z', value: number): void {
  if (vector[axis] === value) return;
  vector[axis] = value;
  pose.changed = true;
}

/** Moves a machine's animated parts to their signals' values; spins only on fresh data. Returns whether any part's pose changed. */
export function applyAnimations(handle: MachineHandle, buffer: FrameBufferState, deltaSeconds: number): boolean {
  let changed = false;
  for (let index = 0; index < handle.properties.length; index++) {
    const target = handle.properties[index]!;
    if (buffer.signalHealth[target.signalIndex] === Health.unknown) continue;
    const value = buffer.values[target.signalIndex]!;
    // Bad quality (NaN) and a lost source hold the last pose: NaN would make the node vanish.
    if (!Number.isFinite(value)) continue;
    const binding = target.binding;
    const pose = target.object;
    switch (binding.property) {
      case 'visible': {
        const visible = isVisible(binding, value);
        if (pose.visible !== visible) {
          pose.visible = visible;
          pose.changed = true;
        }
        break;
      }
      case 'scale': {
        const scale = propertyValue(binding, value);
        setAxis(pose, pose.scale, 'x', scale);
        setAxis(pose, pose.scale, 'y', scale);
        setAxis(pose, pose.scale, 'z', scale);
        break;
      }
      case 'position.x': setAxis(pose, pose.position, 'x', propertyValue(binding, value)); break;
      case 'position.y': setAxis(pose, pose.position, 'y', propertyValue(binding, value)); break;
      case 'position.z': setAxis(pose, pose.position, 'z', propertyValue(binding, value)); break;
      case 'rotation.x': setAxis(pose, pose.rotation, 'x', propertyValue(binding, value)); break;
      case 'rotation.y': setAxis(pose, pose.rotation, 'y', propertyValue(binding, value)); break;
      case 'rotation.z': setAxis(pose, pose.rotation, 'z', propertyValue(binding, value)); break;
      case 'scale.x': setAxis(pose, pose.scale, 'x', propertyValue(binding, value)); break;
      case 'scale.y': setAxis(pose, pose.scale, 'y', propertyValue(binding, value)); break;
      case 'scale.z': setAxis(pose, pose.scale, 'z', propertyValue(binding, value)); break;
    }
    if (pose.changed) changed = true;
  }
  for (let index = 0; index < handle.spins.length; index++) {
    const spin = handle.spins[index]!;
    const rate = isFresh(buffer.signalHealth[spin.signalIndex]!) ? buffer.values[spin.signalIndex]! : 0;
    spin.angle = spinAngle(spin.angle, rate, spin.binding.scale, deltaSeconds);
    setAxis(spin.object, spin.object.rotation, spin.binding.spin, spin.baseAngle + spin.angle);
    if (spin.object.changed) changed = true;
  }
  return changed;
}
