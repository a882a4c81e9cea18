import { OnnxError } from './errors.js';
import { opsetVersion } from './opset.js';
import { makeTensor } from './tensor.js';
import { toNumber, type AttributeProto, type GraphProto, type NodeProto, type OnnxModel } from './types.js';

/** The oldest and newest ai.onnx opsets {@link upgradeOpset} converts between. */
export const OPSET_UPGRADE_RANGE = { from: 11, to: 21 } as const;

/** The IR version each opset needs at least (onnx's VERSION_TABLE). */
const IR_FOR_OPSET: Record<number, number> = {
  11: 6,
  12: 7,
  13: 7,
  14: 7,
  15: 8,
  16: 8,
  17: 8,
  18: 8,
  19: 9,
  20: 9,
  21: 10,
};

/**
 * Op definitions that changed incompatibly between opsets 12 and 21, and what the upgrade does
 * about each (every other change in that range only adds types or attributes with the old
 * behaviour as default, so the node stays as it is). Checked against onnx's operator schemas.
 */
const BREAKING: Record<string, Record<number, 'adapt' | string>> = {
  Dropout: { 12: 'adapt' },
  BatchNormalization: { 14: 'adapt' },
  Softmax: { 13: 'adapt' },
  LogSoftmax: { 13: 'adapt' },
  Hardmax: { 13: 'adapt' },
  Split: { 13: 'adapt', 18: 'adapt' },
  Squeeze: { 13: 'adapt' },
  Unsqueeze: { 13: 'adapt' },
  ReduceSum: { 13: 'adapt' },
  ReduceL1: { 18: 'adapt' },
  ReduceL2: { 18: 'adapt' },
  ReduceLogSum: { 18: 'adapt' },
  ReduceLogSumExp: { 18: 'adapt' },
  ReduceMax: { 18: 'adapt' },
  ReduceMean: { 18: 'adapt' },
  ReduceMin: { 18: 'adapt' },
  ReduceProd: { 18: 'adapt' },
  ReduceSumSquare: { 18: 'adapt' },
  RoiAlign: { 16: 'its default coordinate_transformation_mode changed' },
  DFT: { 20: 'its axis became an input' },
  GridSample: { 20: 'its mode names changed' },
  GroupNormalization: { 21: 'its scale and bias became per channel' },
};

/** What {@link upgradeOpset} changed. */
export interface OpsetUpgrade {
  from: number;
  to: number;
  /** IR version before and after (raised to what the target opset needs, never lowered). */
  irVersion: { from: number; to: number };
  /** Nodes rewritten, by op type. */
  adapted: Record<string, number>;
}

interface UpgradeContext {
  from: number;
  to: number;
  adapted: Record<string, number>;
  names: Set<string>;
  /** Ranks known from the graph's value infos and inputs. */
  ranks: Map<string, number>;
}

function unique(ctx: UpgradeContext, base: string): string {
  let name = base;
  for (let i = 1; ctx.names.has(name); i++) name = `${base}_${i}`;
  ctx.names.add(name);
  return name;
}

const crosses = (ctx: UpgradeContext, version: number): boolean => ctx.from < version && version <= ctx.to;

function takeAttr(node: NodeProto, name: string): AttributeProto | undefined {
  const a = node.attribute?.find((x) => x.name === name);
  if (a) node.attribute = node.attribute!.filter((x) => x !== a);
  return a;
}

function int64Input(ctx: UpgradeContext, g: GraphProto, base: string, values: number[]): string {
  const name = unique(ctx, base);
  g.initializer!.push(makeTensor(name, BigInt64Array.from(values.map(BigInt)), [values.length]));
  return name;
}

/** An `axes` (or `split`) attribute becomes the node's second input (absent attribute: absent input). */
function attributeToInput(ctx: UpgradeContext, g: GraphProto, node: NodeProto, attr: string): void {
  const a = takeAttr(node, attr);
  if (!a) return;
  const values = (a.ints ?? []).map(toNumber);
  node.input = [node.input![0]!, int64Input(ctx, g, `${node.name || node.op_type}_${attr}`, values)];
}

/**
 * Softmax-like ops before opset 13 flatten the input to 2-D at `axis` (default 1) and normalise each
 * row. From 13 they normalise along `axis` (default -1). The same result: the last axis when the
 * old axis is provably the last one, else Flatten at the old axis, the op along -1, Reshape back.
 */
function adaptSoftmax(ctx: UpgradeContext, node: NodeProto, added: NodeProto[]): void {
  const a = takeAttr(node, 'axis');
  const axis = a ? toNumber(a.i) : 1;
  const input = node.input![0]!;
  const rank = ctx.ranks.get(input);
  if (axis === -1 || (rank !== undefined && axis === rank - 1)) {
    node.attribute = [...(node.attribute ?? []), { name: 'axis', type: 2, i: -1 }];
    return;
  }
  const base = node.name || node.op_type || 'softmax';
  const shape = unique(ctx, `${base}_shape`);
  const flat = unique(ctx, `${base}_flat`);
  const out = node.output![0]!;
  const flatOut = unique(ctx, `${base}_flat_out`);
  added.push(
    { op_type: 'Shape', name: unique(ctx, `${base}_Shape`), input: [input], output: [shape] },
    {
      op_type: 'Flatten',
      name: unique(ctx, `${base}_Flatten`),
      input: [input],
      output: [flat],
      attribute: [{ name: 'axis', type: 2, i: axis }],
    },
  );
  node.input = [flat];
  node.output = [flatOut];
  node.attribute = [...(node.attribute ?? []), { name: 'axis', type: 2, i: -1 }];
  added.push({ op_type: 'Reshape', name: unique(ctx, `${base}_Reshape`), input: [flatOut, shape], output: [out] });
}

/** From opset 14 BatchNormalization's extra outputs mean training mode; an inference node has one output. */
function checkInferenceBatchNorm(node: NodeProto): void {
  if ((node.output ?? []).filter(Boolean).length > 1)
    throw new OnnxError(
      'ONNX_UPGRADE_UNSUPPORTED',
      `Cannot upgrade node "${node.name ?? ''}" (BatchNormalization) past opset 14: it has the training outputs (running mean and variance), whose meaning changed. Export the model in eval mode.`,
      { location: node.name ?? 'BatchNormalization' },
    );
}

/** From opset 18 a Split without a `split` input must say into how many outputs (`num_outputs`). */
function splitOutputs(node: NodeProto): void {
  if (node.input?.[1] || node.attribute?.some((a) => a.name === 'num_outputs')) return;
  node.attribute = [...(node.attribute ?? []), { name: 'num_outputs', type: 2, i: node.output?.length ?? 1 }];
}

/** Dropout's `ratio` attribute becomes an input from opset 12 (inference ignores it either way). */
function adaptDropout(ctx: UpgradeContext, g: GraphProto, node: NodeProto): void {
  const a = takeAttr(node, 'ratio');
  if (!a) return;
  const name = unique(ctx, `${node.name || 'Dropout'}_ratio`);
  g.initializer!.push(makeTensor(name, Float32Array.of(a.f ?? 0.5), []));
  node.input = [node.input![0]!, name];
}

function adaptNode(ctx: UpgradeContext, g: GraphProto, node: NodeProto, added: NodeProto[]): boolean {
  const op = node.op_type ?? '';
  const changes = BREAKING[op];
  if (!changes) return false;
  let changed = false;
  for (const [v, action] of Object.entries(changes)) {
    const version = Number(v);
    if (!crosses(ctx, version)) continue;
    if (action !== 'adapt')
      throw new OnnxError(
        'ONNX_UPGRADE_UNSUPPORTED',
        `Cannot upgrade node "${node.name ?? ''}" (${op}) past opset ${version}: ${action}. Convert the model with onnx's version converter, or re-export it at opset ${ctx.to}.`,
        { location: node.name ?? op },
      );
    if (op === 'BatchNormalization') checkInferenceBatchNorm(node);
    else if (op === 'Dropout') adaptDropout(ctx, g, node);
    else if (op === 'Softmax' || op === 'LogSoftmax' || op === 'Hardmax') adaptSoftmax(ctx, node, added);
    else if (op === 'Split' && version === 13) attributeToInput(ctx, g, node, 'split');
    else if (op === 'Split') splitOutputs(node);
    else attributeToInput(ctx, g, node, 'axes');
    // An inference BatchNormalization is only checked, not changed.
    changed = op !== 'BatchNormalization';
  }
  return changed;
}

function upgradeGraph(ctx: UpgradeContext, g: GraphProto): void {
  g.initializer ??= [];
  const out: NodeProto[] = [];
  for (const node of g.node ?? []) {
    for (const a of node.attribute ?? []) {
      if (a.g) upgradeGraph(ctx, a.g);
      for (const sub of (a.graphs as GraphProto[] | undefined) ?? []) upgradeGraph(ctx, sub);
    }
    const isDefault = (node.domain ?? '') === '' || node.domain === 'ai.onnx';
    const added: NodeProto[] = [];
    if (isDefault && adaptNode(ctx, g, node, added)) ctx.adapted[node.op_type!] = (ctx.adapted[node.op_type!] ?? 0) + 1;
    // Added nodes before the node (Shape, Flatten) and after it (Reshape) keep the list in order.
    out.push(...added.filter((n) => n.op_type !== 'Reshape'), node, ...added.filter((n) => n.op_type === 'Reshape'));
  }
  g.node = out;
}

function collectNames(g: GraphProto, names: Set<string>, ranks: Map<string, number>): void {
  for (const t of g.initializer ?? []) names.add(t.name ?? '');
  for (const v of [...(g.input ?? []), ...(g.output ?? []), ...(g.value_info ?? [])]) {
    names.add(v.name ?? '');
    const dims = v.type?.tensor_type?.shape?.dim;
    if (dims) ranks.set(v.name ?? '', dims.length);
  }
  for (const n of g.node ?? []) {
    names.add(n.name ?? '');
    for (const o of n.output ?? []) names.add(o);
    for (const a of n.attribute ?? []) {
      if (a.g) collectNames(a.g, names, ranks);
      for (const sub of (a.graphs as GraphProto[] | undefined) ?? []) collectNames(sub, names, ranks);
    }
  }
}

/**
 * Upgrades a model's ai.onnx opset, rewriting the nodes whose definition changed on the way
 * (attribute-to-input moves of Squeeze/Unsqueeze/ReduceSum/Split at 13 and of every Reduce op at 18,
 * the softmax family's axis semantics at 13, Dropout's ratio at 12) so the model computes exactly what
 * it did; the IR version is raised to what the target needs. Only on request: asrq never changes a
 * model's opset by itself (`asrq quantize --opset N`).
 *
 * @param model - Modified in place.
 * @param target - The opset to reach ({@link OPSET_UPGRADE_RANGE}).
 * @returns What changed.
 * @throws OnnxError `ONNX_UPGRADE_UNSUPPORTED` for a downgrade, an opset outside the range, or an op
 *   whose change it cannot adapt (naming the node and what to do).
 * @example
 * ```ts
 * const model = await readModel('model.opset11.onnx');
 * upgradeOpset(model, 13); // { from: 11, to: 13, adapted: { Unsqueeze: 9, Softmax: 1 }, ... }
 * ```
 */
export function upgradeOpset(model: OnnxModel, target: number): OpsetUpgrade {
  const from = opsetVersion(model) ?? 0;
  const { from: lowest, to: highest } = OPSET_UPGRADE_RANGE;
  if (!Number.isInteger(target) || target < from || target > highest || from < lowest)
    throw new OnnxError(
      'ONNX_UPGRADE_UNSUPPORTED',
      `${model.name} has ai.onnx opset ${from}; asrq upgrades from opset ${lowest} or later to at most ${highest}, never down (asked for ${target}). Re-export the model at the opset you need, or convert it with onnx's version converter.`,
      { location: model.name },
    );
  if (((model.proto.functions as unknown[] | undefined) ?? []).length > 0)
    throw new OnnxError(
      'ONNX_UPGRADE_UNSUPPORTED',
      `${model.name} has model-local functions, which carry opset imports of their own; asrq does not upgrade them. Convert the model with onnx's version converter, or re-export it at opset ${target}.`,
      { location: model.name },
    );
  const irFrom = toNumber(model.proto.ir_version);
  const ctx: UpgradeContext = { from, to: target, adapted: {}, names: new Set(), ranks: new Map() };
  const g = model.proto.graph!;
  collectNames(g, ctx.names, ctx.ranks);
  if (target > from) upgradeGraph(ctx, g);
  for (const o of model.proto.opset_import ?? [])
    if ((o.domain ?? '') === '' || o.domain === 'ai.onnx') o.version = target;
  const irTo = Math.max(irFrom, IR_FOR_OPSET[target] ?? irFrom);
  model.proto.ir_version = irTo;
  return { from, to: target, irVersion: { from: irFrom, to: irTo }, adapted: ctx.adapted };
}
