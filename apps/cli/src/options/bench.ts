import { BENCH_DEFAULTS, type BenchSettings } from '@asrq/bench';
import { CTC_DEFAULTS } from '@asrq/ctc';
import { scaleOptions } from './scale.js';
import { chunkOptionSpecs } from './chunk.js';
import { defineOptions, defineSettingsOptions, settingsOf, type FlagsOf } from './spec.js';
import { decodeOptions, lmOptions } from './decode.js';
import { modelOverrideOptions } from './model.js';
import { integer, LIMITS, path } from './parsers.js';
import { threadCounts } from './thread-counts.js';

/** What the run measures, named after and typed against `BenchSettings`. */
const measureSettings = defineSettingsOptions<BenchSettings>()({
  tokenizer: {
    flags: '--tokenizer <path>',
    description: 'tokenizer.model, tokens.txt or vocab.json (default: found beside the first model)',
    parse: path,
  },
  data: {
    flags: '--data <path>',
    description: 'LibriSpeech-layout directory or JSONL manifest (default: the bundled 40-utterance corpus)',
    parse: path,
  },
  n: {
    flags: '--n <count>',
    description: 'utterances to measure',
    parse: integer(1, LIMITS.utterances),
    default: BENCH_DEFAULTS.n,
  },
  warmup: {
    flags: '--warmup <count>',
    description: 'warm-up utterances run first and excluded',
    parse: integer(0, LIMITS.utterances),
    default: BENCH_DEFAULTS.warmup,
  },
  seed: {
    flags: '--seed <int>',
    description: 'pick utterances at random with this seed (default: the first ones in id order)',
    parse: integer(0, LIMITS.seed),
  },
  repeats: {
    flags: '--repeats <count>',
    description: 'encoder runs per utterance; RTF median and spread are over these',
    parse: integer(1, 10_000),
    default: BENCH_DEFAULTS.repeats,
  },
});

/** The beam, typed against `BenchSettings` (its default is ctc's, resolved by the benchmark). */
const beamSettings = defineSettingsOptions<BenchSettings>()({
  beam: {
    flags: '--beam <width>',
    description: `CTC beam width (default: ${CTC_DEFAULTS.greedyBeamWidth} = greedy, or ${CTC_DEFAULTS.beamWidth} with --lm or --hotword)`,
    parse: integer(1, LIMITS.beam),
  },
});

/** How utterances are scored and skipped, typed against `BenchSettings`. */
const scoringSettings = defineSettingsOptions<BenchSettings>()({
  lenient: {
    flags: '--lenient',
    description: 'skip unreadable utterances (counted in the report) instead of stopping',
  },
  normalize: {
    flags: '--normalize',
    description:
      'score after the LibriSpeech normaliser (upper case, punctuation out, as score --normalize) on references and hypotheses',
  },
});

/** What to measure and how: the options `bench` declares and `demo` reuses (with its own defaults). */
export const benchRunOptions = defineOptions({
  model: {
    flags: '--model <path>',
    description: 'ONNX model; repeat to compare several (the first is the baseline). Default: the bundled model',
    repeatable: true,
  },
  ...measureSettings,
  threads: {
    flags: '--threads <list>',
    description:
      'onnxruntime intra-op threads; a list (1,2) measures every model at each count in the same run, speedups per count',
    parse: threadCounts,
    default: [BENCH_DEFAULTS.threads],
  },
  ...beamSettings,
  ...lmOptions,
  ...scoringSettings,
  out: { flags: '--out <dir>', description: 'output directory for results.jsonl and reports', default: 'asrq-bench' },
  resume: { flags: '--resume', description: 'continue an interrupted run from <out>/results.jsonl' },
  force: { flags: '--force', description: 'start over even though <out> holds a previous run' },
  json: { flags: '--json', description: 'print one JSON object on stdout' },
  quiet: { flags: '--quiet', description: 'no progress output' },
});

/**
 * The benchmark settings the flags name directly (tokenizer, corpus, counts, beam, LM and its
 * weights, scoring): no field-by-field copying, the groups are typed against `BenchSettings`.
 * @param flags - Parsed options.
 * @returns Those settings, the unset ones left out (the benchmark's defaults apply).
 */
export function benchSettingsOf(flags: Omit<Partial<BenchFlags>, 'threads'>): Partial<BenchSettings> {
  return {
    ...settingsOf(measureSettings, flags),
    ...settingsOf(beamSettings, flags),
    ...settingsOf(lmOptions, flags),
    ...settingsOf(scoringSettings, flags),
  };
}

/** Every option of `asrq bench`, in help order. */
export const benchOptions = defineOptions({
  ...benchRunOptions,
  ...decodeOptions,
  ...chunkOptionSpecs,
  ...modelOverrideOptions,
  ...scaleOptions,
});

/** The parsed flags of `asrq bench`. */
export type BenchFlags = FlagsOf<typeof benchOptions>;

/** What `runBenchCommand` takes: bench's flags, with one thread count or several, and jobs optional (`asrq demo` passes its own). */
export type BenchCommandFlags = Omit<BenchFlags, 'threads' | 'jobs'> & {
  threads: number | readonly number[];
  jobs?: number;
};
