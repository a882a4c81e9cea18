import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import {
  BENCH_DEFAULTS,
  lmTuneBest,
  tuneLm,
  writeLmTuneReports,
  type TuneLmOptions,
  type TuneLmProgress,
} from '@asrq/bench';
import { CTC_DEFAULTS, LM_TUNE_DEFAULTS } from '@asrq/ctc';
import { defaultCorpusDir, defaultModelPath } from '@asrq/fixtures';
import { InvalidArgumentError, type Command } from 'commander';
import { addCommand, defineOptions, defineSettingsOptions, settingsOf, type FlagsOf } from '../options/spec.js';
import { assertWritableDir } from '../output-dirs.js';
import { modelOverrideOptions, modelOverrides } from '../options/model.js';
import { bounded, integer, LIMITS, path } from '../options/parsers.js';
import { note, print, type OutputMode } from '../output.js';

/** `--alpha-range` / `--beta-range`: FROM:TO, each a number within the LM weight limit, FROM <= TO. */
const range = bounded(
  (value: string): [number, number] => {
    const parts = value.split(':');
    const ends = parts.map((part) => (part.trim() === '' ? Number.NaN : Number(part)));
    if (ends.length !== 2 || ends.some((end) => !Number.isFinite(end)))
      throw new InvalidArgumentError(`expected FROM:TO, two numbers separated by a colon (e.g. 0:2), got "${value}".`);
    const [from, to] = ends as [number, number];
    const outside = ends.find((end) => Math.abs(end) > LIMITS.weight);
    if (outside !== undefined)
      throw new InvalidArgumentError(
        `${outside} in "${value}" is outside -${LIMITS.weight}..${LIMITS.weight}; LM weights and word bonuses that large drown the acoustic model.`,
      );
    if (from > to) throw new InvalidArgumentError(`FROM must not be above TO, got "${value}" (write ${to}:${from}).`);
    return [from, to];
  },
  { min: -LIMITS.weight, max: LIMITS.weight },
);

/** What the search runs on and how, named after and typed against bench's `TuneLmOptions`. */
const tuneSettings = defineSettingsOptions<TuneLmOptions>()({
  lm: { flags: '--lm <file>', description: 'ARPA (.arpa, .arpa.gz) or compiled LM', required: true, parse: path },
  model: { flags: '--model <path>', description: 'ONNX CTC model (default: the bundled model)', parse: path },
  tokenizer: { flags: '--tokenizer <path>', description: 'tokenizer (default: found beside the model)', parse: path },
  data: {
    flags: '--data <path>',
    description: 'dev corpus: LibriSpeech-layout directory or JSONL manifest (default: the bundled corpus)',
    parse: path,
  },
  n: {
    flags: '--n <count>',
    description: 'utterances (the first ones in id order)',
    parse: integer(1, LIMITS.utterances),
    default: BENCH_DEFAULTS.n,
  },
  beam: {
    flags: '--beam <width>',
    description: 'beam width',
    parse: integer(1, LIMITS.beam),
    default: CTC_DEFAULTS.beamWidth,
  },
  alphaRange: {
    flags: '--alpha-range <from:to>',
    description: 'alpha range of the coarse grid',
    parse: range,
    default: [...LM_TUNE_DEFAULTS.alphaRange],
    defaultDescription: LM_TUNE_DEFAULTS.alphaRange.join(':'),
  },
  betaRange: {
    flags: '--beta-range <from:to>',
    description: 'beta range of the coarse grid',
    parse: range,
    default: [...LM_TUNE_DEFAULTS.betaRange],
    defaultDescription: LM_TUNE_DEFAULTS.betaRange.join(':'),
  },
  steps: {
    flags: '--steps <n>',
    description: 'points per axis of each grid',
    parse: integer(1, 100),
    default: LM_TUNE_DEFAULTS.steps,
  },
  refinements: {
    flags: '--refinements <n>',
    description: 'finer grids around the best point',
    parse: integer(0, 20),
    default: LM_TUNE_DEFAULTS.refinements,
  },
  workers: {
    flags: '--workers <n>',
    description: 'decoding worker threads',
    parse: integer(1, LIMITS.threads),
    default: availableParallelism(),
    defaultDescription: 'the number of cores',
  },
});

const lmTuneOptions = defineOptions({
  ...tuneSettings,
  out: { flags: '--out <dir>', description: 'output directory', default: 'asrq-lm-tune' },
  json: { flags: '--json', description: 'print best.json on stdout' },
  quiet: { flags: '--quiet', description: 'no progress output' },
  ...modelOverrideOptions,
});

type TuneFlags = FlagsOf<typeof lmTuneOptions>;

/**
 * Registers `asrq lm tune` under the `lm` command.
 * @param lm - The `asrq lm` command.
 */
export function registerLmTune(lm: Command): void {
  addCommand(
    lm,
    {
      name: 'tune',
      description:
        'Tune the LM weight (alpha) and word bonus (beta) on a dev set: log-probs computed once, a coarse grid then finer ones around the best, decoded in parallel worker threads; writes best.json (for --lm-params), surface.json and surface.html',
      options: lmTuneOptions,
    },
    runLmTune,
  );
}

async function runLmTune(flags: TuneFlags): Promise<void> {
  const mode: OutputMode = { json: Boolean(flags.json), quiet: Boolean(flags.quiet || flags.json) };
  const outDir = resolve(flags.out);
  // Before the log-probs and the grid: an unwritable --out used to fail only after the whole search.
  await assertWritableDir(outDir, '--out');
  const overrides = modelOverrides(flags);
  const result = await tuneLm({
    model: defaultModelPath,
    data: defaultCorpusDir,
    ...settingsOf(tuneSettings, flags),
    lm: flags.lm,
    ...(overrides ? { overrides } : {}),
    onProgress: tuneProgress(mode),
  });
  const written = await writeLmTuneReports(outDir, result);
  const best = lmTuneBest(result);
  if (flags.json) print(JSON.stringify(best));
  else {
    print(
      `best alpha ${best.alpha}, beta ${best.beta}: WER ${best.wer.toFixed(2)} % (default ${CTC_DEFAULTS.alpha} / ${CTC_DEFAULTS.beta}: ${best.defaultWer.toFixed(2)} %), ${best.points} points in ${best.seconds.total.toFixed(1)} s`,
    );
    note(mode, `wrote ${written[0]} (use it with --lm-params), surface.json, surface.html`);
  }
}

/** Renders the tuning's progress: one line per stage and per grid. */
function tuneProgress(mode: OutputMode): (event: TuneLmProgress) => void {
  return (event) => {
    if (event.status === 'log-probs') note(mode, `computing log-probs of ${event.utterances} utterances once`);
    // Said also with --quiet: the search runs on fewer threads than asked for.
    else if (event.status === 'in-process') note({ json: false, quiet: false }, `warning: ${event.reason}`);
    else if (event.status === 'searching')
      note(
        mode,
        `searching alpha ${event.alphaRange.join('..')} x beta ${event.betaRange.join('..')} (${event.steps}x${event.steps}, ${event.refinements} finer grid(s)) with ${event.threads} ${event.threads > 1 ? 'worker threads' : 'thread'}`,
      );
    else note(mode, `  grid ${event.index}: ${event.points} points, best so far ${event.best.toFixed(2)} % WER`);
  };
}
