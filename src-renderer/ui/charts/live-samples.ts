/**
 * A signal's samples as they arrive live, in a fixed ring of typed arrays: appending allocates nothing,
 * and the oldest samples make room once it is full, so a rolling window costs a bounded amount of memory.
 */
export class LiveSamples {
  private readonly times: Float64Array;
  private readonly values: Float64Array;
  private start = 0;
  private count = 0;

  readonly capacity: number;

  constructor(capacity: number) {
    this.capacity = capacity;
    this.times = new Float64Array(capacity);
    this.values = new Float64Array(capacity);
  }

  /** Number of samples held. */
  get size(): number {
    return this.count;
  }

  /** The time of the oldest sample held, or undefined when there is none. */
  get firstTime(): number | undefined {
    return this.count === 0 ? undefined : this.times[this.start];
  }

  /** Adds a sample; one at or before the last one held is a repeat of what a frame already carried and is dropped. */
  append(time: number, value: number): void {
    if (this.count > 0 && time <= this.times[(this.start + this.count - 1) % this.capacity]!) return;
    const slot = (this.start + this.count) % this.capacity;
    this.times[slot] = time;
    // Bad quality and a lost source are no measurement: a gap in the line, as charts of the recording leave them out.
    this.values[slot] = Number.isFinite(value) ? value : Number.NaN;
    if (this.count < this.capacity) this.count++;
    else this.start = (this.start + 1) % this.capacity;
  }

  /** Forgets every sample. */
  clear(): void {
    this.start = 0;
    this.count = 0;
  }

  /** Calls `visit` for each sample at or after `from`, oldest first. */
  forEachSince(from: number, visit: (time: number, value: number) => void): void {
    for (let offset = 0; offset < this.count; offset++) {
      const slot = (this.start + offset) % this.capacity;
      if (this.times[slot]! >= from) visit(this.times[slot]!, this.values[slot]!);
    }
  }
}
