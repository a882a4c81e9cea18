import { throwIfAborted } from '@asrq/core';
import type { NodeProto, OnnxModel } from '@asrq/onnx';
import { assignNodes, type Assignment } from './assign.js';
import { calibrate, type CalibrationData } from './calibrate.js';
import { PLAN_DEFAULTS } from './defaults.js';
import { DynamicChain } from './emit/dynamic-chain.js';
import { OpsetTooLow } from './emit/opset-forms.js';
import { QdqEmitter } from './emit/qdq.js';
import type { Range } from './range.js';
import { QuantizeError } from './errors.js';
import { upcastFloat16, type Float16Upcast } from './float16-upcast.js';
import { GraphContext } from './graph-context.js';
import { recordQuantization } from './metadata.js';
import { quantizedState, type QuantizedState } from './ops/already-quantized.js';
import type { RewriteEnv } from './ops/op-quantizer.js';
import { opQuantizerFor } from './ops/registry.js';
import { checkOpsets, opsetTooLowError, ruleLabel } from './opset-check.js';
import type { NodeOutcome } from './outcome.js';
import { nodeOptionsOf, type CalibratorKind, type QuantPlan } from './plan.js';
import { fuseSkipLayerNorm } from './skip-layer-norm.js';
import { WeightCache } from './weights.js';

/** Progress of quantization, tagged by stage. */
export type QuantizeProgress =
  | { status: 'reading'; path: string }
  | { status: 'calibrating'; done: number; total?: number; tensors: number }
  | { status: 'quantizing'; done: number; total: number }
  | { status: 'writing'; path: string }
  | { status: 'validating' }
  | { status: 'done' };

/** Options of {@link quantizeModel}. */
export interface QuantizeModelOptions {
  /** Calibration samples, required when a static rule selects something. */
  calibration?: CalibrationData;
  /** Precomputed ranges (skip calibration for tensors listed here). */
  ranges?: Map<string, Range>;
  /** Rewrite only nodes whose name is in this set (sensitivity analysis). */
  onlyNodes?: Set<string>;
  onProgress?: (e: QuantizeProgress) => void;
  signal?: AbortSignal;
}

/** What {@link quantizeModel} did. */
export interface QuantizeModelResult {
  outcomes: NodeOutcome[];
  /** Per rule: nodes its selector matched by module path, and nodes it quantized. */
  rules: Array<{
    select: string;
    mode: string;
    matched: number;
    quantized: number;
    skipped: number;
    /** Quantizable ops in the rule's path scope that its op list leaves out, by type. */
    outsideOps?: Record<string, number>;
  }>;
  calibrationSamples: number;
  ranges: Map<string, Range>;
  /** Graph rewrites the plan asked for, with how many places each changed. */
  rewrites: { skipLayerNorm?: number };
  /** A float16 model's conversion: its float parts now compute in float32 (see float16-upcast.ts). */
  float16?: Float16Upcast;
  /** The input was already quantized, by this evidence (quantized nodes are skipped). */
  alreadyQuantized?: QuantizedState;
  /** The model's ai.onnx opset (every emitted node is valid at it; it is never changed). */
  opset: number;
  /** Rules that matched nothing in a plan with `onNoMatch: "warn"`. */
  warnings: string[];
}

/**
 * The tensors static rules need ranges for, with the calibrator each one uses.
 * @param model - The float model.
 * @param plan - The plan.
 * @param onlyNodes - Restrict to these node names.
 * @returns Tensor name -> calibrator.
 */
export function calibrationTargets(
  model: OnnxModel,
  plan: QuantPlan,
  onlyNodes?: Set<string>,
): Map<string, CalibratorKind> {
  const { assignments } = assignNodes(model, plan);
  const chosen = onlyNodes ? assignments.filter((a) => onlyNodes.has(a.node.name ?? '')) : assignments;
  return targetsOf(new GraphContext(model), chosen, plan);
}

/** The calibration targets of already assigned nodes (their op quantizers say which tensors), with each one's calibrator. */
function targetsOf(ctx: GraphContext, chosen: Assignment[], plan: QuantPlan): Map<string, CalibratorKind> {
  const targets = new Map<string, CalibratorKind>();
  for (const a of chosen) {
    if (a.rule.mode !== 'static') continue;
    const kind = a.rule.calibrator ?? plan.calibration?.calibrator ?? PLAN_DEFAULTS.calibrator;
    for (const t of opQuantizerFor(a.node)?.calibrationTargets(ctx, a.node) ?? []) targets.set(t, kind);
  }
  return targets;
}

/**
 * Quantizes a model in memory according to a plan (the model is modified in place). A float16
 * model is first turned into float32 with float16 inputs and outputs ({@link upcastFloat16});
 * static rules calibrate first; every rule is checked against the model's ai.onnx opset before
 * anything changes; the result records the plan in the metadata entry `asrq.quantization`.
 *
 * @param model - The float model.
 * @param plan - Rules; see {@link QuantPlan}.
 * @param options - Calibration data, progress, cancellation.
 * @returns Per-node outcomes and per-rule counts.
 * @throws QuantizeError `QUANT_NO_MATCH`, `QUANT_NEEDS_CALIBRATION`, `QUANT_UNSUPPORTED_NODE`,
 *   `QUANT_OPSET_TOO_LOW` (a rule's form needs a newer opset than the model's).
 * @example
 * ```ts
 * const model = await readModel('model.onnx');
 * const result = await quantizeModel(model, planFromFlags({ dynamic: ['encoder'] }));
 * await writeModel(model, 'model.int8.onnx');
 * ```
 */
export async function quantizeModel(
  model: OnnxModel,
  plan: QuantPlan,
  options: QuantizeModelOptions = {},
): Promise<QuantizeModelResult> {
  const alreadyQuantized = quantizedState(model);
  const { assignments, pathMatches, warnings, outsideOps } = assignNodes(model, plan);
  const chosen = options.onlyNodes ? assignments.filter((a) => options.onlyNodes!.has(a.node.name ?? '')) : assignments;
  // One pass checks, one pass rewrites: a float16 model gets a new context once it is float32.
  const checked = new GraphContext(model);
  checkOpsets(checked, chosen, plan);
  const float16 = chosen.length > 0 ? upcastFloat16(model) : undefined;
  const ctx = float16 ? new GraphContext(model) : checked;
  const targets = targetsOf(ctx, chosen, plan);
  const { ranges, calibrationSamples } = await observeRanges(model, plan, chosen, targets, options);
  const outcomes = rewriteAssignments(ctx, plan, chosen, ranges, options);
  const rewrites: QuantizeModelResult['rewrites'] = {};
  if (plan.rewrites?.skipLayerNorm && !options.onlyNodes) rewrites.skipLayerNorm = fuseSkipLayerNorm(model);
  const rules = ruleCounts(plan, chosen, outcomes, pathMatches).map((r, i) =>
    Object.keys(outsideOps[i]!).length > 0 ? { ...r, outsideOps: outsideOps[i]! } : r,
  );
  if (outcomes.some((o) => o.status === 'quantized')) recordQuantization(model, plan);
  return {
    outcomes,
    rules,
    calibrationSamples,
    ranges,
    rewrites,
    opset: ctx.opset,
    warnings,
    ...(float16 ? { float16 } : {}),
    ...(alreadyQuantized ? { alreadyQuantized } : {}),
  };
}

/**
 * The ranges static rules need: the precomputed ones, plus a calibration pass over the tensors still missing.
 * @returns All ranges and how many calibration samples ran (0 when none had to).
 * @throws QuantizeError `QUANT_NEEDS_CALIBRATION` when ranges are missing and no calibration data was given.
 */
async function observeRanges(
  model: OnnxModel,
  plan: QuantPlan,
  chosen: Assignment[],
  targets: Map<string, CalibratorKind>,
  options: QuantizeModelOptions,
): Promise<{ ranges: Map<string, Range>; calibrationSamples: number }> {
  const ranges = new Map(options.ranges ?? []);
  const toObserve = [...targets.keys()].filter((t) => !ranges.has(t));
  let calibrationSamples = 0;
  if (toObserve.length === 0) return { ranges, calibrationSamples };
  if (!options.calibration) {
    const first = chosen.find((a) => a.rule.mode === 'static')!;
    throw new QuantizeError(
      'QUANT_NEEDS_CALIBRATION',
      `Static rule "${first.rule.select}" selects ${first.node.name ?? 'nodes'} but no calibration data was given. Pass calibration data (\`calibration\`), or use mode dynamic.`,
      { location: first.rule.select, argument: 'calibration' },
    );
  }
  const observed = await calibrate(model, toObserve, options.calibration, {
    calibrators: targets,
    ...(plan.calibration?.n !== undefined ? { maxSamples: plan.calibration.n } : {}),
    ...(plan.calibration?.percentile !== undefined ? { percentile: plan.calibration.percentile } : {}),
    onSample: (done) => {
      calibrationSamples = done;
      options.onProgress?.({
        status: 'calibrating',
        done,
        ...(plan.calibration?.n !== undefined ? { total: plan.calibration.n } : {}),
        tensors: toObserve.length,
      });
    },
    ...(options.signal ? { signal: options.signal } : {}),
  });
  for (const [k, v] of observed) ranges.set(k, v);
  return { ranges, calibrationSamples };
}

/**
 * Rewrites every chosen node in place, then removes the replaced nodes and unused initializers and restores
 * topological order.
 * @returns One outcome per chosen node, in order.
 */
function rewriteAssignments(
  ctx: GraphContext,
  plan: QuantPlan,
  chosen: Assignment[],
  ranges: Map<string, Range>,
  options: QuantizeModelOptions,
): NodeOutcome[] {
  const model = ctx.model;
  const weights = new WeightCache(ctx);
  const env: RewriteEnv = {
    ctx,
    weights,
    dynamic: new DynamicChain(ctx),
    qdq: new QdqEmitter(ctx, weights, ranges),
    removed: new Set<NodeProto>(),
  };
  const outcomes: NodeOutcome[] = [];
  chosen.forEach((a: Assignment, i) => {
    throwIfAborted(options.signal);
    outcomes.push(rewriteNode(a, plan, env));
    options.onProgress?.({ status: 'quantizing', done: i + 1, total: chosen.length });
  });
  const g = model.proto.graph!;
  g.node = g.node!.filter((n) => !env.removed.has(n));
  ctx.dropUnusedInitializers();
  ctx.sortTopologically();
  return outcomes;
}

/** Rewrites one node with its op's quantizer in its rule's mode and reports what happened. */
function rewriteNode(a: Assignment, plan: QuantPlan, env: RewriteEnv): NodeOutcome {
  const mode = a.rule.mode as 'dynamic' | 'static';
  const quantizer = opQuantizerFor(a.node);
  const domain = a.node.domain ? `${a.node.domain} ` : '';
  let result: { status: 'quantized' } | { status: 'skipped'; reason: string };
  if (!quantizer) result = { status: 'skipped', reason: `asrq has no quantizer for ${domain}${a.node.op_type}` };
  else if (!quantizer.modes[mode] && quantizer.floatReason === undefined)
    result = { status: 'skipped', reason: `${a.node.op_type} has no ${mode} form in asrq` };
  else {
    try {
      result = quantizer.rewrite(env, a.node, mode, nodeOptionsOf(a.rule, plan));
    } catch (error) {
      if (error instanceof OpsetTooLow)
        throw opsetTooLowError(ruleLabel(a), a.node.op_type ?? '', env.ctx.model.name, env.ctx.opset, error);
      throw error;
    }
  }
  const int8Instead =
    result.status === 'quantized' && mode === 'dynamic' && a.rule.weights === 'int4' && !quantizer?.int4;
  return {
    node: a.node.name ?? '',
    opType: a.node.op_type ?? '',
    modulePath: a.modulePath,
    mode,
    status: result.status,
    ...(result.status === 'skipped' ? { reason: result.reason } : {}),
    ...(int8Instead ? { note: `4-bit weights are for MatMul and Gemm; this ${a.node.op_type} got int8 weights` } : {}),
  };
}
/** Per rule: nodes its selector matched, and how many of its nodes were quantized or skipped. */
function ruleCounts(
  plan: QuantPlan,
  chosen: Assignment[],
  outcomes: NodeOutcome[],
  pathMatches: number[],
): QuantizeModelResult['rules'] {
  return plan.rules.map((r, i) => {
    const mine = outcomes.filter((_, j) => chosen[j]!.ruleIndex === i);
    return {
      select: r.select,
      mode: r.mode,
      matched: pathMatches[i]!,
      quantized: mine.filter((o) => o.status === 'quantized').length,
      skipped: mine.filter((o) => o.status === 'skipped').length,
    };
  });
}
