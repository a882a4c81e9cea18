import { throwIfAborted } from '@asrq/core';
import { OP_C, OP_D, OP_I, OP_S, alignIds, lastOps } from './align.js';
import { idsEditDistance } from './distance.js';
import { applyTransforms, type TextTransform } from './normalize.js';
import { addCounts, errorRates, zeroCounts } from './rates.js';
import { speakerOfId } from './speaker.js';
import { internWords, tokenize, type ScoreUnit } from './tokenize.js';
import type { AlignmentStep, CorpusScore, ErrorCounts, ScoreWarning, SpeakerScore, UtterancePair, UtteranceScore } from './types.js';
import { MetricsError } from './errors.js';

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

/** Maps tokens to dense integer ids shared by a whole corpus, so the DP compares integers. */
class Interner {
  private readonly ids = new Map<string, number>();
  buffer = new Int32Array(1024);

  /** Writes the ids of `tokens` at `offset` of {@link buffer}, growing it as needed. */
  put(tokens: readonly string[], offset: number): void {
    const need = offset + tokens.length;
    if (this.buffer.length < need) {
      const grown = new Int32Array(Math.max(need, this.buffer.length * 2));
      grown.set(this.buffer);
      this.buffer = grown;
    }
    internWords(this.ids, tokens, this.buffer, offset);
  }
}

const MAX_CACHED_ID = 1 << 26;

/**
 * Hands out one frozen step object per distinct (op, ref, hyp): a corpus of 2 million words
 * then holds a few thousand step objects instead of 2 million, which is what keeps full
 * alignment within a small factor of distance-only scoring (allocation and GC dominate).
 */
class StepCache {
  private readonly correct: AlignmentStep[] = [];
  private readonly deleted: AlignmentStep[] = [];
  private readonly inserted: AlignmentStep[] = [];
  private readonly substituted = new Map<number, AlignmentStep>();

  build(ops: Uint8Array, length: number, ids: Int32Array, ref: readonly string[], hyp: readonly string[]): AlignmentStep[] {
    const steps = new Array<AlignmentStep>(length);
    const hypOffset = ref.length;
    let i = 0;
    let j = 0;
    for (let k = length - 1, s = 0; k >= 0; k--, s++) {
      const op = ops[k]!;
      if (op === OP_C) {
        steps[s] = this.cached(this.correct, ids[i]!, 'C', ref[i]!, hyp[j]!);
        i++;
        j++;
      } else if (op === OP_S) {
        const r = ids[i]!;
        const h = ids[hypOffset + j]!;
        if (r < MAX_CACHED_ID && h < MAX_CACHED_ID) {
          const key = r * MAX_CACHED_ID + h;
          let step = this.substituted.get(key);
          if (step === undefined) {
            step = Object.freeze({ op: 'S', ref: ref[i]!, hyp: hyp[j]! });
            this.substituted.set(key, step);
          }
          steps[s] = step;
        } else {
          steps[s] = Object.freeze({ op: 'S', ref: ref[i]!, hyp: hyp[j]! });
        }
        i++;
        j++;
      } else if (op === OP_D) {
        steps[s] = this.cached(this.deleted, ids[i]!, 'D', ref[i]!, undefined);
        i++;
      } else {
        steps[s] = this.cached(this.inserted, ids[hypOffset + j]!, 'I', undefined, hyp[j]!);
        j++;
      }
    }
    return steps;
  }

  private cached(cache: AlignmentStep[], id: number, op: AlignmentStep['op'], ref: string | undefined, hyp: string | undefined): AlignmentStep {
    let step = cache[id];
    if (step === undefined) {
      step = Object.freeze(ref === undefined ? { op, hyp: hyp! } : hyp === undefined ? { op, ref } : { op, ref, hyp });
      cache[id] = step;
    }
    return step;
  }
}

function checkUniqueIds(pairs: readonly UtterancePair[]): void {
  if (pairs.length === 0) {
    throw new MetricsError('METRICS_EMPTY_INPUT', 'Nothing to score: the list of utterance pairs is empty. Check that the reference and hypothesis files were read.');
  }
  const seen = new Set<string>();
  for (const pair of pairs) {
    if (seen.has(pair.id)) {
      throw new MetricsError('METRICS_DUPLICATE_ID', `Utterance id "${pair.id}" occurs more than once; every utterance must have a unique id.`, { location: pair.id });
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
 *   corpus summary) for the caller to show.
 * @throws AsrqError `METRICS_DUPLICATE_ID` on a repeated id, `METRICS_EMPTY_INPUT` on no pairs, `ABORTED` when cancelled.
 * @example
 * ```ts
 * const score = scoreCorpus([{ id: 'a-1', ref: 'the cat sat', hyp: 'the bat' }], { transforms: librispeechNormalizer });
 * score.total.errorRate; // 66.66…  (1 S + 1 D over 3 words)
 * ```
 */
export function scoreCorpus(pairs: readonly UtterancePair[], options: ScoreOptions = {}): CorpusScore {
  checkUniqueIds(pairs);
  const unit = options.unit ?? 'word';
  const transforms = options.transforms ?? [];
  const keepAlignments = options.alignments ?? true;
  const interner = new Interner();
  const stepCache = new StepCache();
  const total = zeroCounts();
  const utterances: UtteranceScore[] = new Array<UtteranceScore>(pairs.length);
  const speakerCounts = new Map<string, { counts: ErrorCounts; sentences: number; sentenceErrors: number }>();
  let sentenceErrors = 0;
  const warnings: ScoreWarning[] = [];
  let emptyRefs = 0;
  let emptyRefErrors = 0;

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
    const buf = interner.buffer;
    const hypIds = buf.subarray(ref.length, ref.length + hyp.length);
    const length = alignIds(buf, ref.length, hypIds, hyp.length);
    const ops = lastOps();
    let hits = 0;
    let substitutions = 0;
    let deletions = 0;
    let insertions = 0;
    for (let k = 0; k < length; k++) {
      const op = ops[k];
      if (op === OP_C) hits++;
      else if (op === OP_S) substitutions++;
      else if (op === OP_D) deletions++;
      else if (op === OP_I) insertions++;
    }
    const counts: ErrorCounts = { hits, substitutions, deletions, insertions, refCount: ref.length, hypCount: hyp.length };
    const alignment = keepAlignments ? stepCache.build(ops, length, buf, ref, hyp) : [];
    const speaker = pair.speaker ?? speakerOfId(pair.id);
    const hasError = substitutions + deletions + insertions > 0;
    if (hasError) sentenceErrors++;
    addCounts(total, counts);
    let perSpeaker = speakerCounts.get(speaker);
    if (perSpeaker === undefined) {
      perSpeaker = { counts: zeroCounts(), sentences: 0, sentenceErrors: 0 };
      speakerCounts.set(speaker, perSpeaker);
    }
    addCounts(perSpeaker.counts, counts);
    perSpeaker.sentences++;
    if (hasError) perSpeaker.sentenceErrors++;
    if (ref.length === 0) {
      emptyRefs++;
      emptyRefErrors += insertions;
      if (insertions > 0) {
        const unitName = unit === 'word' ? 'word' : 'character';
        warnings.push({
          code: 'METRICS_EMPTY_REFERENCE',
          id: pair.id,
          message: `${pair.id}: the reference is empty${transforms.length > 0 ? ' after normalisation' : ''}, so its ${insertions} hypothesis ${unitName}(s) count as insertions over a denominator of 1 (${(100 * insertions).toFixed(0)} %). Check the reference, or drop the utterance.`,
        });
      }
    }
    const rates = errorRates(counts);
    // A literal with a fixed shape: spreading into it made every utterance a slow dictionary object.
    utterances[u] = {
      id: pair.id,
      speaker,
      ref,
      hyp,
      alignment,
      hits,
      substitutions,
      deletions,
      insertions,
      refCount: ref.length,
      hypCount: hyp.length,
      errorRate: rates.errorRate,
      mer: rates.mer,
      wil: rates.wil,
      wip: rates.wip,
    };
  }
  options.onProgress?.({ status: 'done', total: pairs.length });

  const speakers: SpeakerScore[] = [];
  for (const [speaker, s] of speakerCounts) {
    speakers.push({ speaker, sentences: s.sentences, sentenceErrors: s.sentenceErrors, ...errorRates(s.counts) });
  }
  if (emptyRefErrors > 0 || (emptyRefs > 0 && total.refCount === 0)) {
    const share = total.refCount === 0 ? 'every reference is empty, so the corpus rate divides by 1 and means nothing' : `their ${emptyRefErrors} insertion(s) are in the corpus rate`;
    warnings.push({
      code: 'METRICS_EMPTY_REFERENCES',
      message: `${emptyRefs} of ${pairs.length} utterance(s) have an empty reference: ${share}.`,
    });
  }
  return {
    unit,
    total: errorRates(total),
    utterances,
    speakers,
    sentenceErrors,
    transforms: transforms.map((t) => t.transformName),
    warnings,
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
  const unit = options.unit ?? 'word';
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
  return { distance: dist, refCount, hypCount, errorRate: (100 * dist) / Math.max(refCount, 1), utterances: pairs.length };
}
