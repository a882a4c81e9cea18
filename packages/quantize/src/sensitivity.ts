import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { throwIfAborted } from '@asrq/core';
import { decodeModel, encodeModel, writeModel } from '@asrq/onnx';
import { InferenceSession } from 'onnxruntime-node';
import { assignNodes } from './assign.js';
import { calibrate, type CalibrationData, type Feeds } from './calibrate.js';
import type { QuantPlan } from './plan.js';
import { sqnr } from './quant-math.js';
import { calibrationTargets, quantizeModel } from './quantize-model.js';

/** Progress of a sensitivity analysis. */
export type SensitivityProgress =
  | { status: 'calibrating'; done: number }
  | { status: 'module'; done: number; total: number; module: string }
  | { status: 'done' };

/** Options of {@link sensitivityReport}. */
export interface SensitivityOptions {
  /** Calibration samples, needed when the plan has static rules. */
  calibration?: CalibrationData;
  /** The sample both models run on for SQNR. */
  sample: Feeds;
  /**
   * Optional accuracy hook: called with the path of the float model and of each one-module
   * quantized model; return e.g. WER on a corpus. Its differences to the float value are reported.
   */
  evaluate?: (modelPath: string) => Promise<number>;
  /** Group nodes by the first `depth` segments of their module path (default: each node's own module). */
  depth?: number;
  onProgress?: (e: SensitivityProgress) => void;
  signal?: AbortSignal;
}

/** One module quantized alone. */
export interface SensitivityEntry {
  module: string;
  mode: 'dynamic' | 'static';
  /** Nodes of the module the plan quantizes (modules where it quantizes none are not listed). */
  nodes: number;
  /** SQNR (dB) per float output vs the float model. */
  sqnr: Record<string, number>;
  /** `evaluate` of this model, when given. */
  metric?: number;
  /** metric - float metric. */
  metricDelta?: number;
}

/** Result of {@link sensitivityReport}. */
export interface SensitivityReport {
  input: string;
  floatMetric?: number;
  /** The whole plan applied at once. */
  full: { sqnr: Record<string, number>; metric?: number; metricDelta?: number };
  /** One entry per module, in graph order. */
  entries: SensitivityEntry[];
}

/**
 * Quantizes one module at a time (as the plan would quantize it, everything else float) and
 * measures how far each model's outputs move from the float model: the modules with the lowest
 * SQNR (or the largest metric increase) are the ones to leave in float, like the seed's ctc_lin.
 *
 * @param input - Float model path.
 * @param plan - The plan whose modules to test.
 * @param options - Sample, calibration data, optional evaluate hook, grouping depth.
 * @returns Per-module SQNR (and metric deltas), plus the full plan's.
 * @throws QuantizeError as {@link quantizeModel}.
 * @example
 * ```ts
 * const report = await sensitivityReport('model.onnx', plan, { sample, calibration });
 * console.log(formatSensitivityReport(report));
 * ```
 */
export async function sensitivityReport(input: string, plan: QuantPlan, options: SensitivityOptions): Promise<SensitivityReport> {
  const bytes = await readFile(input);
  const base = decodeModel(bytes, { name: input });
  const { assignments } = assignNodes(base, plan);
  const targets = calibrationTargets(base, plan);
  const ranges = targets.size > 0 && options.calibration
    ? await calibrate(base, [...targets.keys()], options.calibration, {
        calibrators: targets,
        ...(plan.calibration?.n !== undefined ? { maxSamples: plan.calibration.n } : {}),
        ...(plan.calibration?.percentile !== undefined ? { percentile: plan.calibration.percentile } : {}),
        onSample: (done) => options.onProgress?.({ status: 'calibrating', done }),
        ...(options.signal ? { signal: options.signal } : {}),
      })
    : new Map();
  const groupOf = (path: string): string => (options.depth === undefined ? path : path.split('.').slice(0, options.depth).join('.'));
  const groups = new Map<string, { mode: 'dynamic' | 'static'; nodes: Set<string> }>();
  for (const a of assignments) {
    const key = groupOf(a.modulePath);
    const g = groups.get(key) ?? { mode: a.rule.mode as 'dynamic' | 'static', nodes: new Set<string>() };
    g.nodes.add(a.node.name ?? '');
    groups.set(key, g);
  }
  const sessionOptions = { intraOpNumThreads: 1, graphOptimizationLevel: 'all' as const };
  const reference = await InferenceSession.create(bytes, sessionOptions);
  const want = await reference.run(options.sample);
  await reference.release();
  const dir = options.evaluate ? await mkdtemp(join(tmpdir(), 'asrq-sensitivity-')) : undefined;
  const measure = async (onlyNodes: Set<string> | undefined, tag: string): Promise<{ quantized: number; sqnr: Record<string, number>; metric?: number }> => {
    const model = decodeModel(bytes, { name: input });
    const { outcomes } = await quantizeModel(model, plan, { ranges, ...(onlyNodes ? { onlyNodes } : {}), ...(options.calibration ? { calibration: options.calibration } : {}) });
    const session = await InferenceSession.create(encodeModel(model), sessionOptions);
    const got = await session.run(options.sample);
    await session.release();
    const quantized = outcomes.filter((o) => o.status === 'quantized').length;
    const db: Record<string, number> = {};
    for (const [name, t] of Object.entries(want)) if (t.type === 'float32' && got[name]) db[name] = sqnr(t.data as Float32Array, got[name]!.data as Float32Array);
    // Modules whose nodes the plan selects but cannot quantize (e.g. activation MatMuls under a
    // dynamic rule) leave the model unchanged: nothing to evaluate.
    if (!options.evaluate || !dir || quantized === 0) return { quantized, sqnr: db };
    const path = join(dir, `${tag}.onnx`);
    await writeModel(model, path);
    const metric = await options.evaluate(path);
    await rm(path, { force: true });
    return { quantized, sqnr: db, metric };
  };
  try {
    const floatMetric = options.evaluate ? await options.evaluate(input) : undefined;
    const delta = (m: number | undefined): { metric?: number; metricDelta?: number } =>
      m === undefined || floatMetric === undefined ? {} : { metric: m, metricDelta: m - floatMetric };
    const entries: SensitivityEntry[] = [];
    let done = 0;
    for (const [module, g] of groups) {
      throwIfAborted(options.signal);
      const r = await measure(g.nodes, `module-${done}`);
      if (r.quantized > 0) entries.push({ module, mode: g.mode, nodes: r.quantized, sqnr: r.sqnr, ...delta(r.metric) });
      options.onProgress?.({ status: 'module', done: ++done, total: groups.size, module });
    }
    const full = await measure(undefined, 'full');
    options.onProgress?.({ status: 'done' });
    return { input, ...(floatMetric === undefined ? {} : { floatMetric }), full: { sqnr: full.sqnr, ...delta(full.metric) }, entries };
  } finally {
    if (dir) await rm(dir, { recursive: true, force: true });
  }
}
