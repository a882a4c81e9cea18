import { parseArpa, type ArpaData } from './arpa-parse.js';
import { isCompiledLm, readCompiledLm, writeCompiledLm } from './compiled-lm.js';
import type { NgramTable } from './ngram-table.js';
import { CtcError } from '../errors.js';

/** log10 probability KenLM assigns when a model has no `<unk>`. */
const MISSING_UNK_LOG10 = -100;
/** State ids pack (context slot, context length) as slot * 8 + length. */
const STATE_SHIFT = 8;

/** The result of scoring one word. */
export interface WordScore {
  /** log10 P(word | state). */
  log10Prob: number;
  /** State after the word. */
  state: number;
  /** Whether the word is out of the LM's vocabulary (scored as `<unk>`). */
  oov: boolean;
}

/**
 * A backoff n-gram language model held in packed typed arrays (see {@link NgramTable}).
 * Scores follow the standard ARPA backoff definition in log10; a context state is a number,
 * so decoders can cache and compare states cheaply.
 *
 * @example
 * ```ts
 * const lm = NgramLM.fromArpa(arpaText);
 * let state = lm.beginState();
 * let total = 0;
 * for (const word of ['THE', 'CAT']) {
 *   const scored = lm.score(state, word);
 *   total += scored.log10Prob;
 *   state = scored.state;
 * }
 * total += lm.endScore(state);
 * ```
 */
export class NgramLM {
  /** Highest n-gram order. */
  readonly order: number;
  /** Number of n-grams per order, as the ARPA header declares them (index 0 = unigrams). */
  readonly counts: number[];
  /** Name used in messages (file name). */
  readonly name: string;
  /** id -> word. */
  readonly words: readonly string[];
  private readonly vocab: Map<string, number>;
  private readonly unigramProb: Float32Array;
  private readonly unigramBackoff: Float32Array;
  private readonly tables: NgramTable[];
  private readonly unkId: number;
  private readonly bosId: number;
  private readonly eosId: number;
  private readonly context = new Int32Array(16);
  private readonly scratch = new Float64Array(2);
  private readonly data: ArpaData;

  private constructor(data: ArpaData, name: string) {
    this.data = data;
    this.order = data.counts.length;
    this.counts = data.counts;
    this.name = name;
    this.words = data.words;
    this.vocab = data.vocab;
    this.unigramProb = data.unigramProb;
    this.unigramBackoff = data.unigramBackoff;
    this.tables = data.tables;
    this.unkId = data.vocab.get('<unk>') ?? -1;
    this.bosId = data.vocab.get('<s>') ?? -1;
    this.eosId = data.vocab.get('</s>') ?? -1;
    if (this.eosId < 0 || this.bosId < 0) {
      throw new CtcError(
        'LM_BAD_ARPA',
        `${name}: the model has no ${this.bosId < 0 ? '<s>' : '</s>'} unigram; sentence boundaries cannot be scored. Rebuild it with sentence markers (KenLM lmplz and buildArpa add them).`,
        {
          location: name,
        },
      );
    }
  }

  /**
   * Parses an ARPA model (KenLM-strict or looser output). Gzipped bytes need
   * {@link loadArpa} (Node), which decompresses them.
   *
   * @param text - ARPA text, or its UTF-8 bytes.
   * @param options - `name`: file name for error messages.
   * @returns The model.
   * @throws AsrqError `LM_BAD_ARPA` naming `file:line` for a malformed file.
   * @example
   * ```ts
   * const lm = NgramLM.fromArpa(buildArpa(sentences, { order: 3 }));
   * ```
   */
  static fromArpa(text: string | Uint8Array, options: { name?: string } = {}): NgramLM {
    const name = options.name ?? 'model.arpa';
    if (typeof text !== 'string') {
      if (text[0] === 0x1f && text[1] === 0x8b) {
        throw new CtcError(
          'LM_BAD_ARPA',
          `${name}: this is gzip data; load it with loadArpa() or decompress it first.`,
          { location: name },
        );
      }
      text = new TextDecoder().decode(text);
    }
    return new NgramLM(parseArpa(text, name), name);
  }

  /**
   * Reads a compiled LM (written by {@link NgramLM.compile} / `asrq lm compile`): the tables
   * become typed-array views into `bytes`, nothing is parsed. Scores equal those of the ARPA
   * file it was compiled from, bit for bit.
   *
   * @param bytes - The compiled file's bytes.
   * @param options - `name`: file name for error messages.
   * @returns The model.
   * @throws AsrqError `LM_BAD_COMPILED` for a corrupt, truncated or foreign file.
   * @example
   * ```ts
   * const lm = NgramLM.fromCompiled(readFileSync('lm.asrqlm'));
   * ```
   */
  static fromCompiled(bytes: Uint8Array, options: { name?: string } = {}): NgramLM {
    const name = options.name ?? 'model.asrqlm';
    return new NgramLM(readCompiledLm(bytes, name), name);
  }

  /**
   * Loads either format from bytes: a compiled LM (detected by its magic bytes) or ARPA text.
   * @param bytes - File contents (not gzipped).
   * @param options - `name`: file name for error messages.
   * @returns The model.
   * @throws AsrqError `LM_BAD_COMPILED` or `LM_BAD_ARPA`.
   */
  static fromBytes(bytes: Uint8Array, options: { name?: string } = {}): NgramLM {
    return isCompiledLm(bytes) ? NgramLM.fromCompiled(bytes, options) : NgramLM.fromArpa(bytes, options);
  }

  /**
   * @returns The model's tables as one compiled-LM buffer (magic, version, checksum; see
   * `asrq lm compile`), for {@link NgramLM.fromCompiled}.
   */
  compile(): Uint8Array {
    return writeCompiledLm(this.data);
  }

  /** Number of distinct words (unigrams), markers included. */
  get vocabSize(): number {
    return this.words.length;
  }

  /** Bytes held by the packed tables (excluding the word strings). */
  get byteLength(): number {
    return this.unigramProb.byteLength * 2 + this.tables.reduce((sum, table) => sum + table.byteLength, 0);
  }

  /**
   * @param word - A word.
   * @returns Its id, or -1 when it is not in the vocabulary.
   */
  wordId(word: string): number {
    return this.vocab.get(word) ?? -1;
  }

  /** @returns Whether the word is in the vocabulary. */
  has(word: string): boolean {
    return this.vocab.has(word);
  }

  /** @returns The state at the start of a sentence (after `<s>`). */
  beginState(): number {
    // A unigram model has no context to carry.
    return this.order > 1 ? this.bosId * STATE_SHIFT + 1 : 0;
  }

  /** @returns The empty-context state (no sentence start). */
  nullState(): number {
    return 0;
  }

  /**
   * Scores a word given a state.
   * @param state - From {@link NgramLM.beginState} or a previous score.
   * @param word - The word; out-of-vocabulary words are scored as `<unk>`.
   * @returns The log10 probability, the next state, and whether the word was OOV.
   */
  score(state: number, word: string): WordScore {
    const id = this.wordId(word);
    const log10Prob = this.scoreId(state, id);
    return { log10Prob, state: this.scratch[1]!, oov: id < 0 || id === this.unkId };
  }

  /**
   * @param state - The state after the last word.
   * @returns log10 P(`</s>` | state).
   */
  endScore(state: number): number {
    return this.scoreId(state, this.eosId);
  }

  /**
   * Scores a whole sentence, `</s>` included.
   * @param words - The sentence's words.
   * @returns log10 P(words, `</s>` | `<s>`).
   */
  sentenceLog10Prob(words: readonly string[]): number {
    let state = this.beginState();
    let total = 0;
    for (const word of words) {
      total += this.scoreId(state, this.wordId(word));
      state = this.scratch[1]!;
    }
    return total + this.scoreId(state, this.eosId);
  }

  /**
   * Allocation-free scoring for decoders: returns log10 P(word | state) and leaves the next
   * state in {@link NgramLM.lastState}.
   * @param state - Context state.
   * @param wordId - Word id from {@link NgramLM.wordId}; -1 means OOV.
   * @returns The log10 probability.
   */
  scoreId(state: number, wordId: number): number {
    const id = wordId < 0 ? this.unkId : wordId;
    if (id < 0) {
      this.scratch[1] = 0;
      return MISSING_UNK_LOG10;
    }
    const k = state % STATE_SHIFT;
    const context = this.context;
    this.contextWords(state, context);
    context[k] = id;
    // Longest listed n-gram ending in `id`; backoffs of the skipped contexts add up.
    let backoffSum = 0;
    let log10Prob = Number.NaN;
    for (let start = 0; start <= k; start++) {
      const slot = this.find(context, start, k + 1);
      if (slot >= 0) {
        const prob = k + 1 - start === 1 ? this.unigramProb[slot]! : this.tables[k - start - 1]!.probOf(slot);
        if (!Number.isNaN(prob)) {
          log10Prob = prob;
          break;
        }
      }
      const contextSlot = this.find(context, start, k);
      if (contextSlot >= 0)
        backoffSum +=
          k - start === 1 ? this.unigramBackoff[contextSlot]! : this.tables[k - start - 2]!.backoffOf(contextSlot);
    }
    if (Number.isNaN(log10Prob)) log10Prob = MISSING_UNK_LOG10;
    // Next state: the longest suffix (at most order-1 words) that exists as a context.
    let nextStart = Math.max(0, k + 2 - this.order);
    let next = 0;
    for (; nextStart <= k; nextStart++) {
      const slot = this.find(context, nextStart, k + 1);
      if (slot >= 0) {
        next = slot * STATE_SHIFT + (k + 1 - nextStart);
        break;
      }
    }
    this.scratch[1] = next;
    return log10Prob + backoffSum;
  }

  /** The state {@link NgramLM.scoreId} computed last. */
  get lastState(): number {
    return this.scratch[1]!;
  }

  /**
   * @param state - A state.
   * @returns The context words the state stands for, oldest first.
   */
  stateWords(state: number): string[] {
    const k = state % STATE_SHIFT;
    const context = new Int32Array(Math.max(k, 1));
    this.contextWords(state, context);
    return Array.from(context.subarray(0, k), (id) => this.words[id]!);
  }

  private contextWords(state: number, out: Int32Array): void {
    let k = state % STATE_SHIFT;
    let slot = (state - k) / STATE_SHIFT;
    while (k > 1) {
      const table = this.tables[k - 2]!;
      out[k - 1] = table.wordOf(slot);
      slot = table.prefixOf(slot);
      k--;
    }
    if (k === 1) out[0] = slot;
  }

  /** Slot of context[start..end) in its order's table (word id for unigrams), or -1. */
  private find(context: Int32Array, start: number, end: number): number {
    if (end <= start) return -1;
    let slot = context[start]!;
    for (let i = start + 1; i < end; i++) {
      slot = this.tables[i - start - 1]!.find(slot, context[i]!);
      if (slot < 0) return -1;
    }
    return slot;
  }
}
