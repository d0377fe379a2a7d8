/**
 * Bit-level writer and reader over reused byte buffers. Bits go least
 * significant first: stream bit i is bit (i % 8) of byte (i >> 3). Fields up
 * to 32 bits wide. Neither allocates after construction.
 */
export class BitWriter {
  /** Bit position from the start of `bytes`. */
  bit = 0;

  constructor(readonly bytes: Uint8Array) {}

  /** Starts writing at byte `offset` and zeroes the rest of the buffer it may touch. */
  reset(offset: number): void {
    this.bit = offset * 8;
    this.bytes.fill(0, offset);
  }

  /** Room left, in bits. */
  get remaining(): number {
    return this.bytes.length * 8 - this.bit;
  }

  /** Writes the low `width` bits of `value` (unsigned or two's complement). Caller checks `remaining`. */
  write(value: number, width: number): void {
    let v = width === 32 ? value >>> 0 : (value & ((1 << width) - 1)) >>> 0;
    let left = width;
    while (left > 0) {
      const byte = this.bit >> 3;
      const shift = this.bit & 7;
      const take = Math.min(8 - shift, left);
      const bytes = this.bytes;
      bytes[byte] = (bytes[byte] as number) | ((v & ((1 << take) - 1)) << shift);
      v = take === 32 ? 0 : v >>> take;
      this.bit += take;
      left -= take;
    }
  }

  /** Bytes used so far, rounding the last partial byte up. */
  get byteLength(): number {
    return (this.bit + 7) >> 3;
  }
}

export class BitReader {
  bit = 0;
  end = 0;
  bytes: Uint8Array = new Uint8Array(0);

  /** Reads `bytes[offset, end)`. */
  reset(bytes: Uint8Array, offset: number, end: number): void {
    this.bytes = bytes;
    this.bit = offset * 8;
    this.end = end * 8;
  }

  get remaining(): number {
    return this.end - this.bit;
  }

  /** Unsigned read of `width` bits; the caller checks `remaining` first. */
  readUnsigned(width: number): number {
    let value = 0;
    let got = 0;
    while (got < width) {
      const byte = this.bytes[this.bit >> 3] as number;
      const shift = this.bit & 7;
      const take = Math.min(8 - shift, width - got);
      const part = (byte >> shift) & ((1 << take) - 1);
      value += part * 2 ** got;
      got += take;
      this.bit += take;
    }
    return value;
  }

  /** Two's complement read of `width` bits. */
  readSigned(width: number): number {
    const value = this.readUnsigned(width);
    const half = 2 ** (width - 1);
    return value >= half ? value - 2 ** width : value;
  }
}
