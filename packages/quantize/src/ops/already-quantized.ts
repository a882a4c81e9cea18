import type { NodeProto, OnnxModel } from '@asrq/onnx';
import type { GraphContext } from '../graph-context.js';

/** Op types that only occur in quantized graphs (standard ONNX and onnxruntime's contrib ops). */
const QUANTIZED_OPS = new Set([
  'DequantizeLinear',
  'QuantizeLinear',
  'DynamicQuantizeLinear',
  'MatMulInteger',
  'ConvInteger',
  'QLinearConv',
  'QLinearMatMul',
  'DynamicQuantizeMatMul',
  'MatMulIntegerToFloat',
  'QAttention',
  'QGemm',
  'QLinearAdd',
  'QLinearMul',
  'MatMulNBits',
  'MatMulBnb4',
  'DynamicQuantizeLSTM',
]);

/** The metadata key asrq records its quantization under. */
export const QUANTIZATION_METADATA_KEY = 'asrq.quantization';

/** What marks a model as already quantized. */
export interface QuantizedState {
  /** Quantized op types and how many nodes of each. */
  ops: Record<string, number>;
  /** Other evidence: the producer or metadata of a quantizer. */
  marks: string[];
}

/**
 * Whether a model is already quantized, and by what evidence: quantized ops (Q/DQ, integer
 * products, onnxruntime's fused int8 ops), the producer name onnxruntime's quantizer writes
 * (`onnx.quantize`), or asrq's own metadata entry.
 * @param model - The model.
 * @returns The evidence, or undefined for a float model.
 */
export function quantizedState(model: OnnxModel): QuantizedState | undefined {
  const ops: Record<string, number> = {};
  for (const n of model.proto.graph?.node ?? []) {
    const op = n.op_type ?? '';
    if (QUANTIZED_OPS.has(op)) ops[op] = (ops[op] ?? 0) + 1;
  }
  const marks: string[] = [];
  if (model.proto.producer_name === 'onnx.quantize') marks.push('producer onnx.quantize (onnxruntime quantizer)');
  if (model.proto.metadata_props?.some((e) => e.key === QUANTIZATION_METADATA_KEY))
    marks.push(`metadata ${QUANTIZATION_METADATA_KEY} (quantized by asrq)`);
  return Object.keys(ops).length > 0 || marks.length > 0 ? { ops, marks } : undefined;
}

/**
 * One line naming the evidence, e.g. `12 MatMulInteger, 12 DynamicQuantizeLinear; producer onnx.quantize`.
 * @param state - From {@link quantizedState}.
 * @returns The description.
 */
export function describeQuantized(state: QuantizedState): string {
  const ops = Object.entries(state.ops)
    .sort((a, b) => b[1] - a[1])
    .map(([op, n]) => `${n} ${op}`)
    .join(', ');
  return [ops, ...state.marks].filter(Boolean).join('; ');
}

/**
 * Why a node's data inputs show it is already quantized (they come from DequantizeLinear nodes,
 * as in a QDQ model), or undefined.
 * @param ctx - The graph.
 * @param node - A MatMul, Gemm or Conv node.
 * @returns The reason, or undefined.
 */
export function alreadyQuantizedInput(ctx: GraphContext, node: NodeProto): string | undefined {
  const fromDq = (node.input ?? []).slice(0, 2).filter((i) => ctx.producers.get(i)?.op_type === 'DequantizeLinear');
  if (fromDq.length === 0) return undefined;
  return `already quantized: its input${fromDq.length > 1 ? 's come' : ' comes'} from a DequantizeLinear (a QDQ model)`;
}
