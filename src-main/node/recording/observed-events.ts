/** What kind of thing an observed event is: a signal's sample, a broker connecting or not, a machine's health changing. */
export const ObservedKind = { sample: 0, connection: 1, health: 2 } as const;

/** Observed events as transferable columns: what crosses from the ingest loop to the recording worker once a second. */
export interface ObservedBatch {
  kinds: Uint8Array<ArrayBuffer>;
  /** Signal, broker or machine index. */
  indices: Int32Array<ArrayBuffer>;
  /** Sample value, 1/0 for connected, or the health code. */
  values: Float64Array<ArrayBuffer>;
  times: Float64Array<ArrayBuffer>;
  length: number;
}

/**
 * Buffers what live observes in typed arrays, in the order it happened, so recording allocates
 * nothing per sample on the ingest loop; `take()` hands the columns over whole (transferable).
 */
export class ObservedEvents {
  private kinds = new Uint8Array(1024);
  private indices = new Int32Array(1024);
  private values = new Float64Array(1024);
  private times = new Float64Array(1024);
  private count = 0;
  private readonly maxEvents: number;
  /** Events refused because the buffer was full (the recording worker fell behind or is restarting). */
  dropped = 0;

  /** `maxEvents` bounds memory when the recording worker cannot keep up. */
  constructor(maxEvents: number) {
    this.maxEvents = maxEvents;
  }

  get length(): number {
    return this.count;
  }

  push(kind: number, index: number, value: number, time: number): void {
    if (this.count === this.kinds.length) {
      if (this.count >= this.maxEvents) {
        this.dropped++;
        return;
      }
      this.grow();
    }
    this.kinds[this.count] = kind;
    this.indices[this.count] = index;
    this.values[this.count] = value;
    this.times[this.count] = time;
    this.count++;
  }

  /** The buffered events, trimmed to their length; the buffer starts again empty, at a size fit for the next batch. */
  take(): ObservedBatch {
    const length = this.count;
    const batch: ObservedBatch = { kinds: this.kinds.slice(0, length), indices: this.indices.slice(0, length), values: this.values.slice(0, length), times: this.times.slice(0, length), length };
    this.count = 0;
    return batch;
  }

  private grow(): void {
    const size = Math.min(this.maxEvents, this.kinds.length * 2);
    const grow = <T extends Uint8Array | Int32Array | Float64Array>(old: T, made: T): T => {
      made.set(old);
      return made;
    };
    this.kinds = grow(this.kinds, new Uint8Array(size));
    this.indices = grow(this.indices, new Int32Array(size));
    this.values = grow(this.values, new Float64Array(size));
    this.times = grow(this.times, new Float64Array(size));
  }
}
