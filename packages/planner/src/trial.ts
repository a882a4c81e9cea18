import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { buildReport, environmentFacts, runBenchmark } from '@asrq/bench';
import { modelDiskSize, writeModel } from '@asrq/onnx';
import type { Feeds, QuantPlan } from '@asrq/quantize';
import type { ModelInfoOverrides } from '@asrq/runtime';
import type { FinalistSpeed, SearchProgress } from './search-types.js';
import type { PlannerTiming } from './timing.js';
import type { Trial } from './types.js';
import { outputSqnr, quantizeCounted, runOnce, toBytes, type RangeBank } from './variants.js';

/**
 * Stable key of a plan: the hash of its JSON.
 * @param plan - A plan.
 * @returns 16 hex digits.
 */
export function planKey(plan: QuantPlan): string {
  return createHash('sha256').update(JSON.stringify(plan)).digest('hex').slice(0, 16);
}

/** What measuring a plan needs. */
export interface TrialContext {
  floatPath: string;
  floatBytes: Uint8Array;
  bank: RangeBank;
  sample: Feeds;
  reference: Record<string, Float32Array>;
  /** The CTC scores output SQNR is measured on. */
  scoresOutput?: string;
  eval: { data: string; n: number; seed?: number; warmup: number };
  tokenizer?: string;
  overrides?: ModelInfoOverrides;
  threads: number;
  workDir: string;
  /** Clock and benchmark timings the verdicts are based on. */
  timing: PlannerTiming;
  onProgress?: (e: SearchProgress) => void;
  signal?: AbortSignal;
}

/**
 * Builds a plan's model, measures its output SQNR on the sample and, unless `sqnrOnly`, its WER
 * and encoder RTF in one interleaved benchmark run together with the float model (1 thread by
 * default, the `asrq bench` protocol), so the speedup is a same-run ratio. The benchmark journal
 * lives in the work directory, so an interrupted trial resumes utterance by utterance.
 * @param plan - Plan to measure.
 * @param k - Back-off moves it applies.
 * @param summary - Description.
 * @param ctx - Float model, ranges, eval settings.
 * @param options - `sqnrOnly` skips the benchmark; `accept` decides acceptance.
 * @returns The trial.
 */
export async function measureTrial(
  plan: QuantPlan,
  k: number,
  summary: string,
  ctx: TrialContext,
  options: { sqnrOnly: boolean; accept: (t: Omit<Trial, 'accepted'>) => boolean },
): Promise<Trial> {
  const started = ctx.timing.now();
  const key = planKey(plan);
  const modelPath = join(ctx.workDir, 'models', `${key}.onnx`);
  const { model, quantized } = await quantizeCounted(ctx.floatBytes, ctx.floatPath, plan, ctx.bank);
  const sqnrDb = outputSqnr(ctx.reference, await runOnce(toBytes(model), ctx.sample, ctx.threads, ctx.scoresOutput));
  await writeModel(model, modelPath);
  const sizeBytes = (await modelDiskSize(modelPath)).bytes;
  const measured: Partial<Trial> = options.sqnrOnly ? {} : await benchmarkAgainstFloat(modelPath, key, ctx);
  const trial: Omit<Trial, 'accepted'> = {
    key,
    k,
    plan,
    summary,
    modelPath,
    sizeBytes,
    sqnrDb,
    quantizedNodes: quantized,
    ...measured,
    seconds: (ctx.timing.now() - started) / 1000,
  };
  // A plan that quantizes nothing is the float model under another name: never an answer.
  return { ...trial, accepted: quantized > 0 && options.accept(trial) };
}

/** WER and encoder RTF of the plan's model and the float model, from one interleaved benchmark run. */
async function benchmarkAgainstFloat(modelPath: string, key: string, ctx: TrialContext): Promise<Partial<Trial>> {
  const run = await benchAgainstFloat(ctx, [modelPath], 1, join(ctx.workDir, 'trials', key));
  const [f, q] = buildReport(ctx.timing.benchmarkTimings(run), environmentFacts()).models;
  return {
    wer: q!.wer,
    floatWer: f!.wer,
    werDelta: q!.wer - f!.wer,
    rtfEncoder: q!.rtfEncoder,
    floatRtfEncoder: f!.rtfEncoder,
    speedup: q!.speedup,
  };
}

/**
 * Measures the speed-tied accepted plans against each other: one benchmark run with the float
 * model and every finalist interleaved per utterance and `repeats` times, so the differences
 * between them are same-run ratios rather than ratios from separate runs. WER is not
 * re-measured (greedy decoding is deterministic, so each trial's WER stands).
 * @param finalists - Accepted trials to compare (at least two).
 * @param ctx - Float model and eval settings.
 * @param repeats - Encoder runs per utterance and model.
 * @returns Each finalist's joint-run speedup.
 */
export async function compareFinalists(
  finalists: readonly Trial[],
  ctx: TrialContext,
  repeats = 3,
): Promise<FinalistSpeed[]> {
  const id = createHash('sha256')
    .update(finalists.map((t) => t.key).join(','))
    .digest('hex')
    .slice(0, 16);
  const run = await benchAgainstFloat(
    ctx,
    finalists.map((t) => t.modelPath),
    repeats,
    join(ctx.workDir, 'finalists', id),
  );
  const models = buildReport(ctx.timing.benchmarkTimings(run), environmentFacts()).models.slice(1);
  return finalists.map((t, i) => ({ key: t.key, speedup: models[i]!.speedup }));
}

/**
 * One interleaved `asrq bench` run of the float model and `models` on the eval set (greedy, the
 * context's threads), journaled in `outDir` so an interrupted run resumes.
 */
function benchAgainstFloat(ctx: TrialContext, models: readonly string[], repeats: number, outDir: string) {
  return runBenchmark(
    {
      models: [ctx.floatPath, ...models],
      data: ctx.eval.data,
      n: ctx.eval.n,
      warmup: ctx.eval.warmup,
      repeats,
      threads: ctx.threads,
      beam: 1,
      lenient: false,
      ...(ctx.eval.seed === undefined ? {} : { seed: ctx.eval.seed }),
      ...(ctx.tokenizer ? { tokenizer: ctx.tokenizer } : {}),
      ...(ctx.overrides ? { overrides: ctx.overrides } : {}),
    },
    {
      outDir,
      resume: true,
      onProgress: (e) =>
        e.status === 'measuring' && ctx.onProgress?.({ status: 'measuring', done: e.done, total: e.total }),
      ...(ctx.signal ? { signal: ctx.signal } : {}),
    },
  );
}
