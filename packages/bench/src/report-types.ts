import type { TimingSummary } from '@asrq/metrics';
import type { BenchConfig } from './types.js';

/** One model's line in the report. */
export interface ModelResult {
  model: string;
  label: string;
  /** Word error rate, percent. */
  wer: number;
  /** Character error rate, percent. */
  cer: number;
  substitutions: number;
  deletions: number;
  insertions: number;
  refWords: number;
  /** Encoder RTF (session.run time / audio time): the median over repeats. */
  rtfEncoder: number;
  /** Encoder RTF over each repeat pass. */
  rtfEncoderRepeats: TimingSummary;
  /**
   * End-to-end RTF: {@link ModelResult.rtfEncoder} (the median over repeat passes) plus audio
   * loading, input tensors and CTC decoding (measured once per utterance), over audio time; never
   * below the encoder RTF.
   */
  rtfEndToEnd: number;
  /** CTC decoding time / audio time. */
  rtfDecode: number;
  /** Baseline encoder RTF / this model's encoder RTF (the first model is 1; with several thread counts, the first model at the same count). */
  speedup: number;
  /** Intra-op threads of this model's session (present when the run measured several thread counts). */
  threads?: number;
  /** Per-utterance speedups against the baseline (median and spread). */
  speedupPerUtterance: TimingSummary;
  /** Per-utterance encoder RTF (first repeat), for distribution plots. */
  utteranceRtf: number[];
  sizeBytes: number;
  loadSec: number;
  rssIncreaseBytes: number;
  worst: Array<{ id: string; errors: number; refWords: number; alignment: string }>;
  confusions: Array<{ ref: string; hyp: string; count: number }>;
  /** What makes this model's WER misleading (references and hypotheses in different letter cases, empty references); absent when nothing. */
  warnings?: string[];
}

/** The benchmark report (schema version `benchReportVersion`). */
export interface BenchReport {
  version: number;
  /** Utterances measured (every model finished them). */
  utterances: number;
  /** Utterances asked for (`--n`); more than `utterances` when the corpus is smaller or some were skipped (absent in reports written before it was added). */
  requested?: number;
  audioSec: number;
  skipped: Array<{ id: string; path: string; reason: string }>;
  corpusWarnings: number;
  config: BenchConfig;
  protocol: {
    rtfScope: string;
    warmupExcluded: number;
    repeats: number;
    threads: number;
    interleaving: string;
    decoding: string;
  };
  models: ModelResult[];
  harness: {
    loopSec: number;
    workSec: number;
    overheadPercent: number;
    resumedUtterances: number;
    peakRssBytes: number;
  };
  environment: { node: string; onnxruntime: string; cpu: string; cores: number; platform: string };
  /** The shard runs this report was merged from (`asrq bench merge`, `--jobs`), each with its machine. */
  merged?: Array<{ dir: string; shard: string; utterances: number; cpu?: string; cores?: number; loopSec?: number }>;
  startedAt: string;
  finishedAt: string;
}
