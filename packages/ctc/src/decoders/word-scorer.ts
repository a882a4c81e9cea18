import type { NgramLM } from '../lm/ngram-lm.js';
import type { PrefixTrie } from './prefix-trie.js';
import type { TokenTable } from '../tokenizers/tokenizer.js';
import { CTC_DEFAULTS } from '../defaults.js';
import { PhraseHotwords } from './hotwords.js';

const LN10 = Math.LN10;
const prefixCache = new WeakMap<NgramLM, Set<string>>();

function lmPrefixes(lm: NgramLM): Set<string> {
  let set = prefixCache.get(lm);
  if (set) return set;
  set = new Set();
  for (const word of lm.words) {
    if (word === '<s>' || word === '</s>' || word === '<unk>') continue;
    for (let i = 1; i <= word.length; i++) set.add(word.slice(0, i));
  }
  prefixCache.set(lm, set);
  return set;
}

/**
 * Word-level scoring for the beam search, in pyctcdecode's conventions: a completed word adds
 * alpha * ln(10) * log10 P(word | context) + beta (plus unkScoreOffset in log10 units before
 * scaling for words the LM doesn't know); `</s>` is scored at the end; an unfinished word
 * that starts no LM word costs unkScoreOffset (scaled by length beyond 6 characters) while it
 * is unfinished, so beams aren't ranked as if it were free. Hotword phrases are scored by
 * {@link PhraseHotwords}: banked when a phrase completes, a transient share while it is spelled.
 */
export class WordScorer {
  private readonly lm: NgramLM | undefined;
  private readonly alpha: number;
  private readonly beta: number;
  private readonly unkOffset: number;
  private readonly prefixes: Set<string> | undefined;
  private readonly hotwords: PhraseHotwords | undefined;
  private readonly cache = new Map<number, number>();
  private readonly cachedLog10: number[] = [];
  private readonly cachedState: number[] = [];

  constructor(
    private readonly table: TokenTable,
    options: {
      lm?: NgramLM;
      alpha?: number;
      beta?: number;
      unkScoreOffset?: number;
      hotwords?: readonly string[];
      hotwordWeight?: number;
    },
  ) {
    this.lm = options.lm;
    this.alpha = options.alpha ?? CTC_DEFAULTS.alpha;
    this.beta = options.beta ?? (options.lm ? CTC_DEFAULTS.beta : CTC_DEFAULTS.betaWithoutLm);
    this.unkOffset = options.unkScoreOffset ?? CTC_DEFAULTS.unkScoreOffset;
    this.prefixes = options.lm ? lmPrefixes(options.lm) : undefined;
    const hotwords = new PhraseHotwords(options.hotwords ?? [], options.hotwordWeight ?? CTC_DEFAULTS.hotwordWeight);
    this.hotwords = hotwords.active ? hotwords : undefined;
  }

  /** @returns The LM state at the start of an utterance. */
  beginState(): number {
    return this.lm ? this.lm.beginState() : 0;
  }

  /** Fills the word bookkeeping of a new trie node. */
  extend(trie: PrefixTrie, parent: number, node: number, token: number): void {
    const table = this.table;
    let wordStart = trie.wordStart[parent]!;
    let state = trie.lmState[parent]!;
    let score = trie.lmScore[parent]!;
    let hot = trie.hotState[parent]!;
    if (table.silent[token] === 1) {
      trie.wordStart[node] = wordStart;
      trie.lmState[node] = state;
      trie.lmScore[node] = score;
      trie.hotState[node] = hot;
      trie.partialScore[node] = trie.partialScore[parent]!;
      return;
    }
    if (table.startsWord[token] === 1 && wordStart >= 0) {
      const word = trie.text(wordStart, parent);
      score += this.wordScore(state, word);
      state = this.nextState;
      if (this.hotwords) {
        hot = this.hotwords.advance(hot, word);
        score += this.hotwords.banked;
      }
      wordStart = -1;
    }
    if (wordStart < 0 && (table.text[token] ?? '').length > 0) wordStart = node;
    if (table.endsWord[token] === 1 && wordStart >= 0) {
      const word = trie.text(wordStart, node);
      score += this.wordScore(state, word);
      state = this.nextState;
      if (this.hotwords) {
        hot = this.hotwords.advance(hot, word);
        score += this.hotwords.banked;
      }
      wordStart = -1;
    }
    trie.wordStart[node] = wordStart;
    trie.lmState[node] = state;
    trie.lmScore[node] = score;
    trie.hotState[node] = hot;
    const partialText = wordStart >= 0 ? trie.text(wordStart, node) : '';
    trie.partialScore[node] =
      (wordStart >= 0 ? this.partial(partialText) : 0) + (this.hotwords ? this.hotwords.partial(hot, partialText) : 0);
  }

  /** Score of finishing the utterance at `node`: its unfinished word, then `</s>`. */
  finalScore(trie: PrefixTrie, node: number): number {
    let state = trie.lmState[node]!;
    let score = 0;
    const wordStart = trie.wordStart[node]!;
    if (wordStart >= 0) {
      const word = trie.text(wordStart, node);
      score += this.wordScore(state, word);
      state = this.nextState;
      if (this.hotwords) {
        this.hotwords.advance(trie.hotState[node]!, word);
        score += this.hotwords.banked;
      }
    }
    if (this.lm) score += this.alpha * LN10 * this.lm.endScore(state);
    return score;
  }

  private nextState = 0;

  private wordScore(state: number, word: string): number {
    const score = this.beta;
    const lm = this.lm;
    if (!lm) {
      this.nextState = state;
      return score;
    }
    const id = lm.wordId(word);
    let log10: number;
    const cacheable = id >= 0 && id < 0x200000 && state < 0x80000000;
    const key = state * 0x200000 + id;
    const hit = cacheable ? this.cache.get(key) : undefined;
    if (hit !== undefined) {
      log10 = this.cachedLog10[hit]!;
      this.nextState = this.cachedState[hit]!;
    } else {
      log10 = lm.scoreId(state, id);
      this.nextState = lm.lastState;
      if (id < 0) log10 += this.unkOffset;
      if (cacheable) {
        this.cache.set(key, this.cachedLog10.length);
        this.cachedLog10.push(log10);
        this.cachedState.push(this.nextState);
      }
    }
    return score + this.alpha * LN10 * log10;
  }

  private partial(text: string): number {
    let score = 0;
    if (this.prefixes && !this.prefixes.has(text)) score += this.unkOffset * (text.length > 6 ? text.length / 6 : 1);
    return score;
  }
}
