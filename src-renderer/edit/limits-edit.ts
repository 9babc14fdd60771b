import type { Limits } from '../../src-main/common/plant-schema.ts';

/** The four limits a signal's form sets, as the plant file names them. */
export const limitNames = ['lowAlarm', 'lowWarn', 'highWarn', 'highAlarm'] as const;
/** One of the four limits. */
export type LimitName = (typeof limitNames)[number];

/** What setSignalFields takes as a signal's limits: the whole limits, or null for none. */
export type LimitsEdit = { lowAlarm?: number; lowWarn?: number; highWarn?: number; highAlarm?: number; deadband?: number; onDelay?: number; priority?: Limits['priority'] } | null;

/**
 * A signal's whole limits after one limit is set (a number) or removed (undefined), keeping what the
 * file says of the others, the deadband, on-delay and priorities; defaults the parser fills in (a deadband
 * or on-delay of 0) are not written out. Null when no limit is left and nothing else is set.
 */
export function limitsWith(existing: Limits | undefined, name: LimitName, value: number | undefined): LimitsEdit {
  const next: NonNullable<LimitsEdit> = {};
  for (const limit of limitNames) {
    const kept = limit === name ? value : existing?.[limit];
    if (kept !== undefined) next[limit] = kept;
  }
  if (existing?.deadband) next.deadband = existing.deadband;
  if (existing?.onDelay) next.onDelay = existing.onDelay;
  if (existing?.priority && Object.keys(existing.priority).length > 0) next.priority = existing.priority;
  return Object.keys(next).length === 0 ? null : next;
}

/** A number typed into a field: undefined for an empty field, NaN for text that is not a number. */
export function parseField(text: string): number | undefined {
  const trimmed = text.trim();
  if (trimmed === '') return undefined;
  return /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(trimmed) ? Number(trimmed) : Number.NaN;
}
