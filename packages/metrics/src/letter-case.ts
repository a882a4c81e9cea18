import { applyTransforms, type TextTransform } from './normalize.js';
import type { ScoreWarning, UtterancePair } from './types.js';

const LOWER = /\p{Ll}/u;
const UPPER = /\p{Lu}/u;

/** Which letter cases one side of a corpus uses. */
interface CaseSeen {
  lower: boolean;
  upper: boolean;
}

function caseOf(texts: Iterable<string>): CaseSeen {
  const seen = { lower: false, upper: false };
  for (const text of texts) {
    if (!seen.lower && LOWER.test(text)) seen.lower = true;
    if (!seen.upper && UPPER.test(text)) seen.upper = true;
    if (seen.lower && seen.upper) break;
  }
  return seen;
}

function single(seen: CaseSeen): 'lower' | 'upper' | undefined {
  if (seen.lower === seen.upper) return undefined;
  return seen.lower ? 'lower' : 'upper';
}

/**
 * Warns when references and hypotheses are written in different letter cases (all lower case
 * against all upper case, after the transforms): scoring is case-sensitive, as sclite's, so every
 * word would count as an error and the WER would be near 100 % with nothing else said.
 * @param pairs - The utterances.
 * @param transforms - The transforms the score applies to both sides.
 * @returns A `METRICS_CASE_MISMATCH` warning, or undefined when the cases agree (or either side mixes them).
 * @example
 * ```ts
 * letterCaseMismatch([{ id: 'a-1', ref: 'the cat', hyp: 'THE CAT' }], [])?.code; // 'METRICS_CASE_MISMATCH'
 * ```
 */
export function letterCaseMismatch(
  pairs: readonly UtterancePair[],
  transforms: readonly TextTransform[],
): ScoreWarning | undefined {
  // A transform that folds case leaves nothing to compare (and nothing to re-run over the corpus).
  if (transforms.some((t) => t.transformName === 'upperCase' || t.transformName === 'lowerCase')) return undefined;
  const side = (pick: (p: UtterancePair) => string): Iterable<string> => ({
    *[Symbol.iterator]() {
      for (const pair of pairs) yield applyTransforms(pick(pair), transforms);
    },
  });
  const refs = single(caseOf(side((p) => p.ref)));
  const hyps = single(caseOf(side((p) => p.hyp)));
  if (refs === undefined || hyps === undefined || refs === hyps) return undefined;
  return {
    code: 'METRICS_CASE_MISMATCH',
    message: `the references are in ${refs} case and the hypotheses in ${hyps} case: scoring is case-sensitive, so every word counts as an error. Normalise both sides (the LibriSpeech normaliser: --normalize).`,
  };
}
