import { globMatcher, modulePathOf, type OnnxModel } from '@asrq/onnx';
import { ModelOps, type CalibratorKind, type OpFamily, type QuantPlan, type QuantRule } from '@asrq/quantize';
import { PlannerError } from './errors.js';

/** Op family of a group (from @asrq/quantize's op registry): weight MatMul/Gemm, activation×activation MatMul (attention), or Conv. */
export type { OpFamily } from '@asrq/quantize';

/** One way to treat a group. `float` leaves it alone. */
export type Candidate =
  | { mode: 'float' }
  | {
      mode: 'dynamic';
      perChannel: boolean;
      convAsMatMul?: true;
      activationScale?: 'row';
      /** 4-bit weight blocks of `blockSize` along K (onnxruntime's MatMulNBits): a size candidate. */
      weights?: 'int4';
      blockSize?: number;
    }
  | { mode: 'static'; calibrator: CalibratorKind };

/** A unit of decision: the nodes of one op family under one module path. */
export interface NodeGroup {
  /** Stable id, `<modulePath>|<family>`. */
  id: string;
  /** Module path prefix shared by the nodes (cut after the first numbered segment, e.g. `layers.3`). */
  path: string;
  family: OpFamily;
  /** Node names. */
  nodes: string[];
  /** Exact module paths of the nodes. */
  modulePaths: string[];
  /** The op types of its nodes (its rules' `ops`). */
  ops: string[];
  /** Candidate modes the group's ops have at the model's opset (others are never tried). */
  modes: { dynamic: boolean; static: boolean };
}

/**
 * Key of a candidate, e.g. `dynamic-pc`, `static-entropy`, `float`.
 * @param c - Candidate.
 * @returns Short stable key.
 */
export function candidateKey(c: Candidate): string {
  if (c.mode === 'float') return 'float';
  if (c.mode === 'dynamic' && c.weights === 'int4') return `dynamic-int4-b${c.blockSize}`;
  if (c.mode === 'dynamic')
    return c.convAsMatMul
      ? c.activationScale === 'row'
        ? 'dynamic-im2col-row'
        : 'dynamic-im2col'
      : c.perChannel
        ? 'dynamic-pc'
        : 'dynamic-pt';
  return `static-${c.calibrator}`;
}

/**
 * The candidates the search considers for a family. Dynamic Conv as ConvInteger is left out: it
 * has no fast onnxruntime CPU kernel (packages/quantize/docs/benchmark.md: slower than float), so it never wins on speed;
 * dynamic Conv as im2col + MatMulInteger (`convAsMatMul`) is a candidate instead. 4-bit weights
 * are slower than int8 ones and less accurate, so they are candidates only when the search has a
 * size budget (`int4Blocks`, one candidate per block size).
 * @param family - Op family.
 * @param calibrators - Static calibrators to consider.
 * @param modes - The modes the group's ops have at the model's opset.
 * @param int4Blocks - Block sizes of the 4-bit weight candidates of weight MatMuls (none without a size budget).
 * @returns Candidates, float first.
 */
export function candidatesFor(
  family: OpFamily,
  calibrators: readonly CalibratorKind[],
  modes: NodeGroup['modes'] = { dynamic: true, static: true },
  int4Blocks: readonly number[] = [],
): Candidate[] {
  return familyCandidates(family, calibrators, int4Blocks).filter((c) => c.mode === 'float' || modes[c.mode]);
}

function familyCandidates(
  family: OpFamily,
  calibrators: readonly CalibratorKind[],
  int4Blocks: readonly number[],
): Candidate[] {
  const statics: Candidate[] = calibrators.map((calibrator) => ({ mode: 'static', calibrator }));
  if (family === 'weight-matmul')
    return [
      { mode: 'float' },
      { mode: 'dynamic', perChannel: true },
      { mode: 'dynamic', perChannel: false },
      ...statics,
      ...int4Blocks.map((blockSize): Candidate => ({ mode: 'dynamic', perChannel: true, weights: 'int4', blockSize })),
    ];
  if (family === 'conv')
    return [
      { mode: 'float' },
      { mode: 'dynamic', perChannel: true, convAsMatMul: true },
      { mode: 'dynamic', perChannel: true, convAsMatMul: true, activationScale: 'row' },
      ...statics,
    ];
  return [{ mode: 'float' }, ...statics];
}

/** Module path of a node, cut after its first numbered segment (`...layers.3.attention` → `...layers.3`). */
function groupPathOf(modulePath: string): string {
  const parts = modulePath.split('.');
  const i = parts.findIndex((p) => /^\d+$/.test(p));
  return i < 0 ? modulePath : parts.slice(0, i + 1).join('.');
}

/**
 * Splits a model's quantizable nodes (those @asrq/quantize's op registry can quantize: MatMul,
 * Gemm, Conv, onnxruntime's fused Attention, ...) into decision groups: one per (module path, op
 * family), where module paths are cut after the first numbered segment so each transformer layer
 * is one group for its weight MatMuls and one for its attention MatMuls. Each group records which
 * modes its ops have at the model's opset, so the search never tries a form the model cannot hold.
 * @param model - Float model.
 * @returns Groups in graph order.
 */
export function findGroups(model: OnnxModel): NodeGroup[] {
  const ops = new ModelOps(model);
  const groups = new Map<string, NodeGroup & { fits: { dynamic: Fit[]; static: Fit[] } }>();
  for (const { node, family } of ops.quantizableNodes()) {
    const modulePath = modulePathOf(node);
    const path = groupPathOf(modulePath);
    const id = `${path}|${family}`;
    const g = groups.get(id) ?? {
      ...{ id, path, family, nodes: [], modulePaths: [], ops: [] },
      modes: { dynamic: false, static: false },
      fits: { dynamic: [], static: [] },
    };
    g.nodes.push(node.name ?? '');
    if (!g.modulePaths.includes(modulePath)) g.modulePaths.push(modulePath);
    if (!g.ops.includes(node.op_type ?? '')) g.ops.push(node.op_type ?? '');
    g.fits.dynamic.push(
      ops.fit(node, { select: '', mode: 'dynamic', ...(family === 'conv' ? { convAsMatMul: true } : {}) }),
    );
    g.fits.static.push(ops.fit(node, { select: '', mode: 'static' }));
    groups.set(id, g);
  }
  return [...groups.values()].map(({ fits, ...g }) => ({
    ...g,
    modes: { dynamic: usable(fits.dynamic), static: usable(fits.static) },
  }));
}

type Fit = ReturnType<ModelOps['fit']>;

/**
 * A mode is a candidate for a group when it quantizes at least one of its nodes and no node's form
 * is missing at the model's opset (a node whose op lacks the mode is skipped harmlessly, e.g. a
 * fused Attention under a static rule; a missing form would make the whole plan refused).
 */
function usable(fits: Fit[]): boolean {
  return fits.includes('ok') && fits.every((f) => f === 'ok' || f === 'no-mode');
}

/** Selector that matches exactly the given module paths among `all`, or undefined. */
function exactSelector(paths: string[], all: readonly string[]): string | undefined {
  if (paths.length !== 1) return undefined;
  const p = paths[0]!;
  for (const glob of [`${p}*`, `${p.slice(0, -1)}?`]) {
    const match = globMatcher(glob);
    if (all.filter(match).every((q) => q === p)) return glob;
  }
  return undefined;
}

/** A choice of candidate per group id; groups not listed stay float. */
export type Assignment = Record<string, Candidate>;

/**
 * Compiles per-group choices into a plan of module-path rules (last match wins): groups in
 * order of path depth, weight-MatMul/Conv groups by path prefix, attention-MatMul groups by an
 * exact-path glob so they override their layer's weight rule.
 * @param groups - All groups of the model.
 * @param assignment - Candidate per group id (missing = float).
 * @param allModulePaths - Every module path of the model (to check globs are exact).
 * @param calibration - Calibration settings recorded in the plan.
 * @returns The plan.
 * @throws PlannerError `PLANNER_PLAN_CONFLICT` when a group cannot be selected by a rule on its own.
 */
export function compilePlan(
  groups: readonly NodeGroup[],
  assignment: Assignment,
  allModulePaths: readonly string[],
  calibration: { n: number; seed: number },
): QuantPlan {
  const ordered = [...groups].sort(
    (a, b) =>
      a.path.split('.').length - b.path.split('.').length ||
      (a.family === 'act-matmul' ? 1 : 0) - (b.family === 'act-matmul' ? 1 : 0),
  );
  const rules: QuantRule[] = [];
  for (const g of ordered) {
    const c = assignment[g.id] ?? { mode: 'float' };
    let selects = [g.path];
    if (g.family === 'act-matmul') {
      // One exact rule per module path: attention blocks such as Zipformer's spread their activation MatMuls over several modules.
      selects = g.modulePaths.map((path) => {
        const glob = exactSelector([path], allModulePaths);
        if (!glob)
          throw new PlannerError(
            'PLANNER_PLAN_CONFLICT',
            `Cannot select the attention MatMuls of ${path} apart from other nodes; leave this model's attention MatMuls to a hand-written plan.`,
            { location: path },
          );
        return glob;
      });
    }
    for (const select of selects) {
      const rule: QuantRule = { select, mode: c.mode, ops: [...g.ops] };
      if (c.mode === 'dynamic') rule.perChannel = c.perChannel;
      if (c.mode === 'dynamic' && c.convAsMatMul) rule.convAsMatMul = true;
      if (c.mode === 'dynamic' && c.activationScale) rule.activationScale = c.activationScale;
      if (c.mode === 'dynamic' && c.weights === 'int4')
        Object.assign(rule, { weights: 'int4', blockSize: c.blockSize });
      if (c.mode === 'static') rule.calibrator = c.calibrator;
      rules.push(rule);
    }
  }
  return { version: 1, rules, calibration: { n: calibration.n, seed: calibration.seed } };
}

/**
 * Every module path of a model's nodes.
 * @param model - The model.
 * @returns Distinct module paths in graph order.
 */
export function modulePaths(model: OnnxModel): string[] {
  return [...new Set((model.proto.graph?.node ?? []).map((n) => modulePathOf(n)))];
}
