import { OP_C, OP_D, OP_I, OP_S, alignIds, lastOps } from './align.js';
import { applyTransforms, type TextTransform } from './normalize.js';
import { errorRates } from './rates.js';
import { speakerOfId } from './speaker.js';
import { internWords, tokenize, type ScoreUnit } from './tokenize.js';
import type { AlignmentStep, ErrorCounts, UtterancePair, UtteranceScore } from './types.js';

/** Maps tokens to dense integer ids shared by a whole corpus, so the DP compares integers. */
export class Interner {
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
export class StepCache {
  private readonly correct: AlignmentStep[] = [];
  private readonly deleted: AlignmentStep[] = [];
  private readonly inserted: AlignmentStep[] = [];
  private readonly substituted = new Map<number, AlignmentStep>();

  build(
    ops: Uint8Array,
    length: number,
    ids: Int32Array,
    ref: readonly string[],
    hyp: readonly string[],
  ): AlignmentStep[] {
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

  private cached(
    cache: AlignmentStep[],
    id: number,
    op: AlignmentStep['op'],
    ref: string | undefined,
    hyp: string | undefined,
  ): AlignmentStep {
    let step = cache[id];
    if (step === undefined) {
      step = Object.freeze(ref === undefined ? { op, hyp: hyp! } : hyp === undefined ? { op, ref } : { op, ref, hyp });
      cache[id] = step;
    }
    return step;
  }
}

/** An utterance's score with its speaker settled. */
export type ScoredUtterance = UtteranceScore & { speaker: string };

/**
 * Scores utterances one at a time, the sclite way: transforms, tokens, token ids shared by the
 * whole corpus, alignment, S/D/I counts, rates, and (optionally) alignment steps.
 */
export class UtteranceScorer {
  private readonly interner = new Interner();
  private readonly stepCache = new StepCache();

  /**
   * @param unit - Words or characters.
   * @param transforms - Applied, in order, to reference and hypothesis.
   * @param keepAlignments - Whether to build the alignment steps.
   */
  constructor(
    private readonly unit: ScoreUnit,
    private readonly transforms: readonly TextTransform[],
    private readonly keepAlignments: boolean,
  ) {}

  /**
   * Aligns one pair and counts its errors.
   * @param pair - The utterance.
   * @returns Its score.
   */
  score(pair: UtterancePair): ScoredUtterance {
    const ref = tokenize(applyTransforms(pair.ref, this.transforms), this.unit);
    const hyp = tokenize(applyTransforms(pair.hyp, this.transforms), this.unit);
    const interner = this.interner;
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
    const counts: ErrorCounts = {
      hits,
      substitutions,
      deletions,
      insertions,
      refCount: ref.length,
      hypCount: hyp.length,
    };
    const alignment = this.keepAlignments ? this.stepCache.build(ops, length, buf, ref, hyp) : [];
    const rates = errorRates(counts);
    // A literal with a fixed shape: spreading into it made every utterance a slow dictionary object.
    return {
      id: pair.id,
      speaker: pair.speaker ?? speakerOfId(pair.id),
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
}
