import type { Limits } from './plant-schema.ts';

/** A value comfortably inside a signal's limits, and how far a healthy value may wander from it. */
export function operatingPoint(limits: Limits | undefined): { nominal: number; span: number } {
  if (!limits) return { nominal: 0.5, span: 0.5 };
  const low = limits.lowWarn ?? limits.lowAlarm;
  const high = limits.highWarn ?? limits.highAlarm;
  if (low !== undefined && high !== undefined) return { nominal: (low + high) / 2, span: (high - low) / 2 };
  if (high !== undefined) return { nominal: high * 0.75, span: Math.abs(high) * 0.25 };
  if (low !== undefined) return { nominal: low * 1.4 + 1, span: Math.abs(low) * 0.4 + 1 };
  return { nominal: 0.5, span: 0.5 };
}
