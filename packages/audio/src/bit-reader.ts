/**
 * Thrown by {@link BitReader} when a read runs past the end of the buffer. The FLAC decoder
 * turns it into an AsrqError that names the file and the frame.
 */
export class EndOfDataError extends Error {
  constructor() {
    super('unexpected end of data');
    this.name = 'EndOfDataError';
  }
}

/**
 * MSB-first bit reader over a byte array, as FLAC frames are packed.
 *
 * The next unread bit is kept at bit 31 of `word` and the bits below the `avail` valid ones
 * are zero, which is what lets {@link readUnary} count leading zeros with one `Math.clz32`.
 */
export class BitReader {
  private readonly bytes: Uint8Array;
  private pos: number;
  private word = 0;
  private avail = 0;

  /**
   * @param bytes - Data to read.
   * @param offset - Byte offset to start at.
   */
  constructor(bytes: Uint8Array, offset: number) {
    this.bytes = bytes;
    this.pos = offset;
  }

  private refill(): void {
    const bytes = this.bytes;
    while (this.avail <= 24 && this.pos < bytes.length) {
      this.word = (this.word | (bytes[this.pos++]! << (24 - this.avail))) >>> 0;
      this.avail += 8;
    }
  }

  /** Byte offset of the next unread bit's byte (exact when byte aligned). */
  get bytePosition(): number {
    return this.pos - (this.avail >> 3);
  }

  /** Skips to the next byte boundary. */
  alignToByte(): void {
    const drop = this.avail & 7;
    this.word = (this.word << drop) >>> 0;
    this.avail -= drop;
  }

  /**
   * Reads `n` bits (0..32) as an unsigned number.
   * @param n - Bit count.
   * @returns The value.
   */
  readBits(n: number): number {
    if (n === 0) return 0;
    if (n > 24) {
      const high = this.readBits(n - 16);
      return high * 65536 + this.readBits(16);
    }
    if (this.avail < n) {
      this.refill();
      if (this.avail < n) throw new EndOfDataError();
    }
    const value = this.word >>> (32 - n);
    this.word = (this.word << n) >>> 0;
    this.avail -= n;
    return value;
  }

  /**
   * Reads `n` bits (1..33) as a two's complement signed number.
   * @param n - Bit count.
   * @returns The value.
   */
  readSigned(n: number): number {
    if (n === 0) return 0;
    const value = this.readBits(n);
    const half = 2 ** (n - 1);
    return value >= half ? value - half * 2 : value;
  }

  /**
   * Reads a unary-coded number: the count of 0 bits before the next 1 bit.
   * @returns The count.
   */
  readUnary(): number {
    let count = 0;
    for (;;) {
      if (this.avail === 0 || this.word === 0) {
        count += this.avail;
        this.word = 0;
        this.avail = 0;
        this.refill();
        if (this.avail === 0) throw new EndOfDataError();
        continue;
      }
      const zeros = Math.clz32(this.word);
      this.word = (this.word << (zeros + 1)) >>> 0;
      this.avail -= zeros + 1;
      return count + zeros;
    }
  }

  /**
   * Decodes `count` Rice-coded, zigzag-signed residuals into `out` starting at `start`.
   * Kept here because it is the decoder's hot loop and needs the private cache.
   * @param out - Destination.
   * @param start - First index to write.
   * @param count - Number of residuals.
   * @param k - Rice parameter.
   */
  readRice(out: Float64Array, start: number, count: number, k: number): void {
    if (k > 24) {
      this.readRiceWide(out, start, count, k);
      return;
    }
    // The cache lives in locals for the loop: V8 keeps them in registers.
    const bytes = this.bytes;
    const length = bytes.length;
    let word = this.word;
    let avail = this.avail;
    let pos = this.pos;
    const end = start + count;
    const wordLimit = 2 ** (31 - k);
    // Two bytes at a time while they fit (avail <= 16), so the common sample needs no refill of its own.
    const pairEnd = length - 1;
    for (let i = start; i < end; i++) {
      if (avail <= 16 && pos < pairEnd) {
        word = (word | (((bytes[pos]! << 8) | bytes[pos + 1]!) << (16 - avail))) >>> 0;
        pos += 2;
        avail += 16;
      }
      let q = 0;
      while (word === 0) {
        q += avail;
        avail = 0;
        while (avail <= 24 && pos < length) {
          word = (word | (bytes[pos++]! << (24 - avail))) >>> 0;
          avail += 8;
        }
        if (avail === 0) throw new EndOfDataError();
      }
      const zeros = Math.clz32(word);
      q += zeros;
      // Drop the zeros and the stop bit (two shifts: a shift by 32 would be a no-op).
      word = ((word << zeros) << 1) >>> 0;
      avail -= zeros + 1;
      if (avail < k) {
        while (avail <= 24 && pos < length) {
          word = (word | (bytes[pos++]! << (24 - avail))) >>> 0;
          avail += 8;
        }
        if (avail < k) throw new EndOfDataError();
      }
      const low = k === 0 ? 0 : word >>> (32 - k);
      word = (word << k) >>> 0;
      avail -= k;
      if (q < wordLimit) {
        const v = (q << k) | low;
        out[i] = (v >>> 1) ^ -(v & 1);
      } else {
        const v = q * 2 ** k + low;
        out[i] = v % 2 === 0 ? v / 2 : -(v + 1) / 2;
      }
    }
    this.word = word;
    this.avail = avail;
    this.pos = pos;
  }

  private readRiceWide(out: Float64Array, start: number, count: number, k: number): void {
    const end = start + count;
    const scale = 2 ** k;
    for (let i = start; i < end; i++) {
      const q = this.readUnary();
      const v = q * scale + this.readBits(k);
      out[i] = v % 2 === 0 ? v / 2 : -(v + 1) / 2;
    }
  }
}
