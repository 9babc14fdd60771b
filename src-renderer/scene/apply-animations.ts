import { isVisible, propertyValue, spinAngle } from '../../src-main/common/animation.ts';
import { Health } from '../../src-main/common/health.ts';
import type { FrameBufferState } from '../telemetry/frame-buffer.ts';
import type { MachineHandle } from './machine-registry.ts';

/** Whether a signal's value is current enough to drive motion. */
function isFresh(health: number): boolean {
  return health === Health.ok || health === Health.warn || health === Health.alarm;
}

/** Moves a machine's animated nodes to their signals' values; spins only on fresh data. */
export function applyAnimations(handle: MachineHandle, buffer: FrameBufferState, deltaSeconds: number): void {
  for (let index = 0; index < handle.properties.length; index++) {
    const target = handle.properties[index]!;
    if (buffer.signalHealth[target.signalIndex] === Health.unknown) continue;
    const value = buffer.values[target.signalIndex]!;
    // Bad quality (NaN) and a lost source hold the last pose: NaN would make the node vanish.
    if (!Number.isFinite(value)) continue;
    const binding = target.binding;
    const object = target.object;
    switch (binding.property) {
      case 'visible':
        object.visible = isVisible(binding, value);
        break;
      case 'scale':
        object.scale.setScalar(propertyValue(binding, value));
        break;
      case 'position.x': object.position.x = propertyValue(binding, value); break;
      case 'position.y': object.position.y = propertyValue(binding, value); break;
      case 'position.z': object.position.z = propertyValue(binding, value); break;
      case 'rotation.x': object.rotation.x = propertyValue(binding, value); break;
      case 'rotation.y': object.rotation.y = propertyValue(binding, value); break;
      case 'rotation.z': object.rotation.z = propertyValue(binding, value); break;
      case 'scale.x': object.scale.x = propertyValue(binding, value); break;
      case 'scale.y': object.scale.y = propertyValue(binding, value); break;
      case 'scale.z': object.scale.z = propertyValue(binding, value); break;
    }
  }
  for (let index = 0; index < handle.spins.length; index++) {
    const spin = handle.spins[index]!;
    const rate = isFresh(buffer.signalHealth[spin.signalIndex]!) ? buffer.values[spin.signalIndex]! : 0;
    spin.angle = spinAngle(spin.angle, rate, spin.binding.scale, deltaSeconds);
    spin.object.rotation[spin.binding.spin] = spin.baseAngle + spin.angle;
  }
}
