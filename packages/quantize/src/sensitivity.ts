import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { throwIfAborted } from '@asrq/core';
import { decodeModel, encodeModel, writeModel, type OnnxModel } from '@asrq/onnx';
import type { Tensor } from 'onnxruntime-node';
import { assignNodes, type Assignment } from './assign.js';
import { calibrate, type CalibrationData, type Feeds } from './calibrate.js';
import type { QuantPlan } from './plan.js';
import { sqnr } from './quant-math.js';
import { calibrationTargets, quantizeModel } from './quantize-model.js';
import { COMPARISON_SESSION, openQuantizeSession } from './sessions.js';
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

type ModuleGroups = Map<string, { mode: 'dynamic' | 'static'; nodes: Set<string> }>;

/** What every one-module measurement shares. */
interface MeasureContext {
  input: string;
  bytes: Uint8Array;
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

/** Runs a serialized model once on the sample. */
async function runOnSample(bytes: Uint8Array, sample: Feeds): Promise<Record<string, Tensor>> {
  const session = await openQuantizeSession(bytes, COMPARISON_SESSION);
  const out = await session.run(sample);
  await session.release();
  return out;
}

/** SQNR of every float output the test run also produced. */
function outputSqnr(want: Record<string, Tensor>, got: Record<string, Tensor>): Record<string, number> {
  const db: Record<string, number> = {};
  for (const [name, t] of Object.entries(want))
    if (t.type === 'float32' && got[name]) db[name] = sqnr(t.data as Float32Array, got[name]!.data as Float32Array);
  return db;
}

/** Quantizes `onlyNodes` (all of the plan when undefined), runs the result on the sample and, with `evaluate`, scores it. */
async function measure(ctx: MeasureContext, onlyNodes: Set<string> | undefined, tag: string): Promise<Measurement> {
  const { options } = ctx;
  const model = decodeModel(ctx.bytes, { name: ctx.input });
  const { outcomes } = await quantizeModel(model, ctx.plan, {
    ranges: ctx.ranges,
    ...(onlyNodes ? { onlyNodes } : {}),
    ...(options.calibration ? { calibration: options.calibration } : {}),
  });
  const got = await runOnSample(encodeModel(model), options.sample);
  const quantized = outcomes.filter((o) => o.status === 'quantized').length;
  const db = outputSqnr(ctx.want, got);
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
    if (r.quantized > 0) entries.push({ module, mode: g.mode, nodes: r.quantized, sqnr: r.sqnr, ...delta(r.metric) });
    options.onProgress?.({ status: 'module', done: ++done, total: groups.size, module });
  }
  const full = await measure(ctx, undefined, 'full');
  options.onProgress?.({ status: 'done' });
  return {
    input: ctx.input,
    ...(floatMetric === undefined ? {} : { floatMetric }),
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
  const bytes = await readFile(input);
  const base = decodeModel(bytes, { name: input });
  const { assignments } = assignNodes(base, plan);
  const ranges = await sharedRanges(base, plan, options);
  const groups = moduleGroups(assignments, options.depth);
  const want = await runOnSample(bytes, options.sample);
  const dir = options.evaluate ? await mkdtemp(join(tmpdir(), 'asrq-sensitivity-')) : undefined;
  try {
    return await measureAll({ input, bytes, plan, ranges, want, options, dir }, groups);
  } finally {
    if (dir) await rm(dir, { recursive: true, force: true });
  }
}
