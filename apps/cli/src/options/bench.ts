import { scaleOptions } from './scale.js';
import { chunkOptionSpecs } from './chunk.js';
import { defineOptions, type FlagsOf } from './spec.js';
import { decodeOptions, lmOptions } from './decode.js';
import { modelOverrideOptions } from './model.js';
import { integer, LIMITS } from './parsers.js';
import { threadCounts } from './thread-counts.js';

/** What to measure and how: the options `bench` declares and `demo` reuses (with its own defaults). */
export const benchRunOptions = defineOptions({
  model: {
    flags: '--model <path>',
    description: 'ONNX model; repeat to compare several (the first is the baseline). Default: the bundled model',
    repeatable: true,
  },
  tokenizer: {
    flags: '--tokenizer <path>',
    description: 'tokenizer.model, tokens.txt or vocab.json (default: found beside the first model)',
  },
  data: {
    flags: '--data <path>',
    description: 'LibriSpeech-layout directory or JSONL manifest (default: the bundled 40-utterance corpus)',
  },
  n: { flags: '--n <count>', description: 'utterances to measure', parse: integer(1, LIMITS.utterances), default: 100 },
  warmup: {
    flags: '--warmup <count>',
    description: 'warm-up utterances run first and excluded',
    parse: integer(0, LIMITS.utterances),
    default: 10,
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
    default: 3,
  },
  threads: {
    flags: '--threads <list>',
    description:
      'onnxruntime intra-op threads; a list (1,2) measures every model at each count in the same run, speedups per count',
    parse: threadCounts,
    default: [1],
  },
  beam: {
    flags: '--beam <width>',
    description: 'CTC beam width (default: 1 = greedy, or 32 with --lm or --hotword)',
    parse: integer(1, LIMITS.beam),
  },
  ...lmOptions,
  lenient: {
    flags: '--lenient',
    description: 'skip unreadable utterances (counted in the report) instead of stopping',
  },
  normalize: {
    flags: '--normalize',
    description:
      'score after the LibriSpeech normaliser (upper case, punctuation out, as score --normalize) on references and hypotheses',
  },
  out: { flags: '--out <dir>', description: 'output directory for results.jsonl and reports', default: 'asrq-bench' },
  resume: { flags: '--resume', description: 'continue an interrupted run from <out>/results.jsonl' },
  force: { flags: '--force', description: 'start over even though <out> holds a previous run' },
  json: { flags: '--json', description: 'print one JSON object on stdout' },
  quiet: { flags: '--quiet', description: 'no progress output' },
});

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
