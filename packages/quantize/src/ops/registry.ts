import type { NodeProto } from '@asrq/onnx';
import { attentionQuantizer } from './attention.js';
import { convQuantizer } from './conv.js';
import { gemmQuantizer } from './gemm.js';
import { fusedMatMulQuantizer } from './fused-matmul.js';
import { multiHeadAttentionQuantizer } from './multi-head-attention.js';
import { matmulQuantizer } from './matmul.js';
import type { OpQuantizer, QuantizingMode } from './op-quantizer.js';

/**
 * Every op type asrq knows how to treat, one file each (onnxruntime's quantization tool keeps the
 * same shape: a registry from op type to its quantizer). Adding an op is its file plus one line
 * here; the plan's default op lists, the plan schema's text, the static calibrator's targets, the
 * opset checks and the planner's op families all read this list.
 */
export const OP_QUANTIZERS: readonly OpQuantizer[] = [
  matmulQuantizer,
  gemmQuantizer,
  convQuantizer,
  attentionQuantizer,
  multiHeadAttentionQuantizer,
  fusedMatMulQuantizer,
];

const key = (domain: string | undefined, opType: string | undefined): string =>
  `${domain === 'ai.onnx' ? '' : (domain ?? '')}|${opType ?? ''}`;
const byKey = new Map(OP_QUANTIZERS.map((q) => [key(q.domain, q.opType), q]));

/**
 * The quantizer of a node's op type and domain.
 * @param node - A node.
 * @returns Its registry entry, or undefined when asrq has none (the node stays float).
 */
export function opQuantizerFor(node: NodeProto): OpQuantizer | undefined {
  return byKey.get(key(node.domain, node.op_type));
}

/**
 * The op types a rule of `mode` selects when it lists no `ops`: those whose quantizer supports the
 * mode by default (Conv in dynamic rules only with convAsMatMul), plus the fused ops asrq keeps
 * float, so the report says why they stay float.
 * @param mode - The rule's mode.
 * @param rule - Its options that change the defaults.
 * @returns Op types in registry order.
 */
export function defaultOpsOf(mode: QuantizingMode, rule: { convAsMatMul?: boolean } = {}): string[] {
  return OP_QUANTIZERS.filter((q) => q.floatReason !== undefined || q.modes[mode]?.byDefault(rule)).map(
    (q) => q.opType,
  );
}

/** The op types that at least one mode can quantize (not the kept-float ones). */
export const QUANTIZABLE_OP_TYPES: readonly string[] = OP_QUANTIZERS.filter((q) => Object.keys(q.modes).length > 0).map(
  (q) => q.opType,
);

/**
 * One sentence per mode describing the default op lists, for the plan schema and the docs.
 * @returns e.g. `dynamic: MatMul, Gemm, Attention (+Conv with convAsMatMul); static: ...`.
 */
export function describeDefaultOps(): string {
  const dynamic = defaultOpsOf('dynamic');
  const extra = defaultOpsOf('dynamic', { convAsMatMul: true }).filter((op) => !dynamic.includes(op));
  const plus = extra.length > 0 ? ` (+${extra.join(', ')} with convAsMatMul)` : '';
  return `dynamic ${dynamic.join(', ')}${plus}; static ${defaultOpsOf('static').join(', ')}; float all`;
}
