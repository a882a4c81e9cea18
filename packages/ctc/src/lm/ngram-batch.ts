import type { NgramTable } from './ngram-table.js';

/** Why a pending n-gram could not be stored. */
export type BatchFailure = 'prefixes' | 'full' | 'duplicate';

/**
 * N-gram lines of one ARPA section, parsed but not yet stored. Storing them a batch at a time,
 * one pass per hash-table step, leaves the CPU free to overlap the cache misses of independent
 * lookups (they are what a parse spends most of its time on); storing each line as it is read
 * serialises them behind the parsing work.
 */
export class NgramBatch {
  private readonly ids: Int32Array;
  private readonly prob: Float64Array;
  private readonly backoff: Float64Array;
  private readonly slots: Int32Array;
  /** Line number of each pending entry (for messages). */
  readonly line: Int32Array;
  /** Byte span of each entry's words (for messages). */
  readonly spanStart: Int32Array;
  readonly spanEnd: Int32Array;
  size = 0;
  /** Where the cache-warming reads go, so they are not optimised away. */
  private sink = 0;

  constructor(
    readonly capacity: number,
    private readonly maxOrder: number,
  ) {
    this.ids = new Int32Array(capacity * maxOrder);
    this.prob = new Float64Array(capacity);
    this.backoff = new Float64Array(capacity);
    this.slots = new Int32Array(capacity);
    this.line = new Int32Array(capacity);
    this.spanStart = new Int32Array(capacity);
    this.spanEnd = new Int32Array(capacity);
  }

  /** Queues one n-gram (`ids[0..order)`); returns whether the batch is now full. */
  add(
    ids: Int32Array | Uint32Array,
    order: number,
    prob: number,
    backoff: number,
    line: number,
    spanStart: number,
    spanEnd: number,
  ): boolean {
    const i = this.size++;
    for (let k = 0; k < order; k++) this.ids[i * this.maxOrder + k] = ids[k]!;
    this.prob[i] = prob;
    this.backoff[i] = backoff;
    this.line[i] = line;
    this.spanStart[i] = spanStart;
    this.spanEnd[i] = spanEnd;
    return this.size === this.capacity;
  }

  /**
   * Stores the pending n-grams of order `order` (>= 2) in `tables` (index 0 = order 2), in line order.
   * @param fail - Called with the first entry that cannot be stored and why; must throw.
   */
  flush(
    tables: readonly NgramTable[],
    order: number,
    fail: (index: number, why: BatchFailure, depth: number) => never,
  ): void {
    const n = this.size;
    if (n === 0) return;
    const m = this.maxOrder;
    const ids = this.ids;
    const slots = this.slots;
    for (let i = 0; i < n; i++) slots[i] = ids[i * m]!;
    // The prefix chain, one order at a time (loose files may imply prefixes they do not list).
    for (let k = 1; k < order - 1; k++) {
      const table = tables[k - 1]!;
      // Files grouped by context repeat a prefix line after line: its slot is known then.
      let lastPrefix = -1;
      let lastWord = -1;
      let lastSlot = -1;
      this.warm(table, n, k);
      for (let i = 0; i < n; i++) {
        const prefix = slots[i]!;
        const word = ids[i * m + k]!;
        if (prefix !== lastPrefix || word !== lastWord) {
          lastSlot = table.insert(prefix, word);
          if (lastSlot < 0) fail(i, 'prefixes', k + 1);
          lastPrefix = prefix;
          lastWord = word;
        }
        slots[i] = lastSlot;
      }
    }
    const table = tables[order - 2]!;
    this.warm(table, n, order - 1);
    for (let i = 0; i < n; i++) {
      const slot = table.insert(slots[i]!, ids[i * m + order - 1]!);
      if (slot < 0) fail(i, 'full', order);
      if (!Number.isNaN(table.probOf(slot))) fail(i, 'duplicate', order);
      table.set(slot, this.prob[i]!, this.backoff[i]!);
    }
    this.size = 0;
  }

  // Reads each entry's first probe slot, one independent load after another, so the misses
  // overlap and the insert pass that follows finds the slots in cache.
  private warm(table: NgramTable, n: number, k: number): void {
    const m = this.maxOrder;
    const ids = this.ids;
    const slots = this.slots;
    let sink = 0;
    for (let i = 0; i < n; i++) sink ^= table.touch(slots[i]!, ids[i * m + k]!);
    this.sink ^= sink;
  }
}
