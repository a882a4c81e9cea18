import type { NodeProto } from '@asrq/onnx';
import { OPSET } from '../emit/opset-forms.js';
import type { GraphContext } from '../graph-context.js';
import { isConstantWeight } from '../weights.js';
import type { NodeOptions } from './op-quantizer.js';

/** The form `MatMulNBits` takes: a com.microsoft op, so any opset of the default domain does. */
export const MATMUL_NBITS_FORM = { opset: 1, form: 'com.microsoft MatMulNBits' } as const;

/**
 * The form a static rule writes for an op whose weight is its input 1 (MatMul, Gemm, Conv):
 * per-channel DequantizeLinear (opset 13) when `perChannel` asks it of a constant weight, else
 * per-tensor QuantizeLinear / DequantizeLinear.
 */
export function staticWeightForm(
  options: NodeOptions,
  ctx?: GraphContext,
  node?: NodeProto,
): { opset: number; form: string } {
  return options.perChannel && node && ctx && isConstantWeight(ctx, node.input?.[1])
    ? { opset: OPSET.perAxisQuantize, form: 'DequantizeLinear per channel (perChannel: true)' }
    : { opset: OPSET.quantizeLinear, form: 'QuantizeLinear / DequantizeLinear' };
}
