/** A stretch of a recording that could not be read, and why. */
export interface DamagedRange {
  /** First and last moment affected (ms since the epoch, inclusive). */
  start: number;
  end: number;
  reason: string;
}

/** Entries kept per file; past this, later finds widen one last entry instead. */
const maxEntries = 10_000;
const overflowKey = '\u0000more';

/**
 * The damaged stretches found in one file so far. Blocks are checked as they are read, so a stretch
 * appears once replay, an export or a chart has read it. Each is kept by the block it was found in
 * (a chunk, a rollup row), so reading a damaged block again adds nothing, and the log never holds more
 * than a fixed number of entries.
 */
export class DamageLog {
  private readonly entries = new Map<string, DamagedRange>();

  /** Records damage found in the block `key`, once. */
  add(key: string, range: DamagedRange): void {
    if (this.entries.has(key)) return;
    if (this.entries.size < maxEntries - 1) {
      this.entries.set(key, range);
      return;
    }
    const overflow = this.entries.get(overflowKey);
    if (!overflow) this.entries.set(overflowKey, { ...range, reason: `${range.reason} (and more damage around it)` });
    else this.entries.set(overflowKey, { start: Math.min(overflow.start, range.start), end: Math.max(overflow.end, range.end), reason: overflow.reason });
  }

  /** Whether anything has been found. */
  get empty(): boolean {
    return this.entries.size === 0;
  }

  /**
   * The damaged stretches that overlap `from`–`to`, in time order. Stretches that touch or overlap
   * are merged, so a run of damaged chunks shows as one gap, with the first reason and how many blocks.
   */
  between(from: number, to: number): DamagedRange[] {
    const found = [...this.entries.values()].filter((range) => range.end >= from && range.start <= to).sort((a, b) => a.start - b.start || a.end - b.end);
    const merged: Array<DamagedRange & { blocks: number }> = [];
    for (const range of found) {
      const last = merged[merged.length - 1];
      if (last && range.start <= last.end + 1) {
        last.end = Math.max(last.end, range.end);
        last.blocks++;
      } else {
        merged.push({ ...range, blocks: 1 });
      }
    }
    return merged.map(({ blocks, ...range }) => (blocks === 1 ? range : { ...range, reason: `${range.reason} (and ${blocks - 1} more damaged block${blocks > 2 ? 's' : ''} in a row)` }));
  }
}
