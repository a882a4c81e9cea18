import type { DecodeSettings, ModelInfoOverrides } from '@asrq/runtime';
import type { FileFingerprint } from './fingerprint.js';
import type { SelectionDigest, ShardSpec } from './shard.js';

/** Everything that defines a benchmark run. Two runs with equal configs are comparable; resume requires it. */
export interface BenchConfig {
  /** Model files; the first is the baseline the speedups are measured against. */
  models: string[];
  /** Tokenizer file; found beside the models when omitted. */
  tokenizer?: string;
  /** LibriSpeech-layout directory or JSONL manifest. */
  data: string;
  /** Utterances measured (after the warm-up ones). */
  n: number;
  /** Warm-up utterances run through every model first and excluded from all numbers. */
  warmup: number;
  /** Seed for a random selection; without it the first utterances in id order are taken. */
  seed?: number;
  /** Encoder runs per utterance and model; RTF median and spread are over these repeats. */
  repeats: number;
  /** Intra-op threads of every session (of the first thread count when `modelThreads` is set). */
  threads: number;
  /**
   * Intra-op threads per entry of `models`, when one run measures several thread counts
   * (`asrq bench --threads 1,2` lists every model once per count). Speedups are then against the
   * first model with the same thread count. Absent: every session uses `threads`.
   */
  modelThreads?: number[];
  /** Beam width (1 = greedy). */
  beam: number;
  /** ARPA LM path for shallow fusion. */
  lm?: string;
  /** LM weight. */
  alpha?: number;
  /** Word insertion bonus. */
  beta?: number;
  /** Hotword phrases boosted by the beam search. */
  hotwords?: string[];
  /** Bonus per word of a completed hotword phrase. */
  hotwordWeight?: number;
  /** Skip unreadable utterances (counted in the report) instead of stopping. */
  lenient: boolean;
  /** Score after the LibriSpeech normaliser (upper case, punctuation out) on both sides, as `asrq score --normalize`. */
  normalize?: boolean;
  /** Tensor names, sample rate or blank id to use instead of what discovery finds (every model). */
  overrides?: ModelInfoOverrides;
  /** Window length for long utterances in seconds (runtime default 30; 0 = never chunk); see `forwardLong`. */
  chunkSec?: number;
  /** Context on each side of a window in seconds (runtime default 5). */
  strideSec?: number;
  /** Run only this slice of the measured utterances (`--shard i/n`); `asrq bench merge` joins the slices. */
  shard?: ShardSpec;
  /** Worker processes the run was spread over (`--jobs`); RTF is then throughput per core. Absent = 1. */
  jobs?: number;
}

/** The fields of {@link BenchConfig} that have defaults (`BENCH_DEFAULTS`, and the beam width ctc resolves). */
type DefaultedField = 'n' | 'warmup' | 'repeats' | 'threads' | 'beam' | 'lenient';

/** What a caller sets for a run: a {@link BenchConfig} whose defaulted fields may be left out (`resolveBenchConfig` fills them). */
export type BenchSettings = Omit<BenchConfig, DefaultedField> & Partial<Pick<BenchConfig, DefaultedField>>;

/** One model's result on one utterance: a line of the JSONL journal. */
export interface UtteranceRecord {
  kind: 'utterance';
  /** Index of the model in `config.models`. */
  model: number;
  id: string;
  speaker?: string;
  audioSec: number;
  /** Encoder (session.run) seconds, one per repeat. */
  encoderSec: number[];
  /** CTC decoding seconds. */
  decodeSec: number;
  /** Audio read + decode + resample seconds (shared by all models of this utterance). */
  loadSec: number;
  /** Seconds spent building feeds and reading outputs for one pass (inference plumbing). */
  plumbingSec: number;
  ref: string;
  hyp: string;
}

/** An utterance that could not be read (lenient mode): a line of the journal. */
export interface SkippedRecord {
  kind: 'skipped';
  id: string;
  path: string;
  reason: string;
}

/** First line of the journal: what the run was. */
export interface JournalHeader {
  kind: 'header';
  version: number;
  config: BenchConfig;
  startedAt: string;
  /** Fingerprints of the models, tokenizer, LM, manifest and audio (journal version 3 on). */
  inputs?: RunInputs;
}

/** Settings for decoding derived from the config. */
export type BenchDecodeSettings = DecodeSettings;

/** A file and its fingerprint. */
export type NamedFingerprint = FileFingerprint & { path: string };

/** Fingerprints of everything a run reads, kept in the journal header so a resume can tell if any changed. */
export interface RunInputs {
  models: NamedFingerprint[];
  tokenizer: NamedFingerprint;
  lm?: NamedFingerprint;
  /** The manifest, when the corpus is a JSONL file (a LibriSpeech folder's transcripts are checked through each record's reference). */
  manifest?: NamedFingerprint;
  /** Audio of every measured utterance, by utterance id. */
  audio: Record<string, NamedFingerprint>;
  /** The whole run's measured utterances before sharding, so `asrq bench merge` can tell corpora apart. */
  selection?: SelectionDigest;
}

/** Progress of a benchmark run, for progress bars. */
export type BenchProgress =
  | { status: 'loading'; model: string; index: number; total: number }
  | { status: 'warmup'; done: number; total: number }
  | { status: 'measuring'; done: number; total: number; id: string; resumed: number }
  | { status: 'skipped'; id: string; reason: string }
  | { status: 'short'; requested: number; available: number; warmup: number }
  /** Lenient mode left a corpus entry out (missing audio, a bad transcript line, ...): once per entry, before the run. */
  | { status: 'corpus-warning'; code: string; message: string; path: string }
  /** The lock on the output directory was left by a process that is gone (killed); it was taken over. */
  | { status: 'stale-lock'; path: string; pid?: number; startedAt?: string }
  | { status: 'done' };

/** Facts about each model gathered while loading. */
export interface LoadedModelFacts {
  path: string;
  sizeBytes: number;
  loadSec: number;
  /** Resident memory growth while creating the session, in bytes. */
  rssIncreaseBytes: number;
}

/** Everything the report is computed from. */
export interface BenchRun {
  config: BenchConfig;
  records: UtteranceRecord[];
  skipped: SkippedRecord[];
  models: LoadedModelFacts[];
  tokenizer: string;
  corpus: { root: string; kind: string; available: number; warnings: number };
  /** Utterances resumed from the journal rather than measured in this process. */
  resumed: number;
  /** Wall time of the measured loop in this process, seconds. */
  loopSec: number;
  /** Time inside the loop spent on audio loading, inference and decoding, seconds. */
  workSec: number;
  /** Peak resident set size of this process, bytes. */
  peakRssBytes: number;
  startedAt: string;
  finishedAt: string;
}

/** Options of `runBenchmark`. */
export interface RunBenchmarkOptions {
  /** Directory for the journal (`results.jsonl`) and reports. */
  outDir: string;
  /** Continue an interrupted run from its journal. */
  resume?: boolean;
  /** Replace a finished or interrupted run in `outDir` instead of refusing to. */
  force?: boolean;
  onProgress?: (event: BenchProgress) => void;
  signal?: AbortSignal;
}
