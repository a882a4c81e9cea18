import { resolvedBeamWidth } from '@asrq/ctc';
import type { BenchConfig, BenchSettings } from './types.js';

/**
 * Every default of a benchmark run, in one place: {@link resolveBenchConfig} applies them once,
 * the journal records the result, and the CLI's option defaults read them from here.
 */
export const BENCH_DEFAULTS = {
  /** Utterances measured (after the warm-up ones). */
  n: 100,
  /** Warm-up utterances run through every model first and excluded. */
  warmup: 10,
  /** Encoder runs per utterance and model. */
  repeats: 3,
  /** Intra-op threads of every session. */
  threads: 1,
  /** Worker processes (`runBenchJobs`); one for speedup claims. */
  jobs: 1,
} as const;

/**
 * A run's settings with every default applied: {@link BENCH_DEFAULTS}, not lenient, and the beam
 * width ctc's `resolvedBeamWidth` gives (greedy, or a beam with an LM or hotwords).
 * @param settings - What the caller set.
 * @returns The config the run uses and its journal records.
 * @example
 * ```ts
 * resolveBenchConfig({ models: ['model.onnx'], data: 'LibriSpeech/dev-clean', lm: 'lm.arpa' }).beam; // 32
 * ```
 */
export function resolveBenchConfig(settings: BenchSettings): BenchConfig {
  return {
    ...settings,
    n: settings.n ?? BENCH_DEFAULTS.n,
    warmup: settings.warmup ?? BENCH_DEFAULTS.warmup,
    repeats: settings.repeats ?? BENCH_DEFAULTS.repeats,
    threads: settings.threads ?? BENCH_DEFAULTS.threads,
    beam: resolvedBeamWidth({
      ...(settings.beam === undefined ? {} : { beamWidth: settings.beam }),
      ...(settings.lm === undefined ? {} : { lm: settings.lm }),
      ...(settings.hotwords ? { hotwords: settings.hotwords } : {}),
    }),
    lenient: settings.lenient ?? false,
  };
}
