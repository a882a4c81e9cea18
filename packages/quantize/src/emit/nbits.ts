import type { NodeProto } from '@asrq/onnx';
import { quantizeBlockInt4 } from '../block-int4.js';
import { intAttr, type GraphContext } from '../graph-context.js';

/** onnxruntime's MatMulNBits accuracy level 4: activations quantized to int8 per block, int8 dot products. */
const INT8_COMPUTE = 4;

/**
 * Appends `com.microsoft.MatMulNBits` computing `input x W (+ bias)` with W [K, N] quantized to
 * 4-bit blocks along K (onnxruntime's layout; no zero-point input, so 8 is implied).
 * @param ctx - The graph.
 * @param node - The node being replaced (for names).
 * @param input - Float activation [..., K].
 * @param weight - The float weight as [K, N] row-major, with a name for its initializers.
 * @param out - Output tensor name.
 * @param options - Block size, a constant bias [N], a factor folded into the scales (Gemm's alpha), and
 *   onnxruntime's accuracy level (default 4: int8 activations; 0 computes in float, for exactness checks).
 */
export function emitMatMulNBits(
  ctx: GraphContext,
  node: NodeProto,
  input: string,
  weight: { name: string; data: Float32Array; k: number; n: number },
  out: string,
  options: { blockSize: number; bias?: string; scale?: number; accuracyLevel?: number },
): void {
  const { k, n } = weight;
  const q = quantizeBlockInt4(weight.data, k, n, options.blockSize);
  if (options.scale !== undefined && options.scale !== 1)
    for (let i = 0; i < q.scales.length; i++) q.scales[i]! *= options.scale;
  const packed = ctx.addInitializer(`${weight.name}_int4`, q.packed, [n, q.kBlocks, options.blockSize / 2]);
  const scales = ctx.addInitializer(`${weight.name}_int4_scale`, q.scales, [n, q.kBlocks]);
  ctx.requireOpset('com.microsoft', 1);
  ctx.addNode({
    op_type: 'MatMulNBits',
    domain: 'com.microsoft',
    name: `${node.name}_nbits`,
    input: options.bias ? [input, packed, scales, '', '', options.bias] : [input, packed, scales],
    output: [out],
    attribute: [
      intAttr('K', k),
      intAttr('N', n),
      intAttr('bits', 4),
      intAttr('block_size', options.blockSize),
      intAttr('accuracy_level', options.accuracyLevel ?? INT8_COMPUTE),
    ],
  });
}
