import {
  CTC_DEFAULTS,
  createLmTuneJob,
  loadLm,
  type LmTuneProgress,
  type SurfacePoint,
  tuneLmWeights,
} from '@asrq/ctc';
import { scoreCorpus } from '@asrq/metrics';
import { CtcModel, loadModelTokenizer, type ModelInfoOverrides } from '@asrq/runtime';
import { BENCH_DEFAULTS } from '../defaults.js';
import { type DevLogProbs, devLogProbs } from './log-probs.js';

/** Progress of {@link tuneLm}: the log-probs pass, then the weight search's events. */
export type TuneLmProgress = { status: 'log-probs'; utterances: number } | LmTuneProgress;

/** What {@link tuneLm} tunes on, and how; the grid defaults are ctc's `LM_TUNE_DEFAULTS`. */
export interface TuneLmOptions {
  /** ONNX CTC model. */
  model: string;
  /** Dev corpus: LibriSpeech-layout directory or JSONL manifest. */
  data: string;
  /** ARPA (.arpa, .arpa.gz) or compiled LM. */
  lm: string;
  /** Utterances (the first ones in id order; default `BENCH_DEFAULTS.n`). */
  n?: number;
  /** Tokenizer file (default: found beside the model). */
  tokenizer?: string;
  /** Beam width (default `CTC_DEFAULTS.beamWidth`). */
  beam?: number;
  /** Interface and front-end overrides for the model. */
  overrides?: ModelInfoOverrides;
  alphaRange?: readonly [number, number];
  betaRange?: readonly [number, number];
  steps?: number;
  refinements?: number;
  /** Decoding worker threads (default 1). */
  workers?: number;
  onProgress?: (event: TuneLmProgress) => void;
}

/** What {@link tuneLm} found, as `asrq lm tune` writes it (best.json, surface.json, surface.html). */
export interface TuneLmResult {
  best: SurfacePoint;
  /** Every evaluated point, in evaluation order. */
  surface: SurfacePoint[];
  /** WER (percent) at the decoder's default weights. */
  defaultWer: number;
  utterances: number;
  model: string;
  data: string;
  lm: string;
  beam: number;
  /** Threads that decoded. */
  threads: number;
  seconds: { logProbs: number; total: number };
}

/** The dev set's log-probs, computed once with the model's tokenizer, the model released after. */
async function prepare(
  options: TuneLmOptions,
  n: number,
): Promise<DevLogProbs & { tokenizer: Awaited<ReturnType<typeof loadModelTokenizer>> }> {
  const model = await CtcModel.load(options.model, options.overrides ? { overrides: options.overrides } : {});
  try {
    const tokenizer = await loadModelTokenizer(model, options.tokenizer ? { tokenizer: options.tokenizer } : {});
    const dev = await devLogProbs(model, options.data, n, (utterances) =>
      options.onProgress?.({ status: 'log-probs', utterances }),
    );
    return { ...dev, tokenizer };
  } finally {
    await model.release();
  }
}

/**
 * Tunes the LM weight (alpha) and word bonus (beta) for a model on a dev set, by WER: the model
 * runs over the dev set once, then a coarse grid and finer ones around the best point are decoded
 * in parallel worker threads (ctc's `tuneLmWeights`) and scored with the benchmark's WER
 * (`scoreCorpus`). What `asrq lm tune` runs.
 *
 * @param options - Model, dev corpus, LM, grid, workers, progress.
 * @returns The best weights, the WER surface and the WER at the default weights.
 * @throws The model, corpus, tokenizer and LM errors of `CtcModel.load`, `openCorpus`, `loadModelTokenizer` and `loadLm`.
 * @example
 * ```ts no-run
 * const result = await tuneLm({ model: 'model.onnx', data: 'LibriSpeech/dev-clean', lm: 'lm.arpa', workers: 2 });
 * await writeLmTuneReports('tune', result);
 * ```
 */
export async function tuneLm(options: TuneLmOptions): Promise<TuneLmResult> {
  const started = performance.now();
  const n = options.n ?? BENCH_DEFAULTS.n;
  const beam = options.beam ?? CTC_DEFAULTS.beamWidth;
  const { logProbs, refs, tokenizer } = await prepare(options, n);
  const job = createLmTuneJob(logProbs, tokenizer, await loadLm(options.lm), beam);
  const preparedAt = performance.now();
  const wer = (texts: string[]): number =>
    scoreCorpus(
      refs.map((r, i) => ({ id: r.id, ref: r.ref, hyp: texts[i]! })),
      { alignments: false },
    ).total.errorRate;
  const searched = await tuneLmWeights(job, {
    score: wer,
    ...(options.alphaRange ? { alphaRange: options.alphaRange } : {}),
    ...(options.betaRange ? { betaRange: options.betaRange } : {}),
    ...(options.steps === undefined ? {} : { steps: options.steps }),
    ...(options.refinements === undefined ? {} : { refinements: options.refinements }),
    ...(options.workers === undefined ? {} : { workers: options.workers }),
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
  });
  return {
    best: searched.best,
    surface: searched.surface,
    defaultWer: searched.defaultScore,
    utterances: refs.length,
    model: options.model,
    data: options.data,
    lm: options.lm,
    beam,
    threads: searched.threads,
    seconds: { logProbs: (preparedAt - started) / 1000, total: (performance.now() - started) / 1000 },
  };
}
