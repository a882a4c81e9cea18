/**
 * Best-path alignments for the beam search, as a persistent linked list in typed arrays: a
 * record is one emitted token's frames `[start, end)` plus the record of the token before it.
 * Beam entries point at records; extending a prefix adds a record, staying on its last token
 * copies the last record with a later end (records can be shared by several entries, so they
 * are never changed in place). Walking back from the best path's record gives every token's
 * frames on that path exactly, for each prefix.
 */
export class Alignments {
  private start: Int32Array = new Int32Array(4096);
  private end: Int32Array = new Int32Array(4096);
  private prev: Int32Array = new Int32Array(4096);
  private count = 0;

  /** Forgets every record (start of an utterance). */
  reset(): void {
    this.count = 0;
  }

  private push(start: number, end: number, prev: number): number {
    if (this.count === this.start.length) {
      const grow = (old: Int32Array): Int32Array => {
        const next = new Int32Array(old.length * 2);
        next.set(old);
        return next;
      };
      this.start = grow(this.start);
      this.end = grow(this.end);
      this.prev = grow(this.prev);
    }
    const id = this.count++;
    this.start[id] = start;
    this.end[id] = end;
    this.prev[id] = prev;
    return id;
  }

  /**
   * @param frame - Frame where a new token is first emitted.
   * @param prev - Record of the path before it (-1 for none).
   * @returns The new record.
   */
  add(frame: number, prev: number): number {
    return this.push(frame, frame + 1, prev);
  }

  /**
   * @param record - The path's last record.
   * @param end - New exclusive end frame of its last token.
   * @returns A copy of the record ending at `end`.
   */
  stretch(record: number, end: number): number {
    return this.push(this.start[record]!, end, this.prev[record]!);
  }

  /**
   * @param record - Last record of a path.
   * @param tokens - Number of tokens on the path.
   * @returns Each token's first frame and exclusive end frame, oldest first.
   */
  frames(record: number, tokens: number): { starts: Int32Array; ends: Int32Array } {
    const starts = new Int32Array(tokens);
    const ends = new Int32Array(tokens);
    let r = record;
    for (let i = tokens - 1; i >= 0 && r >= 0; i--) {
      starts[i] = this.start[r]!;
      ends[i] = this.end[r]!;
      r = this.prev[r]!;
    }
    return { starts, ends };
  }
}
