import type { CorpusScore, UtteranceScore } from './types.js';
import { MetricsError } from './errors.js';

/** Options of {@link formatAlignment}. */
export interface FormatAlignmentOptions {
  /**
   * Print correct tokens in lower case and errors in upper case, as sclite does in its default
   * case-insensitive mode. Default false: tokens as they are, as `sclite -s` (case-sensitive, like
   * asrq's scoring) prints them.
   */
  caseMarking?: boolean;
}

// A space token (character scoring) would print as an invisible column.
const visible = (token: string): string => (token === ' ' ? '␣' : token);
const width = (token: string): number => Array.from(token).length;

/**
 * Prints an utterance's alignment like sclite's `pralign` report: an `id:` line, a `Scores:`
 * line with #C #S #D #I, then `REF:`, `HYP:` and `Eval:` lines in aligned columns, with `*`
 * gaps as wide as the token opposite and S/D/I marks under errors, exactly as `sclite -s`
 * prints it (`caseMarking: true` gives sclite's default lower/upper-case marking). Lines keep
 * sclite's trailing spaces so the output can be compared with sclite's byte for byte.
 *
 * @param u - An utterance scored with alignments.
 * @param options - `caseMarking`.
 * @returns Five lines (two when both sides are empty) joined by `\n`, with a trailing newline.
 * @throws AsrqError `METRICS_NO_ALIGNMENT` when `u` was scored with `alignments: false`.
 * @example
 * ```ts
 * formatAlignment(scoreCorpus([{ id: 'a-1', ref: 'the cat sat', hyp: 'the sat' }]).utterances[0]!);
 * // id: (a-1)
 * // Scores: (#C #S #D #I) 2 0 1 0
 * // REF:  the cat sat
 * // HYP:  the *** sat
 * // Eval:     D
 * ```
 */
export function formatAlignment(u: UtteranceScore, options: FormatAlignmentOptions = {}): string {
  requireAlignment(u);
  const marking = options.caseMarking ?? false;
  let refLine = 'REF:  ';
  let hypLine = 'HYP:  ';
  let evalLine = 'Eval: ';
  for (const step of u.alignment) {
    let r = step.ref === undefined ? undefined : visible(step.ref);
    let h = step.hyp === undefined ? undefined : visible(step.hyp);
    if (marking) {
      const error = step.op !== 'C';
      r = r === undefined ? undefined : error ? r.toUpperCase() : r.toLowerCase();
      h = h === undefined ? undefined : error ? h.toUpperCase() : h.toLowerCase();
    }
    const w = Math.max(r === undefined ? 0 : width(r), h === undefined ? 0 : width(h));
    const rCell = r ?? '*'.repeat(w);
    const hCell = h ?? '*'.repeat(w);
    refLine += rCell + ' '.repeat(w - width(rCell) + 1);
    hypLine += hCell + ' '.repeat(w - width(hCell) + 1);
    const mark = step.op === 'C' ? ' ' : step.op;
    evalLine += mark + ' '.repeat(w);
  }
  const head = `id: (${u.id})\nScores: (#C #S #D #I) ${u.hits} ${u.substitutions} ${u.deletions} ${u.insertions}\n`;
  // sclite prints no alignment lines when both sides are empty.
  return u.alignment.length === 0 ? head : `${head}${refLine}\n${hypLine}\n${evalLine}\n`;
}

function requireAlignment(u: UtteranceScore): void {
  if (u.alignment.length === 0 && (u.refCount > 0 || u.hypCount > 0)) {
    throw new MetricsError(
      'METRICS_NO_ALIGNMENT',
      `Utterance "${u.id}" has no alignment: it was scored with alignments: false. Score again with alignments: true.`,
      { location: u.id },
    );
  }
}

/**
 * The most frequent substitutions (reference token → hypothesis token) over a corpus, like the
 * CONFUSION PAIRS section of sclite's `dtl` report.
 * @param score - A corpus scored with alignments.
 * @param top - How many pairs to return (default 10).
 * @returns Pairs by descending count, then by ref and hyp in code-unit order.
 * @throws AsrqError `METRICS_NO_ALIGNMENT` when the corpus was scored with `alignments: false`.
 * @example
 * ```ts
 * confusionPairs(score, 5); // [{ ref: 'THE', hyp: 'A', count: 12 }, …]
 * ```
 */
export function confusionPairs(score: CorpusScore, top = 10): Array<{ ref: string; hyp: string; count: number }> {
  const counts = new Map<string, { ref: string; hyp: string; count: number }>();
  for (const u of score.utterances) {
    if (u.substitutions === 0) continue;
    requireAlignment(u);
    for (const step of u.alignment) {
      if (step.op !== 'S') continue;
      const ref = step.ref ?? '';
      const hyp = step.hyp ?? '';
      // A NUL separator cannot occur inside a token produced by tokenize().
      const key = `${ref}\u0000${hyp}`;
      const entry = counts.get(key);
      if (entry === undefined) counts.set(key, { ref, hyp, count: 1 });
      else entry.count++;
    }
  }
  return [...counts.values()].sort(compareConfusions).slice(0, Math.max(0, top));
}

function compareConfusions(
  a: { ref: string; hyp: string; count: number },
  b: { ref: string; hyp: string; count: number },
): number {
  if (a.count !== b.count) return b.count - a.count;
  if (a.ref !== b.ref) return a.ref < b.ref ? -1 : 1;
  if (a.hyp !== b.hyp) return a.hyp < b.hyp ? -1 : 1;
  return 0;
}

/**
 * The utterances with the most errors (S + D + I), ties broken by higher error rate, then by id.
 * Utterances without errors are never included.
 * @param score - A corpus score.
 * @param top - How many utterances (default 10).
 * @returns Utterance scores, worst first.
 * @example
 * ```ts
 * for (const u of worstUtterances(score, 3)) text += formatAlignment(u);
 * ```
 */
export function worstUtterances(score: CorpusScore, top = 10): UtteranceScore[] {
  const errors = (u: UtteranceScore): number => u.substitutions + u.deletions + u.insertions;
  return score.utterances
    .filter((u) => errors(u) > 0)
    .sort((a, b) => errors(b) - errors(a) || b.errorRate - a.errorRate || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    .slice(0, Math.max(0, top));
}
