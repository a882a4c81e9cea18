/** Prefix value of a free slot. */
export const EMPTY = 0xffffffff;

/**
 * A well-mixed 32-bit hash of an n-gram key (prefix id or slot, last word id), for open-addressing
 * tables whose size is a power of two (mask its low bits).
 */
export function ngramHash(prefix: number, word: number): number {
  let h = Math.imul(prefix ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(word + 0x7f4a7c15, 0xc2b2ae35);
  h ^= h >>> 15;
  h = Math.imul(h, 0x2c1b3c6d);
  h ^= h >>> 13;
  return h;
}

/**
 * An open-addressing hash table of the n-grams of one order. An n-gram is keyed by the slot of
 * its (n-1)-word prefix in the table one order down (the word id itself for order 2) plus its
 * last word, so a whole LM is a handful of typed arrays instead of one object per n-gram.
 *
 * Each slot is 16 bytes in one buffer, `[prefix u32, word u32, log10 prob f32, log10 backoff f32]`,
 * so a probe touches one cache line instead of four (the parser's and the decoder's lookups are
 * dominated by cache misses).
 */
export class NgramTable {
  /** The slots as u32: `cells[4 * slot]` = prefix slot (`EMPTY` when free), `+1` = last word id. */
  readonly cells: Uint32Array;
  /** The same memory as f32: `+2` = log10 probability (NaN for contexts only implied by longer n-grams), `+3` = log10 backoff (0 when absent). */
  readonly floats: Float32Array;
  private readonly mask: number;
  /** Number of slots in use. */
  size = 0;

  /**
   * @param expected - Number of n-grams the table must hold (it does not grow).
   * @param existing - Slots to wrap instead (a compiled LM's view; slot count a power of two).
   */
  constructor(expected: number, existing?: { cells: Uint32Array; size: number }) {
    if (existing) {
      this.cells = existing.cells;
      this.size = existing.size;
    } else {
      let capacity = 16;
      // Load factor <= 2/3 keeps linear probes short.
      while (capacity < expected * 1.5) capacity *= 2;
      this.cells = new Uint32Array(capacity * 4);
      // Free slots are [EMPTY, 0, 0, 0]: one written, then doubled by native copies.
      this.cells[0] = EMPTY;
      for (let filled = 4; filled < this.cells.length; filled *= 2)
        this.cells.copyWithin(filled, 0, Math.min(filled, this.cells.length - filled));
    }
    this.mask = this.cells.length / 4 - 1;
    this.floats = new Float32Array(this.cells.buffer, this.cells.byteOffset, this.cells.length);
  }

  /** Slot capacity. */
  get capacity(): number {
    return this.mask + 1;
  }

  private hash(prefix: number, word: number): number {
    return ngramHash(prefix, word) & this.mask;
  }

  /**
   * Reads the first slot {@link NgramTable.insert} would probe for this n-gram, to bring it into
   * cache: a loop of these over a batch has no dependent loads, so its cache misses overlap.
   * @returns The prefix stored there (to keep the read from being optimised away).
   */
  touch(prefix: number, word: number): number {
    return this.cells[this.hash(prefix, word) * 4]!;
  }

  /** @returns The prefix slot stored at `slot` (`EMPTY` when free). */
  prefixOf(slot: number): number {
    return this.cells[slot * 4]!;
  }

  /** @returns The last word id stored at `slot`. */
  wordOf(slot: number): number {
    return this.cells[slot * 4 + 1]!;
  }

  /** @returns The log10 probability at `slot` (NaN for an implied context). */
  probOf(slot: number): number {
    return this.floats[slot * 4 + 2]!;
  }

  /** @returns The log10 backoff at `slot`. */
  backoffOf(slot: number): number {
    return this.floats[slot * 4 + 3]!;
  }

  /** Sets the probability and backoff of `slot`. */
  set(slot: number, prob: number, backoff: number): void {
    this.floats[slot * 4 + 2] = prob;
    this.floats[slot * 4 + 3] = backoff;
  }

  /**
   * @param prefix - Slot of the prefix one order down (word id for bigrams).
   * @param word - Last word id.
   * @returns The slot, or -1 when absent.
   */
  find(prefix: number, word: number): number {
    const cells = this.cells;
    let slot = this.hash(prefix, word);
    for (;;) {
      const p = cells[slot * 4]!;
      if (p === EMPTY) return -1;
      if (p === prefix && cells[slot * 4 + 1] === word) return slot;
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
    const cells = this.cells;
    let slot = this.hash(prefix, word);
    for (;;) {
      const p = cells[slot * 4]!;
      if (p === EMPTY) {
        if (this.size * 10 >= this.capacity * 9) return -1;
        cells[slot * 4] = prefix;
        cells[slot * 4 + 1] = word;
        this.floats[slot * 4 + 2] = Number.NaN;
        this.floats[slot * 4 + 3] = 0;
        this.size++;
        return slot;
      }
      if (p === prefix && cells[slot * 4 + 1] === word) return slot;
      slot = (slot + 1) & this.mask;
    }
  }

  /** Bytes held by the typed arrays. */
  get byteLength(): number {
    return this.capacity * 16;
  }
}
