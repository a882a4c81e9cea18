import type { TokenTable } from '../tokenizers/tokenizer.js';

/** What fills in a new node's word and LM bookkeeping (the beam search's `WordScorer`). */
export interface TrieScorer {
  /** LM state of the empty prefix. */
  beginState(): number;
  /** Fills the bookkeeping of `node`, the child of `parent` by `token`. */
  extend(trie: PrefixTrie, parent: number, node: number, token: number): void;
}

/**
 * The prefixes of a beam search as a trie in typed arrays: a prefix is a node id, and its
 * word/LM bookkeeping is computed once when the node is created, not per frame.
 */
export class PrefixTrie {
  parent: Int32Array = new Int32Array(0);
  token: Int32Array = new Int32Array(0);
  /** First node of the unfinished word, or -1. */
  wordStart: Int32Array = new Int32Array(0);
  /** LM state after the last completed word. */
  lmState: Float64Array = new Float64Array(0);
  /** LM score of the completed words (alpha/beta applied). */
  lmScore: Float64Array = new Float64Array(0);
  /** Hotword phrase-matching state (see PhraseHotwords). */
  hotState: Int32Array = new Int32Array(0);
  /** Ranking-only score of the unfinished word (OOV-prefix penalty, hotword credit). */
  partialScore: Float64Array = new Float64Array(0);
  /** Scratch for the decoder: slot of a node in the next beam, valid when stampOf matches. */
  slotOf: Int32Array = new Int32Array(0);
  stampOf: Int32Array = new Int32Array(0);
  size = 0;
  private readonly children = new Map<number, number>();

  constructor(
    readonly table: TokenTable,
    private readonly vocab: number,
    private readonly scorer: TrieScorer,
  ) {
    this.grow(4096);
  }

  private grow(capacity: number): void {
    const i32 = (old: Int32Array): Int32Array => {
      const next = new Int32Array(capacity);
      next.set(old);
      return next;
    };
    const f64 = (old: Float64Array): Float64Array => {
      const next = new Float64Array(capacity);
      next.set(old);
      return next;
    };
    this.parent = i32(this.parent);
    this.token = i32(this.token);
    this.wordStart = i32(this.wordStart);
    this.hotState = i32(this.hotState);
    this.lmState = f64(this.lmState);
    this.lmScore = f64(this.lmScore);
    this.partialScore = f64(this.partialScore);
    this.slotOf = i32(this.slotOf);
    this.stampOf = i32(this.stampOf);
  }

  /** Empties the trie down to the root (the empty prefix). */
  reset(): void {
    this.stampOf.fill(0, 0, this.size);
    this.children.clear();
    this.parent[0] = -1;
    this.token[0] = -1;
    this.wordStart[0] = -1;
    this.hotState[0] = 0;
    this.lmState[0] = this.scorer.beginState();
    this.lmScore[0] = 0;
    this.partialScore[0] = 0;
    this.size = 1;
  }

  /**
   * @param node - Parent prefix.
   * @param token - Appended token.
   * @returns The child prefix's node id.
   */
  child(node: number, token: number): number {
    const key = node * this.vocab + token;
    const existing = this.children.get(key);
    if (existing !== undefined) return existing;
    if (this.size === this.parent.length) this.grow(this.size * 2);
    const id = this.size++;
    this.children.set(key, id);
    this.parent[id] = node;
    this.token[id] = token;
    this.stampOf[id] = 0;
    this.scorer.extend(this, node, id, token);
    return id;
  }

  /**
   * @param from - First node of the span.
   * @param to - Last node (a descendant of `from`).
   * @returns The text of the tokens from `from` to `to`.
   */
  text(from: number, to: number): string {
    let out = '';
    for (let n = to; ; n = this.parent[n]!) {
      out = (this.table.text[this.token[n]!] ?? '') + out;
      if (n === from || n <= 0) return out;
    }
  }
}
