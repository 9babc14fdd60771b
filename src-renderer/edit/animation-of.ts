import type { AnimationBinding } from '../../src-main/common/plant-edit.ts';

/** What a signal can drive: a property of the part (value × scale + offset), or its spin about an axis (radians/s per unit). */
export const motions = ['rotation.x', 'rotation.y', 'rotation.z', 'position.x', 'position.y', 'position.z', 'scale', 'visible', 'spin x', 'spin y', 'spin z'] as const;
/** One thing a signal can drive. */
export type Motion = (typeof motions)[number];

/** The animation a form makes: a spin for "spin x", else a property. */
export function animationOf(node: string, motion: Motion, signal: string, scale: number): AnimationBinding {
  if (motion.startsWith('spin ')) return { node, spin: motion.slice(5) as 'x' | 'y' | 'z', signal, scale };
  return { node, property: motion, signal, scale };
}

