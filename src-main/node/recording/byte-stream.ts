/** Maps a signed integer to an unsigned one, small magnitudes to small numbers: 0, −1, 1, −2 → 0, 1, 2, 3. */
export function zigzag(value: number): number {
  return value >= 0 ? value * 2 : -value * 2 - 1;
}

/** Reverses `zigzag`. */
export function unzigzag(value: number): number {
  return value % 2 === 0 ? value / 2 : -(value + 1) / 2;
}

/** Appends varints and doubles to a growing byte array. Numbers up to 2^53 are exact. */
export class ByteWriter {
  private bytes: Uint8Array;
  private view: DataView;
  length = 0;

  constructor(capacity = 256) {
    this.bytes = new Uint8Array(capacity);
    this.view = new DataView(this.bytes.buffer);
  }

  /** An unsigned integer in LEB128: 7 bits a byte, so values under 128 take one byte. */
  varint(value: number): void {
    this.reserve(8);
    while (value >= 0x80) {
      this.bytes[this.length++] = (value % 0x80) | 0x80;
      value = Math.floor(value / 0x80);
    }
    this.bytes[this.length++] = value;
  }

  float64(value: number): void {
    this.reserve(8);
    this.view.setFloat64(this.length, value, true);
    this.length += 8;
  }

  /** The bytes written so far (a view, not a copy). */
  written(): Uint8Array {
    return this.bytes.subarray(0, this.length);
  }

  private reserve(count: number): void {
    if (this.length + count <= this.bytes.length) return;
    const grown = new Uint8Array(Math.max(this.bytes.length * 2, this.length + count));
    grown.set(this.bytes.subarray(0, this.length));
    this.bytes = grown;
    this.view = new DataView(grown.buffer);
  }
}

/** Bytes a varint may take: 8 × 7 bits hold every integer up to 2^56, beyond the 2^53 a double keeps exact. */
export const maxVarintBytes = 8;
const maxVarintFactor = 0x80 ** (maxVarintBytes - 1);

/** Reads what a `ByteWriter` wrote; running past the end throws, so a damaged block is reported, not misread. */
export class ByteReader {
  private readonly bytes: Uint8Array;
  private readonly view: DataView;
  offset: number;
  private readonly end: number;

  constructor(bytes: Uint8Array, offset = 0, end = bytes.length) {
    this.bytes = bytes;
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.offset = offset;
    // Never past the bytes, whatever a damaged header claims.
    this.end = Math.min(end, bytes.length);
  }

  varint(): number {
    let value = 0;
    let factor = 1;
    for (;;) {
      if (this.offset >= this.end) throw new Error('truncated block');
      const byte = this.bytes[this.offset++]!;
      value += (byte & 0x7f) * factor;
      if (byte < 0x80) return value;
      factor *= 0x80;
      // Only reached by multi-byte varints: a run of continuation bytes in a damaged block is refused, not summed to Infinity.
      if (factor > maxVarintFactor) throw new Error('varint longer than 8 bytes');
    }
  }

  float64(): number {
    if (this.offset + 8 > this.end) throw new Error('truncated block');
    const value = this.view.getFloat64(this.offset, true);
    this.offset += 8;
    return value;
  }

  atEnd(): boolean {
    return this.offset >= this.end;
  }
}
