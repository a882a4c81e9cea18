import { ngramHash } from './ngram-table.js';

/**
 * The n-grams of one order for the Kneser-Ney builder: each distinct n-gram gets a dense id
 * (0, 1, 2, ... in order of first appearance) keyed by (id of its (n-1)-word prefix one order
 * down, last word id), and everything known about it lives in typed arrays indexed by that id.
 * A hash index over the ids grows by rehashing, which leaves the ids unchanged, so higher
 * orders can keep pointing at them. About 24 bytes per n-gram here, instead of a string key
 * and a boxed count per n-gram in a Map.
 */
export class NgramIds {
  /** id -> prefix id one order down (the first word id for bigrams). */
  prefix: Uint32Array = new Uint32Array(1024);
  /** id -> last word id. */
  word: Uint32Array = new Uint32Array(1024);
  /** id -> raw count. */
  count: Uint32Array = new Uint32Array(1024);
  /** Number of ids. */
  size = 0;
  private index: Int32Array = new Int32Array(2048).fill(-1);
  private mask = 2047;

  private hash(prefix: number, word: number): number {
    return ngramHash(prefix, word) & this.mask;
  }

  /**
   * Adds one occurrence of (prefix, word).
   * @returns The n-gram's id.
   */
  increment(prefix: number, word: number): number {
    let slot = this.hash(prefix, word);
    for (;;) {
      const id = this.index[slot]!;
      if (id < 0) break;
      if (this.prefix[id] === prefix && this.word[id] === word) {
        this.count[id]!++;
        return id;
      }
      slot = (slot + 1) & this.mask;
    }
    const id = this.size++;
    if (id === this.prefix.length) this.growArrays();
    this.prefix[id] = prefix;
    this.word[id] = word;
    this.count[id] = 1;
    this.index[slot] = id;
    if (this.size * 2 > this.index.length) this.rehash();
    return id;
  }

  /** @returns The id of (prefix, word), or -1. */
  find(prefix: number, word: number): number {
    let slot = this.hash(prefix, word);
    for (;;) {
      const id = this.index[slot]!;
      if (id < 0) return -1;
      if (this.prefix[id] === prefix && this.word[id] === word) return id;
      slot = (slot + 1) & this.mask;
    }
  }

  private growArrays(): void {
    const grow = (old: Uint32Array): Uint32Array => {
      const next = new Uint32Array(old.length * 2);
      next.set(old);
      return next;
    };
    this.prefix = grow(this.prefix);
    this.word = grow(this.word);
    this.count = grow(this.count);
  }

  private rehash(): void {
    this.index = new Int32Array(this.index.length * 2).fill(-1);
    this.mask = this.index.length - 1;
    for (let id = 0; id < this.size; id++) {
      let slot = this.hash(this.prefix[id]!, this.word[id]!);
      while (this.index[slot]! >= 0) slot = (slot + 1) & this.mask;
      this.index[slot] = id;
    }
  }

  /** Frees the hash index once counting is over (lookups are no longer possible). */
  dropIndex(): void {
    this.index = new Int32Array(0);
  }
}
