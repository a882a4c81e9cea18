import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { openCorpus, readAudio, selectItems } from '@asrq/audio';
import { writeFileAtomic } from '@asrq/core/node';
import { loadArpa } from '@asrq/ctc';
import { defaultCorpusDir, defaultModelPath } from '@asrq/fixtures';
import { scoreCorpus } from '@asrq/metrics';
import { CtcModel, loadModelTokenizer } from '@asrq/runtime';
import { InvalidArgumentError, Option, type Command } from 'commander';
import { addModelOverrideOptions, modelOverrides, type ModelOverrideFlags } from '../model-options.js';
import { integer } from '../options.js';
import { note, print, type OutputMode } from '../output.js';
import { decodePoints, type TuneJob } from '../tune/decode-points.js';
import { gridSearch } from '../tune/grid-search.js';
import { heatmapHtml } from '../tune/heatmap.js';

interface TuneFlags extends ModelOverrideFlags {
  model?: string;
  tokenizer?: string;
  lm: string;
  data?: string;
  n: number;
  beam: number;
  alphaRange: [number, number];
  betaRange: [number, number];
  steps: number;
  refinements: number;
  workers: number;
  out: string;
  json?: boolean;
  quiet?: boolean;
}

function range(value: string): [number, number] {
  const match = /^(-?\d+(?:\.\d+)?):(-?\d+(?:\.\d+)?)$/.exec(value.trim());
  if (!match || Number(match[1]) > Number(match[2])) throw new InvalidArgumentError(`expected FROM:TO with FROM <= TO, e.g. 0:2, got "${value}".`);
  return [Number(match[1]), Number(match[2])];
}

/** Spreads grid points over worker threads (decoding is pure JS); in-process when the worker script is not built. */
function createEvaluator(job: TuneJob, workers: number, refs: { id: string; ref: string }[]) {
  const workerUrl = new URL('./tune/tune-worker.js', import.meta.url);
  const pool = workers > 1 && existsSync(fileURLToPath(workerUrl)) ? Array.from({ length: workers }, () => new Worker(workerUrl, { workerData: job })) : [];
  const wer = (texts: string[]): number => scoreCorpus(refs.map((r, i) => ({ id: r.id, ref: r.ref, hyp: texts[i]! })), { alignments: false }).total.errorRate;
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

/**
 * Registers `asrq lm tune` under the `lm` command.
 * @param lm - The `asrq lm` command.
 */
export function registerLmTune(lm: Command): void {
  const command = lm
    .command('tune')
    .description('Tune the LM weight (alpha) and word bonus (beta) on a dev set: log-probs computed once, a coarse grid then finer ones around the best, decoded in parallel worker threads; writes best.json (for --lm-params), surface.json and surface.html')
    .requiredOption('--lm <file>', 'ARPA (.arpa, .arpa.gz) or compiled LM')
    .option('--model <path>', 'ONNX CTC model (default: the bundled model)')
    .option('--tokenizer <path>', 'tokenizer (default: found beside the model)')
    .option('--data <path>', 'dev corpus: LibriSpeech-layout directory or JSONL manifest (default: the bundled corpus)')
    .option('--n <count>', 'utterances (the first ones in id order)', integer(1), 100)
    .option('--beam <width>', 'beam width', integer(1), 32)
    .addOption(new Option('--alpha-range <from:to>', 'alpha range of the coarse grid').argParser(range).default([0, 2], '0:2'))
    .addOption(new Option('--beta-range <from:to>', 'beta range of the coarse grid').argParser(range).default([-1, 4], '-1:4'))
    .option('--steps <n>', 'points per axis of each grid', integer(1), 5)
    .option('--refinements <n>', 'finer grids around the best point', integer(0), 1)
    .addOption(new Option('--workers <n>', 'decoding worker threads').argParser(integer(1)).default(availableParallelism(), 'the number of cores'))
    .option('--out <dir>', 'output directory', 'asrq-lm-tune')
    .option('--json', 'print best.json on stdout')
    .option('--quiet', 'no progress output');
  addModelOverrideOptions(command).action(async (flags: TuneFlags) => {
    const mode: OutputMode = { json: Boolean(flags.json), quiet: Boolean(flags.quiet || flags.json) };
    const started = performance.now();
    const modelPath = resolve(flags.model ?? defaultModelPath);
    const dataPath = resolve(flags.data ?? defaultCorpusDir);
    const overrides = modelOverrides(flags);
    const model = await CtcModel.load(modelPath, overrides ? { overrides } : {});
    let job: TuneJob;
    let refs: { id: string; ref: string }[];
    try {
      const tokenizer = await loadModelTokenizer(model, flags.tokenizer ? { tokenizer: resolve(flags.tokenizer) } : {});
      const items = selectItems((await openCorpus(dataPath)).items, { n: flags.n });
      note(mode, `computing log-probs of ${items.length} utterances once`);
      const parts: { data: Float32Array; frames: number }[] = [];
      let vocab = 0;
      for (const item of items) {
        const { logProbs } = await model.forward([await readAudio(item.audioPath, { sampleRate: model.info.sampleRate })]);
        const lp = logProbs[0]!;
        vocab = lp.vocab;
        parts.push({ data: lp.data.slice(0, lp.frames * lp.vocab), frames: lp.frames });
      }
      // Shared memory: every worker reads the same log-probs and LM tables, nothing is copied.
      const total = parts.reduce((s, p) => s + p.data.length, 0);
      const logProbs = new Float32Array(new SharedArrayBuffer(total * 4));
      const spans = new Int32Array(parts.length * 2);
      let offset = 0;
      parts.forEach((p, i) => {
        logProbs.set(p.data, offset);
        spans[2 * i] = offset;
        spans[2 * i + 1] = p.frames;
        offset += p.data.length;
      });
      const compiled = (await loadArpa(resolve(flags.lm))).compile();
      const lmBytes = new Uint8Array(new SharedArrayBuffer(compiled.length));
      lmBytes.set(compiled);
      job = {
        logProbs,
        spans,
        vocab,
        tokenizer: { kind: tokenizer.kind, vocabSize: tokenizer.vocabSize, blankId: tokenizer.blankId, pieces: [...tokenizer.pieces], ...(tokenizer.wordDelimiter === undefined ? {} : { wordDelimiter: tokenizer.wordDelimiter }) },
        lmBytes,
        beamWidth: flags.beam,
      };
      refs = items.map((item) => ({ id: item.id, ref: item.transcript }));
    } finally {
      await model.release();
    }
    const prepared = performance.now();
    const evaluator = createEvaluator(job, flags.workers, refs);
    let searched: Awaited<ReturnType<typeof gridSearch>>;
    let defaultWer: number;
    try {
      note(mode, `searching alpha ${flags.alphaRange.join('..')} x beta ${flags.betaRange.join('..')} (${flags.steps}x${flags.steps}, ${flags.refinements} finer grid(s)) with ${evaluator.parallel || 1} ${evaluator.parallel > 1 ? 'worker threads' : 'thread'}`);
      let grids = 0;
      searched = await gridSearch(async (points) => {
        const wers = await evaluator.evaluate(points);
        grids++;
        note(mode, `  grid ${grids}: ${points.length} points, best so far ${Math.min(...wers).toFixed(2)} % WER`);
        return wers;
      }, { alphaRange: flags.alphaRange, betaRange: flags.betaRange, steps: flags.steps, refinements: flags.refinements, include: [{ alpha: 0.5, beta: 1.5 }] });
      defaultWer = searched.surface.find((p) => p.alpha === 0.5 && p.beta === 1.5)!.wer;
    } finally {
      await evaluator.close();
    }
    const seconds = (performance.now() - started) / 1000;
    const outDir = resolve(flags.out);
    await mkdir(outDir, { recursive: true });
    const best = {
      alpha: searched.best.alpha,
      beta: searched.best.beta,
      wer: searched.best.wer,
      defaultWer,
      utterances: refs.length,
      lm: resolve(flags.lm),
      model: modelPath,
      data: dataPath,
      beam: flags.beam,
      points: searched.surface.length,
      seconds: { logProbs: (prepared - started) / 1000, total: seconds },
    };
    await writeFileAtomic(join(outDir, 'best.json'), `${JSON.stringify(best, null, 2)}\n`);
    await writeFileAtomic(join(outDir, 'surface.json'), `${JSON.stringify({ best: searched.best, defaultWer, points: searched.surface }, null, 2)}\n`);
    await writeFileAtomic(join(outDir, 'surface.html'), heatmapHtml(searched.surface, searched.best, `LM weights on ${refs.length} utterances of ${dataPath}`));
    if (flags.json) print(JSON.stringify(best));
    else {
      print(`best alpha ${best.alpha}, beta ${best.beta}: WER ${best.wer.toFixed(2)} % (default 0.5 / 1.5: ${defaultWer.toFixed(2)} %), ${best.points} points in ${seconds.toFixed(1)} s`);
      note(mode, `wrote ${join(outDir, 'best.json')} (use it with --lm-params), surface.json, surface.html`);
    }
  });
}
