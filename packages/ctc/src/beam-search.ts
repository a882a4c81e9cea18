import { validateLogProbs, type LogProbs } from './log-probs.js';
import type { NgramLM } from './ngram-lm.js';
import { joinTokens, tokenTable, type TokenTable, type Tokenizer } from './tokenizer.js';
import { wordTimings, type Hypothesis } from './hypothesis.js';
import { PrefixTrie } from './prefix-trie.js';
import { Alignments } from './alignments.js';
import { WordScorer } from './word-scorer.js';
import { CtcError } from './errors.js';

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

const NEG_INF = Number.NEGATIVE_INFINITY;

function logAdd(a: number, b: number): number {
  if (a === NEG_INF) return b;
  if (b === NEG_INF) return a;
  return a > b ? a + Math.log1p(Math.exp(b - a)) : b + Math.log1p(Math.exp(a - b));
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
    this.beamWidth = options.beamWidth ?? 32;
    this.tokenMinLogProb = options.tokenMinLogProb ?? -5;
    this.topK = options.topK ?? 16;
    this.beamPrune = options.beamPruneLogProb ?? -10;
    this.blankSkipLog = Math.log(options.blankSkipThreshold ?? 1);
    this.nBest = options.nBest ?? 1;
    for (const [name, value] of [['beamWidth', this.beamWidth], ['topK', this.topK], ['nBest', this.nBest]] as const) {
      if (!Number.isInteger(value) || value < 1) throw new CtcError('CTC_BAD_OPTION', `${name} must be a positive integer, got ${value}.`);
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
    const alignments = this.alignments;
    alignments.reset();
    const width = this.beamWidth;
    const maxCandidates = width * (this.topK + 1) + 1;
    // Per beam entry: summed (pb, pnb) and best-path (vb, vnb) log-probs ending in blank /
    // non-blank, and the alignment record of each best path (its last token's frames).
    const beamNodes = new Int32Array(width);
    const beamPb = new Float64Array(width);
    const beamPnb = new Float64Array(width);
    const beamVb = new Float64Array(width);
    const beamVnb = new Float64Array(width);
    const beamRb = new Int32Array(width);
    const beamRnb = new Int32Array(width);
    let beamSize = 1;
    beamNodes[0] = 0;
    beamPb[0] = 0;
    beamPnb[0] = NEG_INF;
    beamVb[0] = 0;
    beamVnb[0] = NEG_INF;
    beamRb[0] = -1;
    beamRnb[0] = -1;
    const nextNodes = new Int32Array(maxCandidates);
    const nextPb = new Float64Array(maxCandidates);
    const nextPnb = new Float64Array(maxCandidates);
    const nextVb = new Float64Array(maxCandidates);
    const nextVnb = new Float64Array(maxCandidates);
    const nextRb = new Int32Array(maxCandidates);
    const nextRnb = new Int32Array(maxCandidates);
    const nextScore = new Float64Array(maxCandidates);
    const order = new Int32Array(maxCandidates);
    const candTokens = new Int32Array(vocab);
    const candLogp = new Float64Array(vocab);
    const slotOf = trie.slotOf;
    const stampOf = trie.stampOf;
    const topK = this.topK;

    for (let t = 0; t < frames; t++) {
      const row = t * vocab;
      const blankLogp = data[row + blank]!;
      if (blankLogp >= this.blankSkipLog) {
        for (let i = 0; i < beamSize; i++) {
          beamPb[i] = logAdd(beamPb[i]!, beamPnb[i]!) + blankLogp;
          beamPnb[i] = NEG_INF;
          const fromBlank = beamVb[i]! >= beamVnb[i]!;
          beamVb[i] = (fromBlank ? beamVb[i]! : beamVnb[i]!) + blankLogp;
          beamRb[i] = fromBlank ? beamRb[i]! : beamRnb[i]!;
          beamVnb[i] = NEG_INF;
        }
        continue;
      }
      // Token candidates of this frame: above the threshold, best first, at most topK.
      let candCount = 0;
      let bestToken = -1;
      let bestLogp = NEG_INF;
      for (let v = 0; v < vocab; v++) {
        if (v === blank) continue;
        const lp = data[row + v]!;
        if (lp > bestLogp) {
          bestLogp = lp;
          bestToken = v;
        }
        if (lp >= this.tokenMinLogProb) {
          candTokens[candCount] = v;
          candLogp[candCount++] = lp;
        }
      }
      if (candCount === 0 && bestToken >= 0) {
        candTokens[0] = bestToken;
        candLogp[0] = bestLogp;
        candCount = 1;
      }
      if (candCount > topK) {
        // Partial selection sort: topK is small.
        for (let i = 0; i < topK; i++) {
          let m = i;
          for (let j = i + 1; j < candCount; j++) if (candLogp[j]! > candLogp[m]!) m = j;
          const tt = candTokens[i]!;
          candTokens[i] = candTokens[m]!;
          candTokens[m] = tt;
          const tl = candLogp[i]!;
          candLogp[i] = candLogp[m]!;
          candLogp[m] = tl;
        }
        candCount = topK;
      }

      const stamp = t + 1;
      let nextSize = 0;
      const slotFor = (node: number): number => {
        if (stampOf[node] === stamp) return slotOf[node]!;
        stampOf[node] = stamp;
        slotOf[node] = nextSize;
        nextNodes[nextSize] = node;
        nextPb[nextSize] = NEG_INF;
        nextPnb[nextSize] = NEG_INF;
        nextVb[nextSize] = NEG_INF;
        nextVnb[nextSize] = NEG_INF;
        nextRb[nextSize] = -1;
        nextRnb[nextSize] = -1;
        return nextSize++;
      };
      for (let i = 0; i < beamSize; i++) {
        const node = beamNodes[i]!;
        const pb = beamPb[i]!;
        const pnb = beamPnb[i]!;
        const vb = beamVb[i]!;
        const vnb = beamVnb[i]!;
        const total = logAdd(pb, pnb);
        const bestV = vb >= vnb ? vb : vnb;
        const bestR = vb >= vnb ? beamRb[i]! : beamRnb[i]!;
        const last = trie.token[node]!;
        let s = slotFor(node);
        nextPb[s] = logAdd(nextPb[s]!, total + blankLogp);
        if (bestV + blankLogp > nextVb[s]!) {
          nextVb[s] = bestV + blankLogp;
          nextRb[s] = bestR;
        }
        for (let c = 0; c < candCount; c++) {
          const token = candTokens[c]!;
          const lp = candLogp[c]!;
          if (token === last) {
            // Staying on the last token: its best path's emission now ends one frame later.
            s = slotFor(node);
            nextPnb[s] = logAdd(nextPnb[s]!, pnb + lp);
            if (vnb + lp > nextVnb[s]!) {
              nextVnb[s] = vnb + lp;
              nextRnb[s] = alignments.stretch(beamRnb[i]!, t + 1);
            }
            if (pb === NEG_INF) continue;
            const child = trie.child(node, token);
            s = slotFor(child);
            nextPnb[s] = logAdd(nextPnb[s]!, pb + lp);
            if (vb + lp > nextVnb[s]!) {
              nextVnb[s] = vb + lp;
              nextRnb[s] = alignments.add(t, beamRb[i]!);
            }
          } else {
            const child = trie.child(node, token);
            s = slotFor(child);
            nextPnb[s] = logAdd(nextPnb[s]!, total + lp);
            if (bestV + lp > nextVnb[s]!) {
              nextVnb[s] = bestV + lp;
              nextRnb[s] = alignments.add(t, bestR);
            }
          }
        }
      }
      // Rank by acoustic + LM so far (+ partial-word terms), prune, keep the best `width`.
      let best = NEG_INF;
      for (let i = 0; i < nextSize; i++) {
        const node = nextNodes[i]!;
        const score = logAdd(nextPb[i]!, nextPnb[i]!) + trie.lmScore[node]! + trie.partialScore[node]!;
        nextScore[i] = score;
        if (score > best) best = score;
      }
      const floor = best + this.beamPrune;
      let kept = 0;
      for (let i = 0; i < nextSize; i++) if (nextScore[i]! >= floor) order[kept++] = i;
      if (kept > width) {
        const view = Array.from(order.subarray(0, kept));
        view.sort((a, b) => nextScore[b]! - nextScore[a]!);
        for (let i = 0; i < width; i++) order[i] = view[i]!;
        kept = width;
      }
      for (let i = 0; i < kept; i++) {
        const slot = order[i]!;
        beamNodes[i] = nextNodes[slot]!;
        beamPb[i] = nextPb[slot]!;
        beamPnb[i] = nextPnb[slot]!;
        beamVb[i] = nextVb[slot]!;
        beamVnb[i] = nextVnb[slot]!;
        beamRb[i] = nextRb[slot]!;
        beamRnb[i] = nextRnb[slot]!;
      }
      beamSize = kept;
    }
    const records = new Int32Array(beamSize);
    for (let i = 0; i < beamSize; i++) records[i] = beamVb[i]! >= beamVnb[i]! ? beamRb[i]! : beamRnb[i]!;
    return this.finish(beamNodes, beamPb, beamPnb, records, beamSize);
  }

  private finish(nodes: Int32Array, pb: Float64Array, pnb: Float64Array, records: Int32Array, size: number): Hypothesis[] {
    const trie = this.trie;
    const results: { node: number; acoustic: number; lm: number; record: number }[] = [];
    for (let i = 0; i < size; i++) {
      const node = nodes[i]!;
      const acoustic = logAdd(pb[i]!, pnb[i]!);
      results.push({ node, acoustic, lm: trie.lmScore[node]! + this.scorer.finalScore(trie, node), record: records[i]! });
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
