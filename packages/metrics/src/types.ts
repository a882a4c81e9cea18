/** One utterance to score: a reference transcript and the recogniser's hypothesis. */
export interface UtterancePair {
  /** Utterance id, unique within a corpus (e.g. `1272-128104-0000`). */
  id: string;
  /** Reference (ground-truth) text. */
  ref: string;
  /** Hypothesis (recognised) text. */
  hyp: string;
  /** Speaker id; when absent, {@link speakerOfId} derives it from `id` the way sclite does. */
  speaker?: string;
}

/** Raw alignment counts. `refCount = hits + substitutions + deletions`, `hypCount = hits + substitutions + insertions`. */
export interface ErrorCounts {
  hits: number;
  substitutions: number;
  deletions: number;
  insertions: number;
  refCount: number;
  hypCount: number;
}

/**
 * Counts plus rates, all four rates in PERCENT (an `errorRate` of 12.5 means 12.5 %).
 * `errorRate` is WER (or CER for character units) = 100·(S+D+I)/N; `mer` = 100·(S+D+I)/(H+S+D+I);
 * `wip` = 100·(H/N)·(H/P); `wil` = 100 − `wip` (jiwer's definitions). See {@link errorRates}
 * for the empty-reference convention: no rate is ever NaN or infinite.
 */
export interface ErrorRates extends ErrorCounts {
  errorRate: number;
  mer: number;
  wil: number;
  wip: number;
}

/** One column of an alignment: Correct, Substitution, Deletion (ref only) or Insertion (hyp only). */
export interface AlignmentStep {
  op: 'C' | 'S' | 'D' | 'I';
  ref?: string;
  hyp?: string;
}

/** Score of one utterance: its counts, rates, tokens after normalisation, and alignment. */
export interface UtteranceScore extends ErrorRates {
  id: string;
  speaker?: string;
  /** Reference tokens (words or characters) after the transforms. */
  ref: string[];
  /** Hypothesis tokens after the transforms. */
  hyp: string[];
  /** sclite alignment; empty when scored with `alignments: false`. */
  alignment: AlignmentStep[];
}

/** Per-speaker totals, as in sclite's `sum` report. */
export type SpeakerScore = { speaker: string; sentences: number; sentenceErrors: number } & ErrorRates;

/** Score of a whole corpus; `total` pools counts over all utterances (not a mean of utterance rates). */
export interface CorpusScore {
  unit: 'word' | 'char';
  total: ErrorRates;
  utterances: UtteranceScore[];
  speakers: SpeakerScore[];
  /** Utterances with at least one error. */
  sentenceErrors: number;
  /** Names of the text transforms applied to both references and hypotheses, in order. */
  transforms: string[];
  /** What makes the rates misleading (e.g. empty references), per utterance and for the corpus; the CLI prints them. */
  warnings: ScoreWarning[];
}

/** A reason to read a score with care, found while scoring. Libraries return these; the CLI prints them. */
export interface ScoreWarning {
  /** `METRICS_EMPTY_REFERENCE` (one utterance), `METRICS_EMPTY_REFERENCES` (the corpus summary) or `METRICS_CASE_MISMATCH`. */
  code: string;
  /** The utterance id, for per-utterance warnings. */
  id?: string;
  message: string;
}
