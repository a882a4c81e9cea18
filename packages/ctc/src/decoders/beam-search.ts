import { validateLogProbs, type LogProbs } from '../log-probs.js';
import type { NgramLM } from '../lm/ngram-lm.js';
import { joinTokens, tokenTable, type TokenTable, type Tokenizer } from '../tokenizers/tokenizer.js';
import { wordTimings, type Hypothesis } from './hypothesis.js';
import { PrefixTrie } from './prefix-trie.js';
import { Alignments } from './alignments.js';
import { WordScorer } from './word-scorer.js';
import { BeamEntries } from './beam-entries.js';
import { extendFrame, frameCandidates, logAdd, pruneInto, skipBlankFrame, type FrameBuffers } from './beam-frame.js';
import { CTC_DEFAULTS } from '../defaults.js';
import { CtcError } from '../errors.js';

/** Options of {@link CtcBeamSearchDecoder}. Scores are natural logs unless stated. */
export interface BeamSearchOptions {
  /** Prefixes kept per frame (default 32). */
  beamWidth?: number;
  /** Per frame, only tokens with log-prob >= this are extended, plus the best one (default -5, as pyctcdecode). */
  tokenMinLogProb?: number;
  /** Per frame, at most this many tokens are extended (default 16). */
  topK?: number;
  /** Prefixes scoring more than this below the best are dropped (default -10). */
  beamPruneLogProb?: number;
  /** Frames whose blank probability (not log) is >= this are treated as pure blank, skipping token expansion (default 1 = never; 0.999 is a safe speed-up). */
  blankSkipThreshold?: number;
  /** Word n-gram LM applied when a word completes. */
  lm?: NgramLM;
  /** LM weight: alpha * ln(10) * log10 P(word) is added per word (default 0.5, pyctcdecode's). */
  alpha?: number;
  /** Word insertion bonus per completed word (default 1.5 with an LM, else 0). */
  beta?: number;
  /** Added (in log10 units, before alpha) for a word missing from the LM, and (unscaled) for a partial word that starts no LM word (default -10). */
  unkScoreOffset?: number;
  /** Words or phrases to boost: a phrase earns its bonus only when all its words are recognised in order (see PhraseHotwords). */
  hotwords?: readonly string[];
  /** Bonus per word of a completed hotword phrase (default 10, pyctcdecode's); a phrase being spelled earns a share, gone if it is abandoned. */
  hotwordWeight?: number;
  /** Hypotheses returned (default 1), best first, with distinct texts. */
  nBest?: number;
}

/**
 * CTC prefix beam search (Hannun et al. 2014: blank and non-blank probabilities per prefix)
 * with per-frame token pruning, beam pruning, blank-frame skipping, word-level n-gram LM
 * scoring (pyctcdecode's conventions) and hotwords. Prefixes live in a trie of typed arrays,
 * and LM scores are cached per (LM state, word).
 *
 * @example
 * ```ts
 * const decoder = new CtcBeamSearchDecoder(tokenizer, { beamWidth: 32, lm, alpha: 0.5, beta: 1.5 });
 * const [best] = decoder.decode({ data, frames, vocab: 256 });
 * console.log(best.text, best.words);
 * ```
 */
export class CtcBeamSearchDecoder {
  private readonly tokenizer: Tokenizer;
  private readonly table: TokenTable;
  private readonly beamWidth: number;
  private readonly tokenMinLogProb: number;
  private readonly topK: number;
  private readonly beamPrune: number;
  private readonly blankSkipLog: number;
  private readonly nBest: number;
  private readonly scorer: WordScorer;
  private readonly trie: PrefixTrie;
  private readonly alignments = new Alignments();

  /**
   * @param tokenizer - Tokenizer matching the model's output.
   * @param options - See {@link BeamSearchOptions}.
   * @throws AsrqError `CTC_BAD_OPTION` for a non-positive beam width, topK or nBest.
   */
  constructor(tokenizer: Tokenizer, options: BeamSearchOptions = {}) {
    this.tokenizer = tokenizer;
    this.table = tokenTable(tokenizer);
    this.beamWidth = options.beamWidth ?? CTC_DEFAULTS.beamWidth;
    this.tokenMinLogProb = options.tokenMinLogProb ?? CTC_DEFAULTS.tokenMinLogProb;
    this.topK = options.topK ?? CTC_DEFAULTS.topK;
    this.beamPrune = options.beamPruneLogProb ?? CTC_DEFAULTS.beamPruneLogProb;
    this.blankSkipLog = Math.log(options.blankSkipThreshold ?? CTC_DEFAULTS.blankSkipThreshold);
    this.nBest = options.nBest ?? CTC_DEFAULTS.nBest;
    for (const [name, value] of [
      ['beamWidth', this.beamWidth],
      ['topK', this.topK],
      ['nBest', this.nBest],
    ] as const) {
      if (!Number.isInteger(value) || value < 1)
        throw new CtcError('CTC_BAD_OPTION', `${name} must be a positive integer, got ${value}.`);
    }
    this.scorer = new WordScorer(this.table, options);
    this.trie = new PrefixTrie(this.table, tokenizer.vocabSize, this.scorer);
  }

  /**
   * Decodes one utterance.
   * @param logProbs - [frames, vocab] natural-log probabilities.
   * @returns Up to `nBest` hypotheses, best first.
   * @throws AsrqError `CTC_VOCAB_MISMATCH` / `CTC_BAD_LOGPROBS` for unusable input.
   */
  decode(logProbs: LogProbs): Hypothesis[] {
    validateLogProbs(logProbs, this.tokenizer.vocabSize);
    const { data, frames, vocab } = logProbs;
    const blank = this.tokenizer.blankId;
    const trie = this.trie;
    trie.reset();
    this.alignments.reset();
    const width = this.beamWidth;
    const maxCandidates = width * (this.topK + 1) + 1;
    const buffers: FrameBuffers = {
      beam: new BeamEntries(width),
      next: new BeamEntries(maxCandidates),
      candidates: { tokens: new Int32Array(vocab), logps: new Float64Array(vocab), count: 0 },
      trie,
      alignments: this.alignments,
    };
    const { beam, next, candidates } = buffers;
    const scores = new Float64Array(maxCandidates);
    const order = new Int32Array(maxCandidates);
    beam.start();
    for (let t = 0; t < frames; t++) {
      const row = t * vocab;
      const blankLogp = data[row + blank]!;
      if (blankLogp >= this.blankSkipLog) {
        skipBlankFrame(beam, blankLogp);
        continue;
      }
      frameCandidates(data, row, vocab, blank, this.tokenMinLogProb, this.topK, candidates);
      extendFrame(buffers, t, blankLogp);
      pruneInto(next, trie, this.beamPrune, width, scores, order, beam);
    }
    const records = new Int32Array(beam.size);
    for (let i = 0; i < beam.size; i++) records[i] = beam.vb[i]! >= beam.vnb[i]! ? beam.rb[i]! : beam.rnb[i]!;
    return this.finish(beam.nodes, beam.pb, beam.pnb, records, beam.size);
  }

  private finish(
    nodes: Int32Array,
    pb: Float64Array,
    pnb: Float64Array,
    records: Int32Array,
    size: number,
  ): Hypothesis[] {
    const trie = this.trie;
    const results: { node: number; acoustic: number; lm: number; record: number }[] = [];
    for (let i = 0; i < size; i++) {
      const node = nodes[i]!;
      const acoustic = logAdd(pb[i]!, pnb[i]!);
      results.push({
        node,
        acoustic,
        lm: trie.lmScore[node]! + this.scorer.finalScore(trie, node),
        record: records[i]!,
      });
    }
    results.sort((a, b) => b.acoustic + b.lm - (a.acoustic + a.lm));
    // Distinct texts only: two token sequences can spell the same words (SentencePiece
    // segmentations); the better-scoring one stands for the text.
    const hypotheses: Hypothesis[] = [];
    const seen = new Set<string>();
    for (const { node, acoustic, lm, record } of results) {
      if (hypotheses.length >= this.nBest) break;
      const tokens: number[] = [];
      for (let n = node; n > 0; n = trie.parent[n]!) tokens.push(trie.token[n]!);
      tokens.reverse();
      const text = joinTokens(this.table, tokens);
      if (seen.has(text)) continue;
      seen.add(text);
      const { starts, ends } = this.alignments.frames(record, tokens.length);
      hypotheses.push({
        text,
        tokens,
        words: wordTimings(this.table, tokens, starts, ends),
        score: acoustic + lm,
        acousticScore: acoustic,
        lmScore: lm,
      });
    }
    return hypotheses;
  }
}
