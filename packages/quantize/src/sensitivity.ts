import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { throwIfAborted } from '@asrq/core';
import { readModel, writeModel, type OnnxModel } from '@asrq/onnx';
import type { Tensor } from 'onnxruntime-node';
import { assignNodes, type Assignment } from './assign.js';
import { calibrate, type CalibrationData, type Feeds } from './calibrate.js';
import type { QuantPlan } from './plan-types.js';
import { calibrationTargets, quantizeModel } from './quantize-model.js';
import { upcastFloat16 } from './float16-upcast.js';
import { cloneModel, Scratch, sessionSource } from './model-source.js';
import { COMPARISON_SESSION, openQuantizeSession } from './sessions.js';
import { assertFinite, firstNonFinite, outputSqnr, type NonFinite } from './validate.js';
import type { Range } from './range.js';

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
  /** What `evaluate` returns, for the report and its printed form (e.g. `WER %`; default `metric`). */
  metricName?: string;
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
  /** Where this module, quantized alone, makes the model give NaN or infinity (its SQNR is then NaN). */
  nonFinite?: NonFinite;
}

/** Result of {@link sensitivityReport}. */
export interface SensitivityReport {
  input: string;
  /** What the metric values are ({@link SensitivityOptions.metricName}), when `evaluate` was given. */
  metricName?: string;
  floatMetric?: number;
  /** The whole plan applied at once. */
  full: { sqnr: Record<string, number>; metric?: number; metricDelta?: number };
  /** One entry per module, in graph order. */
  entries: SensitivityEntry[];
}

type ModuleGroups = Map<string, { mode: 'dynamic' | 'static'; nodes: Set<string> }>;

/** What every one-module measurement shares. */
interface MeasureContext {
  input: string;
  /** The float model as read (external data resolved); each measurement quantizes a copy. */
  base: OnnxModel;
  /** Temporary files for models too large to hand onnxruntime as bytes. */
  scratch: Scratch;
  plan: QuantPlan;
  ranges: Map<string, Range>;
  /** The float model's outputs on the sample. */
  want: Record<string, Tensor>;
  options: SensitivityOptions;
  /** Scratch folder for models handed to `evaluate` (only with `evaluate`). */
  dir: string | undefined;
}

/** One quantized variant: how many nodes it quantized, its SQNR per output and its metric. */
interface Measurement {
  quantized: number;
  sqnr: Record<string, number>;
  metric?: number;
  nonFinite?: NonFinite;
}

/** Ranges of the plan's static tensors, calibrated once and shared by every variant. */
async function sharedRanges(
  base: OnnxModel,
  plan: QuantPlan,
  options: SensitivityOptions,
): Promise<Map<string, Range>> {
  const targets = calibrationTargets(base, plan);
  if (targets.size === 0 || !options.calibration) return new Map();
  return calibrate(base, [...targets.keys()], options.calibration, {
    calibrators: targets,
    ...(plan.calibration?.n !== undefined ? { maxSamples: plan.calibration.n } : {}),
    ...(plan.calibration?.percentile !== undefined ? { percentile: plan.calibration.percentile } : {}),
    onSample: (done) => options.onProgress?.({ status: 'calibrating', done }),
    ...(options.signal ? { signal: options.signal } : {}),
  });
}

/** The plan's nodes grouped by module path (cut to `depth` segments), in graph order. */
function moduleGroups(assignments: Assignment[], depth: number | undefined): ModuleGroups {
  const groupOf = (path: string): string => (depth === undefined ? path : path.split('.').slice(0, depth).join('.'));
  const groups: ModuleGroups = new Map();
  for (const a of assignments) {
    const key = groupOf(a.modulePath);
    const g = groups.get(key) ?? { mode: a.rule.mode as 'dynamic' | 'static', nodes: new Set<string>() };
    g.nodes.add(a.node.name ?? '');
    groups.set(key, g);
  }
  return groups;
}

/** Runs a model once on the sample. */
async function runOnSample(model: OnnxModel, sample: Feeds, scratch: Scratch): Promise<Record<string, Tensor>> {
  const session = await openQuantizeSession(await sessionSource(model, scratch.dir), COMPARISON_SESSION);
  try {
    return await session.run(sample);
  } finally {
    await session.release();
  }
}

/** Quantizes `onlyNodes` (all of the plan when undefined), runs the result on the sample and, with `evaluate`, scores it. */
async function measure(ctx: MeasureContext, onlyNodes: Set<string> | undefined, tag: string): Promise<Measurement> {
  const { options } = ctx;
  const model = cloneModel(ctx.base);
  const { outcomes } = await quantizeModel(model, ctx.plan, {
    ranges: ctx.ranges,
    ...(onlyNodes ? { onlyNodes } : {}),
    ...(options.calibration ? { calibration: options.calibration } : {}),
  });
  const got = await runOnSample(model, options.sample, ctx.scratch);
  const quantized = outcomes.filter((o) => o.status === 'quantized').length;
  const db = outputSqnr(ctx.want, got);
  const nonFinite = firstNonFinite(got);
  // A module that breaks the model is reported (worst first), not turned into an average.
  if (nonFinite) return { quantized, sqnr: Object.fromEntries(Object.keys(db).map((k) => [k, Number.NaN])), nonFinite };
  // Modules whose nodes the plan selects but cannot quantize (e.g. activation MatMuls under a
  // dynamic rule) leave the model unchanged: nothing to evaluate.
  if (!options.evaluate || !ctx.dir || quantized === 0) return { quantized, sqnr: db };
  const path = join(ctx.dir, `${tag}.onnx`);
  await writeModel(model, path);
  const metric = await options.evaluate(path);
  await rm(path, { force: true });
  return { quantized, sqnr: db, metric };
}

/** Measures each module alone, then the whole plan, reporting progress. */
async function measureAll(ctx: MeasureContext, groups: ModuleGroups): Promise<SensitivityReport> {
  const { options } = ctx;
  const floatMetric = options.evaluate ? await options.evaluate(ctx.input) : undefined;
  const delta = (m: number | undefined): { metric?: number; metricDelta?: number } =>
    m === undefined || floatMetric === undefined ? {} : { metric: m, metricDelta: m - floatMetric };
  const entries: SensitivityEntry[] = [];
  let done = 0;
  for (const [module, g] of groups) {
    throwIfAborted(options.signal);
    const r = await measure(ctx, g.nodes, `module-${done}`);
    if (r.quantized > 0)
      entries.push({
        module,
        mode: g.mode,
        nodes: r.quantized,
        sqnr: r.sqnr,
        ...delta(r.metric),
        ...(r.nonFinite ? { nonFinite: r.nonFinite } : {}),
      });
    options.onProgress?.({ status: 'module', done: ++done, total: groups.size, module });
  }
  const full = await measure(ctx, undefined, 'full');
  options.onProgress?.({ status: 'done' });
  return {
    input: ctx.input,
    ...(floatMetric === undefined ? {} : { metricName: options.metricName ?? 'metric', floatMetric }),
    full: { sqnr: full.sqnr, ...delta(full.metric) },
    entries,
  };
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
export async function sensitivityReport(
  input: string,
  plan: QuantPlan,
  options: SensitivityOptions,
): Promise<SensitivityReport> {
  const base = await readModel(input);
  // A float16 model is analysed in its float32 form (the form every variant is quantized from), so
  // ranges are calibrated once for the tensor names the variants use; inputs and outputs stay float16.
  upcastFloat16(base);
  const { assignments } = assignNodes(base, plan);
  const scratch = new Scratch('asrq-sensitivity-');
  const dir = options.evaluate ? await mkdtemp(join(tmpdir(), 'asrq-sensitivity-')) : undefined;
  try {
    const ranges = await sharedRanges(base, plan, options);
    const groups = moduleGroups(assignments, options.depth);
    const want = await runOnSample(base, options.sample, scratch);
    assertFinite(want, `The input model ${input}`, 'Check the sample audio and the model itself.');
    return await measureAll({ input, base, scratch, plan, ranges, want, options, dir }, groups);
  } finally {
    await scratch.dispose();
    if (dir) await rm(dir, { recursive: true, force: true });
  }
}
