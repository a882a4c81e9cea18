import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { writeFileAtomic } from '@asrq/core/node';
import { defaultCorpusDir, defaultModelPath } from '@asrq/fixtures';
import { scoreCorpus } from '@asrq/metrics';
import { CtcModel } from '@asrq/runtime';
import { InvalidArgumentError, type Command } from 'commander';
import { addCommand, defineOptions, type FlagsOf } from '../cli-options.js';
import { assertWritableDir } from '../output-dirs.js';
import { modelOverrideOptions, modelOverrides } from '../model-options.js';
import { bounded, integer, LIMITS } from '../options.js';
import { note, print, type OutputMode } from '../output.js';
import { decodePoints, type TuneJob } from '../tune/decode-points.js';
import { gridSearch, type GridResult } from '../tune/grid-search.js';
import { heatmapHtml } from '../tune/heatmap.js';
import { prepareTuneJob, type PreparedTune } from '../tune/prepare-job.js';

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

/** Spreads grid points over worker threads (decoding is pure JS); in-process when the worker script is not built. */
function createEvaluator(job: TuneJob, workers: number, refs: { id: string; ref: string }[]) {
  const workerUrl = new URL('./tune/tune-worker.js', import.meta.url);
  const pool =
    workers > 1 && existsSync(fileURLToPath(workerUrl))
      ? Array.from({ length: workers }, () => new Worker(workerUrl, { workerData: job }))
      : [];
  const wer = (texts: string[]): number =>
    scoreCorpus(
      refs.map((r, i) => ({ id: r.id, ref: r.ref, hyp: texts[i]! })),
      { alignments: false },
    ).total.errorRate;
  let nextId = 0;
  const run = (worker: Worker, points: { alpha: number; beta: number }[]): Promise<string[][]> =>
    new Promise((resolvePromise, reject) => {
      const id = nextId++;
      const onMessage = (message: { id: number; texts: string[][] }): void => {
        if (message.id !== id) return;
        worker.off('message', onMessage);
        worker.off('error', reject);
        resolvePromise(message.texts);
      };
      worker.on('message', onMessage);
      worker.once('error', reject);
      worker.postMessage({ id, points });
    });
  return {
    parallel: pool.length,
    evaluate: async (points: readonly { alpha: number; beta: number }[]): Promise<number[]> => {
      if (pool.length === 0) return decodePoints(job, points).map(wer);
      // One point at a time per worker, so a slow corner of the grid does not hold a whole share.
      const results: number[] = new Array(points.length);
      let next = 0;
      await Promise.all(
        pool.map(async (worker) => {
          while (next < points.length) {
            const index = next++;
            const [texts] = await run(worker, [points[index]!]);
            results[index] = wer(texts!);
          }
        }),
      );
      return results;
    },
    close: async (): Promise<void> => {
      await Promise.all(pool.map((w) => w.terminate()));
    },
  };
}

const lmTuneOptions = defineOptions({
  lm: { flags: '--lm <file>', description: 'ARPA (.arpa, .arpa.gz) or compiled LM', required: true },
  model: { flags: '--model <path>', description: 'ONNX CTC model (default: the bundled model)' },
  tokenizer: { flags: '--tokenizer <path>', description: 'tokenizer (default: found beside the model)' },
  data: {
    flags: '--data <path>',
    description: 'dev corpus: LibriSpeech-layout directory or JSONL manifest (default: the bundled corpus)',
  },
  n: {
    flags: '--n <count>',
    description: 'utterances (the first ones in id order)',
    parse: integer(1, LIMITS.utterances),
    default: 100,
  },
  beam: { flags: '--beam <width>', description: 'beam width', parse: integer(1, LIMITS.beam), default: 32 },
  alphaRange: {
    flags: '--alpha-range <from:to>',
    description: 'alpha range of the coarse grid',
    parse: range,
    default: [0, 2],
    defaultDescription: '0:2',
  },
  betaRange: {
    flags: '--beta-range <from:to>',
    description: 'beta range of the coarse grid',
    parse: range,
    default: [-1, 4],
    defaultDescription: '-1:4',
  },
  steps: { flags: '--steps <n>', description: 'points per axis of each grid', parse: integer(1, 100), default: 5 },
  refinements: {
    flags: '--refinements <n>',
    description: 'finer grids around the best point',
    parse: integer(0, 20),
    default: 1,
  },
  workers: {
    flags: '--workers <n>',
    description: 'decoding worker threads',
    parse: integer(1, LIMITS.threads),
    default: availableParallelism(),
    defaultDescription: 'the number of cores',
  },
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
  const started = performance.now();
  const outDir = resolve(flags.out);
  // Before the log-probs and the grid: an unwritable --out used to fail only after the whole search.
  await assertWritableDir(outDir, '--out');
  const modelPath = resolve(flags.model ?? defaultModelPath);
  const dataPath = resolve(flags.data ?? defaultCorpusDir);
  const overrides = modelOverrides(flags);
  const model = await CtcModel.load(modelPath, overrides ? { overrides } : {});
  let prepared: PreparedTune;
  try {
    prepared = await prepareTuneJob(model, {
      dataPath,
      n: flags.n,
      lmPath: resolve(flags.lm),
      ...(flags.tokenizer ? { tokenizerPath: resolve(flags.tokenizer) } : {}),
      beamWidth: flags.beam,
      onStart: (utterances) => note(mode, `computing log-probs of ${utterances} utterances once`),
    });
  } finally {
    await model.release();
  }
  const preparedAt = performance.now();
  const { searched, defaultWer } = await searchWeights(prepared, flags, mode);
  const seconds = (performance.now() - started) / 1000;
  await mkdir(outDir, { recursive: true });
  const best = {
    alpha: searched.best.alpha,
    beta: searched.best.beta,
    wer: searched.best.wer,
    defaultWer,
    utterances: prepared.refs.length,
    lm: resolve(flags.lm),
    model: modelPath,
    data: dataPath,
    beam: flags.beam,
    points: searched.surface.length,
    seconds: { logProbs: (preparedAt - started) / 1000, total: seconds },
  };
  await writeFileAtomic(join(outDir, 'best.json'), `${JSON.stringify(best, null, 2)}\n`);
  await writeFileAtomic(
    join(outDir, 'surface.json'),
    `${JSON.stringify({ best: searched.best, defaultWer, points: searched.surface }, null, 2)}\n`,
  );
  await writeFileAtomic(
    join(outDir, 'surface.html'),
    heatmapHtml(searched.surface, searched.best, `LM weights on ${prepared.refs.length} utterances of ${dataPath}`),
  );
  if (flags.json) print(JSON.stringify(best));
  else {
    print(
      `best alpha ${best.alpha}, beta ${best.beta}: WER ${best.wer.toFixed(2)} % (default 0.5 / 1.5: ${defaultWer.toFixed(2)} %), ${best.points} points in ${seconds.toFixed(1)} s`,
    );
    note(mode, `wrote ${join(outDir, 'best.json')} (use it with --lm-params), surface.json, surface.html`);
  }
}

/** The coarse-to-fine grid search over worker threads, with the WER at the default weights (0.5, 1.5) for comparison. */
async function searchWeights(
  { job, refs }: PreparedTune,
  flags: TuneFlags,
  mode: OutputMode,
): Promise<{ searched: GridResult; defaultWer: number }> {
  const evaluator = createEvaluator(job, flags.workers, refs);
  try {
    note(
      mode,
      `searching alpha ${flags.alphaRange.join('..')} x beta ${flags.betaRange.join('..')} (${flags.steps}x${flags.steps}, ${flags.refinements} finer grid(s)) with ${evaluator.parallel || 1} ${evaluator.parallel > 1 ? 'worker threads' : 'thread'}`,
    );
    let grids = 0;
    const searched = await gridSearch(
      async (points) => {
        const wers = await evaluator.evaluate(points);
        grids++;
        note(mode, `  grid ${grids}: ${points.length} points, best so far ${Math.min(...wers).toFixed(2)} % WER`);
        return wers;
      },
      {
        alphaRange: flags.alphaRange,
        betaRange: flags.betaRange,
        steps: flags.steps,
        refinements: flags.refinements,
        include: [{ alpha: 0.5, beta: 1.5 }],
      },
    );
    return { searched, defaultWer: searched.surface.find((p) => p.alpha === 0.5 && p.beta === 1.5)!.wer };
  } finally {
    await evaluator.close();
  }
}
