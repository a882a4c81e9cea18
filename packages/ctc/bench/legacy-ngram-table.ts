// The n-gram table as it was before the interleaved layout, kept only for bench/legacy-arpa-parse.ts.
const EMPTY = 0xffffffff;

/**
 * An open-addressing hash table of the n-grams of one order. An n-gram is keyed by the slot of
 * its (n-1)-word prefix in the table one order down (the word id itself for order 2) plus its
 * last word, so a whole LM is a handful of typed arrays instead of one object per n-gram.
 */
export class NgramTable {
  /** Slot -> prefix slot in the order below (`EMPTY` for a free slot). */
  readonly prefix: Uint32Array;
  /** Slot -> last word id. */
  readonly word: Uint32Array;
  /** Slot -> log10 probability; NaN for contexts only implied by longer n-grams. */
  readonly prob: Float32Array;
  /** Slot -> log10 backoff weight (0 when absent). */
  readonly backoff: Float32Array;
  private readonly mask: number;
  /** Number of slots in use. */
  size = 0;

  /** @param expected - Number of n-grams the table must hold (it does not grow). */
  constructor(expected: number) {
    let capacity = 16;
    // Load factor <= 2/3 keeps linear probes short.
    while (capacity < expected * 1.5) capacity *= 2;
    this.mask = capacity - 1;
    this.prefix = new Uint32Array(capacity).fill(EMPTY);
    this.word = new Uint32Array(capacity);
    this.prob = new Float32Array(capacity);
    this.backoff = new Float32Array(capacity);
  }

  /** Slot capacity. */
  get capacity(): number {
    return this.mask + 1;
  }

  private hash(prefix: number, word: number): number {
    let h = Math.imul(prefix ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(word + 0x7f4a7c15, 0xc2b2ae35);
    h ^= h >>> 15;
    h = Math.imul(h, 0x2c1b3c6d);
    h ^= h >>> 13;
    return h & this.mask;
  }

  /**
   * @param prefix - Slot of the prefix one order down (word id for bigrams).
   * @param word - Last word id.
   * @returns The slot, or -1 when absent.
   */
  find(prefix: number, word: number): number {
    const prefixes = this.prefix;
    let slot = this.hash(prefix, word);
    for (;;) {
      const p = prefixes[slot]!;
      if (p === EMPTY) return -1;
      if (p === prefix && this.word[slot] === word) return slot;
      slot = (slot + 1) & this.mask;
    }
  }

  /**
   * Finds or adds an n-gram; new entries start with prob NaN (not listed) and backoff 0.
   * @param prefix - Prefix slot.
   * @param word - Last word id.
   * @returns The slot, or -1 when the table is full.
   */
  insert(prefix: number, word: number): number {
    let slot = this.hash(prefix, word);
    for (;;) {
      const p = this.prefix[slot]!;
      if (p === EMPTY) {
        if (this.size * 10 >= this.capacity * 9) return -1;
        this.prefix[slot] = prefix;
        this.word[slot] = word;
        this.prob[slot] = Number.NaN;
        this.backoff[slot] = 0;
        this.size++;
        return slot;
      }
      if (p === prefix && this.word[slot] === word) return slot;
      slot = (slot + 1) & this.mask;
    }
  }

  /** Bytes held by the typed arrays. */
  get byteLength(): number {
    return this.capacity * 16;
  }
}
