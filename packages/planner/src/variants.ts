import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { throwIfAborted } from '@asrq/core';
import { decodeModel, encodeModel, type OnnxModel } from '@asrq/onnx';
import {
  calibrate,
  calibrationTargets,
  floatValues,
  hasFloat16,
  quantizeModel,
  sqnr,
  type CalibrationData,
  type CalibratorKind,
  type Feeds,
  type QuantPlan,
  type Range,
  upcastFloat16,
} from '@asrq/quantize';
import { interleavedOrder } from '@asrq/bench';
import { openSession, type SessionSettings } from '@asrq/runtime';
import type { NodeGroup } from './groups.js';

/** Activation ranges per calibrator, computed once and shared by every variant. */
export type RangeBank = Map<CalibratorKind, Map<string, Range>>;

/**
 * Calibrates every tensor any static candidate could need, once per calibrator.
 * @param model - Float model.
 * @param allStatic - Plan with every group static (to list the tensors).
 * @param data - Fresh iterable per pass.
 * @param kinds - Calibrators.
 * @param n - Samples per pass.
 * @param signal - Cancellation.
 * @returns Ranges per calibrator.
 */
export async function calibrateBank(
  model: OnnxModel,
  allStatic: QuantPlan,
  data: () => CalibrationData,
  kinds: readonly CalibratorKind[],
  n: number,
  signal?: AbortSignal,
): Promise<RangeBank> {
  const tensors = [...calibrationTargets(model, allStatic).keys()];
  const bank: RangeBank = new Map();
  for (const kind of kinds) {
    throwIfAborted(signal);
    const calibrators = new Map(tensors.map((t) => [t, kind]));
    bank.set(
      kind,
      await calibrate(model, tensors, data(), { calibrators, maxSamples: n, ...(signal ? { signal } : {}) }),
    );
  }
  return bank;
}

/**
 * Quantizes a copy of the float model by a plan with ranges taken from the bank (the same ranges
 * `quantizeModelFile` computes from the same calibration samples, so the plan file reproduces it).
 * @param floatBytes - Float model bytes.
 * @param name - Model name for messages.
 * @param plan - Plan.
 * @param bank - Calibrated ranges.
 * @param onlyNodes - Quantize only these nodes.
 * @returns The quantized model.
 */
export async function quantizeVariant(
  floatBytes: Uint8Array,
  name: string,
  plan: QuantPlan,
  bank: RangeBank,
  onlyNodes?: Set<string>,
): Promise<OnnxModel> {
  return (await quantizeCounted(floatBytes, name, plan, bank, onlyNodes)).model;
}

/**
 * {@link quantizeVariant}, also saying how many nodes the plan quantized (0: the model is float).
 * @param floatBytes - Float model bytes.
 * @param name - Model name for messages.
 * @param plan - Plan.
 * @param bank - Calibrated ranges.
 * @param onlyNodes - Quantize only these nodes.
 * @returns The model and the count.
 */
export async function quantizeCounted(
  floatBytes: Uint8Array,
  name: string,
  plan: QuantPlan,
  bank: RangeBank,
  onlyNodes?: Set<string>,
): Promise<{ model: OnnxModel; quantized: number }> {
  const model = decodeModel(floatBytes, { name });
  // A float16 model's ranges were calibrated on its float32 form (the form quantizeModel rewrites),
  // so its calibration targets are named as they are there.
  const targetsIn = hasFloat16(model) ? float32Form(decodeModel(floatBytes, { name })) : model;
  const ranges = new Map<string, Range>();
  for (const [tensor, kind] of calibrationTargets(targetsIn, plan, onlyNodes)) {
    const r = bank.get(kind)?.get(tensor);
    if (r) ranges.set(tensor, r);
  }
  const { outcomes } = await quantizeModel(model, plan, { ranges, ...(onlyNodes ? { onlyNodes } : {}) });
  return { model, quantized: outcomes.filter((o) => o.status === 'quantized').length };
}

/** The model turned into its float32 form in place (a float16 model's, as quantizeModel makes it). */
function float32Form(model: OnnxModel): OnnxModel {
  upcastFloat16(model);
  return model;
}

// Every planner measurement: `threads` intra-op threads, one inter-op thread, full graph optimisation.
const sessionSettings = (threads: number): SessionSettings => ({
  threads,
  interOpThreads: 1,
  graphOptimizationLevel: 'all',
});

/**
 * Runs a model on one sample and returns its float outputs.
 * @param bytes - Model bytes.
 * @param sample - Feeds.
 * @param threads - Intra-op threads.
 * @param only - Keep only this output (the model's CTC scores); all float outputs when absent.
 * @returns Float outputs by name.
 */
export async function runOnce(
  bytes: Uint8Array,
  sample: Feeds,
  threads: number,
  only?: string,
): Promise<Record<string, Float32Array>> {
  const { session } = await openSession(bytes, sessionSettings(threads));
  try {
    const out = await session.run(sample);
    const result: Record<string, Float32Array> = {};
    // With `only` (the model's CTC scores output), other float outputs do not count toward SQNR.
    for (const [k, t] of Object.entries(out)) {
      const values = floatValues(t);
      if (values && (only === undefined || k === only)) result[k] = values;
    }
    return result;
  } finally {
    await session.release();
  }
}

/**
 * Lowest SQNR (dB) over the float outputs of a model against reference outputs.
 * @param reference - Float model outputs.
 * @param got - Candidate outputs.
 * @returns dB; Infinity when identical.
 */
export function outputSqnr(reference: Record<string, Float32Array>, got: Record<string, Float32Array>): number {
  let worst = Number.POSITIVE_INFINITY;
  for (const [k, want] of Object.entries(reference)) {
    const g = got[k];
    if (!g) continue;
    const db = sqnr(want, g);
    worst = Math.min(worst, Number.isNaN(db) ? Number.NEGATIVE_INFINITY : db);
  }
  return worst;
}

/**
 * Per-group share of the float model's kernel time, from onnxruntime's profiler (JSON trace,
 * `<node>_kernel_time` events), over `runs` runs after one warm-up.
 * @param floatBytes - Float model.
 * @param sample - Feeds.
 * @param groups - Groups.
 * @param options - Runs, threads, a scratch directory.
 * @returns Share per group id (0..1), and the total kernel milliseconds per run.
 */
export async function profileShares(
  floatBytes: Uint8Array,
  sample: Feeds,
  groups: readonly NodeGroup[],
  options: { runs: number; threads: number; dir: string },
): Promise<{ shares: Record<string, number>; kernelMs: number }> {
  const dir = await mkdtemp(join(options.dir, 'profile-'));
  try {
    const { session } = await openSession(floatBytes, {
      ...sessionSettings(options.threads),
      profileFilePrefix: join(dir, 'float'),
    });
    await session.run(sample);
    for (let i = 0; i < options.runs; i++) await session.run(sample);
    session.endProfiling();
    await session.release();
    const file = (await readdir(dir))
      .filter((f) => f.endsWith('.json'))
      .sort()
      .pop()!;
    const events = JSON.parse(await readFile(join(dir, file), 'utf8')) as Array<{
      cat?: string;
      name: string;
      dur: number;
    }>;
    const perNode = new Map<string, number>();
    let total = 0;
    for (const e of events) {
      if (e.cat !== 'Node' || !e.name.endsWith('_kernel_time')) continue;
      const node = e.name.slice(0, -'_kernel_time'.length);
      perNode.set(node, (perNode.get(node) ?? 0) + e.dur);
      total += e.dur;
    }
    // The first run (warm-up) is in the trace too; shares are ratios so it only adds weight evenly.
    const shares: Record<string, number> = {};
    for (const g of groups)
      shares[g.id] = total > 0 ? g.nodes.reduce((s, n) => s + (perNode.get(n) ?? 0), 0) / total : 0;
    return { shares, kernelMs: total / 1000 / (options.runs + 1) };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * Median-of-rounds session.run time of several models on one sample, interleaved (A, B, C, then
 * C, B, A, ...) so machine noise falls on all alike.
 * @param models - Model bytes.
 * @param sample - Feeds.
 * @param options - Rounds and threads.
 * @returns Minimum seconds per model over the rounds.
 */
export async function timeInterleaved(
  models: readonly Uint8Array[],
  sample: Feeds,
  options: { rounds: number; threads: number; signal?: AbortSignal },
): Promise<number[]> {
  const sessions = await Promise.all(
    models.map(async (m) => (await openSession(m, sessionSettings(options.threads))).session),
  );
  try {
    for (const s of sessions) await s.run(sample);
    const best = models.map(() => Number.POSITIVE_INFINITY);
    for (let r = 0; r < options.rounds; r++) {
      throwIfAborted(options.signal);
      for (const i of interleavedOrder(
        sessions.map((_, i) => i),
        r,
      )) {
        const t = performance.now();
        await sessions[i]!.run(sample);
        best[i] = Math.min(best[i]!, (performance.now() - t) / 1000);
      }
    }
    return best;
  } finally {
    await Promise.all(sessions.map((s) => s.release()));
  }
}

/**
 * Encodes a model (helper so callers need not import @asrq/onnx).
 * @param model - The model.
 * @returns Its bytes.
 */
export function toBytes(model: OnnxModel): Uint8Array {
  return encodeModel(model);
}
