import type { PropertyAnimation } from './plant-schema.ts';

/** Value a property binding gives its node property: value × scale + offset, clamped to min/max when given. */
export function propertyValue(binding: Pick<PropertyAnimation, 'scale' | 'offset' | 'min' | 'max'>, value: number): number {
  let result = value * binding.scale + binding.offset;
  if (binding.min !== undefined && result < binding.min) result = binding.min;
  if (binding.max !== undefined && result > binding.max) result = binding.max;
  return result;
}

/** Whether a `visible` binding shows its node: the bound value reaches one half. */
export function isVisible(binding: Pick<PropertyAnimation, 'scale' | 'offset' | 'min' | 'max'>, value: number): boolean {
  return propertyValue(binding, value) >= 0.5;
}

const fullTurn = Math.PI * 2;

/**
 * Next angle of a spinning node after `seconds` at `rate` (signal units) × `scale` (radians/s per unit).
 * A node whose signal is not fresh must not look like it is running, so callers pass rate 0 then.
 */
export function spinAngle(angle: number, rate: number, scale: number, seconds: number): number {
  const next = (angle + rate * scale * seconds) % fullTurn;
  return next < 0 ? next + fullTurn : next;
}
