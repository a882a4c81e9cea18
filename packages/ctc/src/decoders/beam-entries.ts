const NEG_INF = Number.NEGATIVE_INFINITY;

/**
 * The entries of a beam in typed arrays: per entry its prefix node, the summed (pb, pnb) and
 * best-path (vb, vnb) log-probs ending in blank / non-blank, and the alignment record of each
 * best path (its last token's frames).
 */
export class BeamEntries {
  readonly nodes: Int32Array;
  readonly pb: Float64Array;
  readonly pnb: Float64Array;
  readonly vb: Float64Array;
  readonly vnb: Float64Array;
  readonly rb: Int32Array;
  readonly rnb: Int32Array;
  /** Entries in use. */
  size = 0;

  /** @param capacity - Most entries held. */
  constructor(capacity: number) {
    this.nodes = new Int32Array(capacity);
    this.pb = new Float64Array(capacity);
    this.pnb = new Float64Array(capacity);
    this.vb = new Float64Array(capacity);
    this.vnb = new Float64Array(capacity);
    this.rb = new Int32Array(capacity);
    this.rnb = new Int32Array(capacity);
  }

  /** Makes the beam the empty prefix (node 0) alone, ending in blank with probability 1. */
  start(): void {
    this.size = 1;
    this.nodes[0] = 0;
    this.pb[0] = 0;
    this.pnb[0] = NEG_INF;
    this.vb[0] = 0;
    this.vnb[0] = NEG_INF;
    this.rb[0] = -1;
    this.rnb[0] = -1;
  }

  /**
   * The entry of `node` in this (next) beam, added empty if this frame has not seen it yet.
   * @param node - Prefix node.
   * @param stamp - The frame's stamp (t + 1); `stampOf[node] === stamp` means `slotOf[node]` is valid.
   * @param slotOf - Per node: its entry in this beam.
   * @param stampOf - Per node: the frame whose beam `slotOf` refers to.
   * @returns The entry index.
   */
  slotFor(node: number, stamp: number, slotOf: Int32Array, stampOf: Int32Array): number {
    if (stampOf[node] === stamp) return slotOf[node]!;
    const s = this.size++;
    stampOf[node] = stamp;
    slotOf[node] = s;
    this.nodes[s] = node;
    this.pb[s] = NEG_INF;
    this.pnb[s] = NEG_INF;
    this.vb[s] = NEG_INF;
    this.vnb[s] = NEG_INF;
    this.rb[s] = -1;
    this.rnb[s] = -1;
    return s;
  }

  /** Copies entry `from` of `source` to entry `to` of this beam. */
  copyFrom(source: BeamEntries, from: number, to: number): void {
    this.nodes[to] = source.nodes[from]!;
    this.pb[to] = source.pb[from]!;
    this.pnb[to] = source.pnb[from]!;
    this.vb[to] = source.vb[from]!;
    this.vnb[to] = source.vnb[from]!;
    this.rb[to] = source.rb[from]!;
    this.rnb[to] = source.rnb[from]!;
  }
}
