import { letterCaseMismatch } from './letter-case.js';
import { throwIfAborted } from '@asrq/core';
import { CorpusTally } from './corpus-tally.js';
import { idsEditDistance } from './distance.js';
import { applyTransforms, type TextTransform } from './normalize.js';
import { errorRates } from './rates.js';
import { tokenize, type ScoreUnit } from './tokenize.js';
import type { CorpusScore, UtterancePair, UtteranceScore } from './types.js';
import { Interner, UtteranceScorer } from './utterance-scorer.js';
import { MetricsError } from './errors.js';
import { METRICS_DEFAULTS } from './defaults.js';

/** Progress of {@link scoreCorpus}, reported every 4,096 utterances and at the end. */
export type ScoreProgress = { status: 'scoring'; done: number; total: number } | { status: 'done'; total: number };

/** Options of {@link scoreCorpus} and {@link distanceErrorRate}. */
export interface ScoreOptions {
  /** Score words (WER, default) or characters (CER). */
  unit?: ScoreUnit;
  /** Applied, in order, to every reference and every hypothesis before tokenising. Default: none. */
  transforms?: readonly TextTransform[];
  /** Keep each utterance's alignment steps (default true). Counts are identical either way. */
  alignments?: boolean;
  onProgress?: (progress: ScoreProgress) => void;
  signal?: AbortSignal;
}

const PROGRESS_EVERY = 4096;

function checkUniqueIds(pairs: readonly UtterancePair[]): void {
  if (pairs.length === 0) {
    throw new MetricsError(
      'METRICS_EMPTY_INPUT',
      'Nothing to score: the list of utterance pairs is empty. Check that the reference and hypothesis files were read.',
    );
  }
  const seen = new Set<string>();
  for (const pair of pairs) {
    if (seen.has(pair.id)) {
      throw new MetricsError(
        'METRICS_DUPLICATE_ID',
        `Utterance id "${pair.id}" occurs more than once; every utterance must have a unique id.`,
        { location: pair.id },
      );
    }
    seen.add(pair.id);
  }
}

/**
 * Scores a corpus: aligns every reference/hypothesis pair the way sclite does and pools the
 * counts (WER = total (S+D+I) / total reference words, not a mean of per-utterance rates).
 * Also gives per-utterance and per-speaker scores (speaker = `pair.speaker`, or derived from the
 * id with {@link speakerOfId}; speakers in order of first appearance).
 *
 * Alignment steps are frozen objects shared between utterances (one per distinct op and tokens),
 * which keeps memory and time low on large corpora; copy a step before changing it.
 *
 * S, D, I and hence WER equal sclite's (`sclite -s`, case-sensitive). They can exceed the
 * unit-cost distance that jiwer reports (see {@link alignWords}); {@link distanceErrorRate} gives
 * that number.
 *
 * @param pairs - Utterances; ids must be unique.
 * @param options - Unit, transforms, whether to keep alignments, progress and cancellation.
 * @returns The corpus score. Rates are percentages; see {@link errorRates} for empty references, which
 *   also give `warnings` (one per utterance with an empty reference and a non-empty hypothesis, and a
 *   corpus summary; one when references and hypotheses are in different letter cases) for the caller to show.
 * @throws AsrqError `METRICS_DUPLICATE_ID` on a repeated id, `METRICS_EMPTY_INPUT` on no pairs, `ABORTED` when cancelled.
 * @example
 * ```ts
 * const score = scoreCorpus([{ id: 'a-1', ref: 'the cat sat', hyp: 'the bat' }], { transforms: librispeechNormalizer });
 * score.total.errorRate; // 66.66…  (1 S + 1 D over 3 words)
 * ```
 */
export function scoreCorpus(pairs: readonly UtterancePair[], options: ScoreOptions = {}): CorpusScore {
  checkUniqueIds(pairs);
  const unit = options.unit ?? METRICS_DEFAULTS.unit;
  const transforms = options.transforms ?? [];
  const scorer = new UtteranceScorer(unit, transforms, options.alignments ?? true);
  const tally = new CorpusTally(unit, transforms.length > 0);
  const utterances: UtteranceScore[] = new Array<UtteranceScore>(pairs.length);
  for (let u = 0; u < pairs.length; u++) {
    if (u % PROGRESS_EVERY === 0 && u > 0) {
      throwIfAborted(options.signal);
      options.onProgress?.({ status: 'scoring', done: u, total: pairs.length });
    }
    const utterance = scorer.score(pairs[u]!);
    tally.add(utterance);
    utterances[u] = utterance;
  }
  options.onProgress?.({ status: 'done', total: pairs.length });
  const speakers = tally.finish(pairs.length);
  const caseWarning = letterCaseMismatch(pairs, transforms);
  if (caseWarning) tally.warnings.push(caseWarning);
  return {
    unit,
    total: errorRates(tally.total),
    utterances,
    speakers,
    sentenceErrors: tally.sentenceErrors,
    transforms: transforms.map((t) => t.transformName),
    warnings: tally.warnings,
  };
}

/** Result of {@link distanceErrorRate}. */
export interface DistanceErrorRate {
  /** Sum over utterances of the unit-cost edit distance. */
  distance: number;
  refCount: number;
  hypCount: number;
  /** 100 · distance / max(refCount, 1), in percent (jiwer's and SpeechBrain's WER). */
  errorRate: number;
  utterances: number;
}

/**
 * The fast, distance-only error rate: pooled unit-cost edit distance over pooled reference
 * length, via fastest-levenshtein with each distinct token mapped to one UTF-16 code unit. This
 * is jiwer's / SpeechBrain's WER. It is ≤ {@link scoreCorpus}'s sclite WER, equal in the vast
 * majority of corpora (they differ only when an alignment trades ≥ 5 substitutions for ≥ 6
 * insertions + deletions), and it gives no S/D/I breakdown.
 *
 * @param pairs - Utterances (ids must be unique).
 * @param options - Unit and transforms (alignment options are ignored).
 * @returns Pooled distance and rate.
 * @throws AsrqError `METRICS_DUPLICATE_ID`, `METRICS_EMPTY_INPUT`, `ABORTED`.
 * @example
 * ```ts
 * distanceErrorRate([{ id: 'a', ref: 'the cat sat', hyp: 'the bat' }]).errorRate; // 66.66…
 * ```
 */
export function distanceErrorRate(pairs: readonly UtterancePair[], options: ScoreOptions = {}): DistanceErrorRate {
  checkUniqueIds(pairs);
  const unit = options.unit ?? METRICS_DEFAULTS.unit;
  const transforms = options.transforms ?? [];
  const interner = new Interner();
  let dist = 0;
  let refCount = 0;
  let hypCount = 0;
  for (let u = 0; u < pairs.length; u++) {
    if (u % PROGRESS_EVERY === 0 && u > 0) {
      throwIfAborted(options.signal);
      options.onProgress?.({ status: 'scoring', done: u, total: pairs.length });
    }
    const pair = pairs[u]!;
    const ref = tokenize(applyTransforms(pair.ref, transforms), unit);
    const hyp = tokenize(applyTransforms(pair.hyp, transforms), unit);
    interner.put(ref, 0);
    interner.put(hyp, ref.length);
    dist += idsEditDistance(interner.buffer, 0, ref.length, interner.buffer, ref.length, hyp.length);
    refCount += ref.length;
    hypCount += hyp.length;
  }
  options.onProgress?.({ status: 'done', total: pairs.length });
  return {
    distance: dist,
    refCount,
    hypCount,
    errorRate: (100 * dist) / Math.max(refCount, 1),
    utterances: pairs.length,
  };
}
