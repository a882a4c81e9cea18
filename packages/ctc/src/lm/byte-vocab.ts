/** FNV-1a parameters (32-bit). */
export const FNV_OFFSET = 0x811c9dc5 | 0;
/** FNV-1a prime. */
export const FNV_PRIME = 0x01000193;

/**
 * Word -> id lookup keyed by UTF-8 byte spans of one buffer, so the ARPA parser finds the ids of
 * an n-gram's words without making a string per word. Open addressing over FNV-1a hashes.
 */
export class ByteVocab {
  // Per slot [id + 1 (0 = free), hash], interleaved so a probe reads one cache line.
  private slots = new Int32Array(0);
  // Each word's bytes copied into one small pool, so comparisons stay in cache.
  private pool = new Uint8Array(1024);
  private poolSize = 0;
  // Per id [start in pool, length], interleaved likewise.
  private spans = new Int32Array(0);
  private mask = 0;

  /** @param bytes - The buffer every span refers to. */
  constructor(private readonly bytes: Uint8Array) {}

  /** Sizes the table for `count` words (call before adding). */
  reserve(count: number): void {
    let capacity = 16;
    while (capacity < count * 2) capacity *= 2;
    this.slots = new Int32Array(capacity * 2);
    this.mask = capacity - 1;
    this.spans = new Int32Array(count * 2);
  }

  /** @returns The FNV-1a hash of bytes[start, end) (what {@link ByteVocab.find} takes). */
  hash(start: number, end: number): number {
    const bytes = this.bytes;
    let h = FNV_OFFSET;
    for (let i = start; i < end; i++) h = Math.imul(h ^ bytes[i]!, FNV_PRIME);
    return h;
  }

  /**
   * @param start - First byte of the word.
   * @param end - Byte after it.
   * @param hash - Its {@link ByteVocab.hash} (the parser computes it while splitting fields).
   * @returns The id of the word at bytes[start, end), or -1.
   */
  find(start: number, end: number, hash: number): number {
    if (this.mask === 0) return -1;
    const bytes = this.bytes;
    const pool = this.pool;
    const slots = this.slots;
    const spans = this.spans;
    const length = end - start;
    const mask = this.mask;
    let slot = (hash ^ (hash >>> 16)) & mask;
    for (;;) {
      const entry = slots[2 * slot]!;
      if (entry === 0) return -1;
      if (slots[2 * slot + 1] === hash) {
        const id = entry - 1;
        if (spans[2 * id + 1] === length) {
          const other = spans[2 * id]!;
          let i = 0;
          while (i < length && bytes[start + i] === pool[other + i]) i++;
          if (i === length) return id;
        }
      }
      slot = (slot + 1) & mask;
    }
  }

  /** Adds the word at bytes[start, end) with its hash as `id` (ids must be 0, 1, 2, ... below the reserved count; not already present). */
  add(start: number, end: number, hash: number, id: number): void {
    let slot = (hash ^ (hash >>> 16)) & this.mask;
    while (this.slots[2 * slot] !== 0) slot = (slot + 1) & this.mask;
    this.slots[2 * slot] = id + 1;
    this.slots[2 * slot + 1] = hash;
    const length = end - start;
    if (this.poolSize + length > this.pool.length) {
      const grown = new Uint8Array(Math.max(this.pool.length * 2, this.poolSize + length));
      grown.set(this.pool.subarray(0, this.poolSize));
      this.pool = grown;
    }
    this.pool.set(this.bytes.subarray(start, end), this.poolSize);
    this.spans[2 * id] = this.poolSize;
    this.spans[2 * id + 1] = length;
    this.poolSize += length;
  }

  /** @returns A string-keyed map of the same words. */
  toMap(words: readonly string[]): Map<string, number> {
    const map = new Map<string, number>();
    for (let id = 0; id < words.length; id++) map.set(words[id]!, id);
    return map;
  }
}

const utf8 = new TextDecoder();

/** Decodes bytes[start, end) as UTF-8, with a fast path for short ASCII words. */
export function decodeWord(bytes: Uint8Array, start: number, end: number): string {
  if (end - start <= 32) {
    let ascii = true;
    for (let i = start; i < end; i++) if (bytes[i]! >= 0x80) ascii = false;
    if (ascii) return String.fromCharCode.apply(null, bytes.subarray(start, end) as unknown as number[]);
  }
  return utf8.decode(bytes.subarray(start, end));
}
