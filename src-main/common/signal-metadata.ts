import { z } from 'zod';
import type { SignalMetadata } from './contract.ts';

/** Longest unit kept from a source, in characters ("strokes/min", "m³/h" …): anything longer is not a unit. */
export const maxUnitLength = 32;

/** What a source says about one signal, before it is bounded: any field may be missing or unusable. */
export interface SignalDescription {
  unit?: unknown;
  low?: unknown;
  high?: unknown;
}

/**
 * Keeps only what can be shown of a source's description of a signal: a unit of 1–32 characters
 * without control characters (trimmed), finite numbers, and a range only when low ≤ high (a range
 * given the wrong way round is dropped whole). Undefined when nothing is left.
 */
export function boundSignalMetadata(signal: number, description: SignalDescription): SignalMetadata | undefined {
  const metadata: SignalMetadata = { signal };
  if (typeof description.unit === 'string') {
    const unit = description.unit.trim();
    // Control characters (and line breaks) have no place in a unit shown in a table cell.
    if (unit.length > 0 && Array.from(unit).length <= maxUnitLength && !/\p{Cc}/u.test(unit)) metadata.unit = unit;
  }
  const low = typeof description.low === 'number' && Number.isFinite(description.low) ? description.low : undefined;
  const high = typeof description.high === 'number' && Number.isFinite(description.high) ? description.high : undefined;
  if (!(low !== undefined && high !== undefined && low > high)) {
    if (low !== undefined) metadata.low = low;
    if (high !== undefined) metadata.high = high;
  }
  return metadata.unit === undefined && metadata.low === undefined && metadata.high === undefined ? undefined : metadata;
}

/** Whether two descriptions of the same signal say the same. */
export function sameSignalMetadata(first: SignalMetadata | undefined, second: SignalMetadata | undefined): boolean {
  return first?.unit === second?.unit && first?.low === second?.low && first?.high === second?.high;
}

const entrySchema = z
  .object({
    signal: z.number().int().min(0),
    unit: z.string().min(1).max(maxUnitLength * 2).optional(),
    low: z.number().finite().optional(),
    high: z.number().finite().optional(),
  })
  .strict();

/**
 * Reads a list of signal metadata that came from elsewhere (a recording's meta row): an array of at
 * most one entry per signal of the plant, each bounded as `boundSignalMetadata` does, in signal order.
 * Anything else — another shape, a signal the plant does not have, a signal twice — gives an empty
 * list: metadata is only ever shown, so a file's bad metadata costs nothing but itself.
 */
export function parseSignalMetadataList(value: unknown, signalCount: number): SignalMetadata[] {
  const parsed = z.array(entrySchema).max(signalCount).safeParse(value);
  if (!parsed.success) return [];
  const list: SignalMetadata[] = [];
  const seen = new Set<number>();
  for (const entry of parsed.data) {
    if (entry.signal >= signalCount || seen.has(entry.signal)) return [];
    seen.add(entry.signal);
    const bounded = boundSignalMetadata(entry.signal, entry);
    if (!bounded || !sameSignalMetadata(bounded, entry)) return [];
    list.push(bounded);
  }
  return list.sort((first, second) => first.signal - second.signal);
}

/** The unit a view shows for a signal: the plant file's when it gives one (it is the one its limits are written in), else its source's. */
export function shownUnit(plantUnit: string | undefined, metadata: SignalMetadata | undefined): string {
  // The plant file's unit defaults to "": that is giving none.
  return plantUnit || metadata?.unit || '';
}
