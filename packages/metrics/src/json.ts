import type { CorpusScore, ErrorRates } from './types.js';

/**
 * Version of the JSON written by {@link scoreToJson}. Bumped on any change that could break a
 * reader (renamed or removed field, changed meaning); adding a field does not bump it.
 */
export const scoreSchemaVersion: number = 1;

/** Identifies asrq score files. */
export const scoreSchemaName = 'asrq.metrics.score';

function counts(r: ErrorRates): Record<string, number> {
  return {
    refCount: r.refCount,
    hypCount: r.hypCount,
    hits: r.hits,
    substitutions: r.substitutions,
    deletions: r.deletions,
    insertions: r.insertions,
    errorRate: r.errorRate,
    mer: r.mer,
    wil: r.wil,
    wip: r.wip,
  };
}

/**
 * A plain, versioned JSON object for a corpus score, with a fixed key order. Rates are
 * percentages and always finite (see {@link errorRates}). Alignments are stored compactly as
 * `[op, ref, hyp]` triples with `null` for the missing side.
 *
 * Shape (version 1): `{ schema: "asrq.metrics.score", schemaVersion: 1, unit, transforms,
 * alignment: "sclite (C0 I3 D3 S4)", total, sentences, sentenceErrors, speakers[], utterances[] }`.
 *
 * @param score - The corpus score.
 * @param options - `alignments` (default true): include per-utterance alignments and tokens.
 * @returns An object ready for `JSON.stringify`.
 * @example
 * ```ts
 * await writeFileAtomic('score.json', JSON.stringify(scoreToJson(score), null, 2));
 * ```
 */
export function scoreToJson(score: CorpusScore, options: { alignments?: boolean } = {}): object {
  const withAlignments = options.alignments ?? true;
  return {
    schema: scoreSchemaName,
    schemaVersion: scoreSchemaVersion,
    unit: score.unit,
    transforms: [...score.transforms],
    alignment: 'sclite (correct 0, insertion 3, deletion 3, substitution 4)',
    total: counts(score.total),
    sentences: score.utterances.length,
    sentenceErrors: score.sentenceErrors,
    speakers: score.speakers.map((s) => ({
      speaker: s.speaker,
      sentences: s.sentences,
      sentenceErrors: s.sentenceErrors,
      ...counts(s),
    })),
    utterances: score.utterances.map((u) => ({
      id: u.id,
      speaker: u.speaker ?? null,
      ...counts(u),
      ...(withAlignments
        ? {
            ref: u.ref.join(score.unit === 'word' ? ' ' : ''),
            hyp: u.hyp.join(score.unit === 'word' ? ' ' : ''),
            alignment: u.alignment.map((s) => [s.op, s.ref ?? null, s.hyp ?? null]),
          }
        : {}),
    })),
  };
}
