/** Events as parallel columns: what the recorder buffers and the codec packs. */
export interface EventColumns {
  readonly times: Float64Array;
  /** Signal index, or −1−brokerIndex for a connection event. */
  readonly codes: Int32Array;
  readonly values: Float64Array;
  readonly length: number;
}

/**
 * A growable buffer of events in typed arrays, so buffering a sample allocates nothing: at half a
 * million samples a second, an object per sample is what the garbage collector would spend its time on.
 */
export class EventBuffer implements EventColumns {
  times = new Float64Array(1024);
  codes = new Int32Array(1024);
  values = new Float64Array(1024);
  length = 0;

  push(time: number, code: number, value: number): void {
    if (this.length === this.times.length) this.grow();
    this.times[this.length] = time;
    this.codes[this.length] = code;
    this.values[this.length] = value;
    this.length++;
  }

  clear(): void {
    this.length = 0;
  }

  /** Time of the last event; only meaningful when not empty. */
  lastTime(): number {
    return this.times[this.length - 1]!;
  }

  private grow(): void {
    const capacity = this.times.length * 2;
    const times = new Float64Array(capacity);
    const codes = new Int32Array(capacity);
    const values = new Float64Array(capacity);
    times.set(this.times);
    codes.set(this.codes);
    values.set(this.values);
    this.times = times;
    this.codes = codes;
    this.values = values;
  }
}
