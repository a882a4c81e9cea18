import { DataType } from '@asrq/onnx';
import { intAttr, type GraphContext } from '../graph-context.js';
import { emitReduceMax, emitRowQuantizeUint8, emitShape, emitUnsqueeze } from './opset-forms.js';

/** Names of the int8 product's inputs that {@link emitPerRowProduct} needs. */
export interface PerRowWeight {
  /** int8 weight [K, N]. */
  values: string;
  /** float weight scale, [N] or scalar. */
  scale: string;
}

/**
 * Appends an int8 product with one activation scale per row: the float input [..., K] is
 * flattened to rows, each row gets its own symmetric range (max |x| / 127), is quantized to
 * uint8 around a fixed zero point of 128 (so onnxruntime's u8 x s8 GEMM kernel runs it), multiplied
 * by the int8 weight, and the int32 result is scaled back per row and per output channel.
 *
 * One range per utterance (DynamicQuantizeLinear) wastes resolution when the input's scale varies
 * over time: in wav2vec2-base's feature encoder the loudest frame is ~60x the median frame, so
 * the quiet frames keep only a few levels. Per-row ranges fix that at the price of an unfused
 * chain (ReduceMax, QuantizeLinear, MatMulInteger, Cast, two Mul) instead of MatMulIntegerToFloat.
 *
 * @param ctx - The graph.
 * @param base - Name prefix for new nodes.
 * @param input - Float tensor [..., K] (e.g. im2col columns [B, T', K]).
 * @param k - Its last dimension.
 * @param weight - Quantized weight names.
 * @param out - Name of the float output [..., N].
 */
export function emitPerRowProduct(
  ctx: GraphContext,
  base: string,
  input: string,
  k: number,
  weight: PerRowWeight,
  out: string,
): void {
  const chain: Chain = { ctx, base, name: (suffix) => ctx.unique(`${input}_${suffix}`) };
  const { rows, rowScale } = emitRowScales(chain, input, k);
  const quantized = emitRowQuantize(chain, rows, rowScale);
  const product = emitIntegerProduct(chain, quantized, weight, rowScale);
  emitOutputReshape(chain, input, product, out);
}

/** What every step of the chain shares: the graph, the node-name prefix and the tensor namer. */
interface Chain {
  ctx: GraphContext;
  base: string;
  /** A new unique tensor name derived from the input's name. */
  name: (suffix: string) => string;
}

/** Flattens the input to rows [R, K] and computes each row's scale, max |x| / 127 (at least 1e-30). */
function emitRowScales({ ctx, base, name }: Chain, input: string, k: number): { rows: string; rowScale: string } {
  const rowsShape = ctx.addInitializer(`${base}_rows_shape`, BigInt64Array.from([-1n, BigInt(k)]), [2]);
  const rows = name('rows');
  ctx.addNode({ op_type: 'Reshape', name: `${base}_rows`, input: [input, rowsShape], output: [rows] });
  // max |x| per row as max(max x, -min x): two reading passes, where Abs would also write the whole tensor.
  const highest = name('row_highest');
  emitReduceMax(ctx, `${base}_row_highest`, rows, highest, [1], false);
  const lowest = name('row_lowest');
  emitReduceMax(ctx, `${base}_row_lowest`, rows, lowest, [1], false, 'ReduceMin');
  const negated = name('row_lowest_negated');
  ctx.addNode({ op_type: 'Neg', name: `${base}_row_lowest_neg`, input: [lowest], output: [negated] });
  const rowMax = name('row_max');
  ctx.addNode({ op_type: 'Max', name: `${base}_row_max`, input: [highest, negated], output: [rowMax] });
  // Silent rows (all zeros) get a tiny scale instead of 0, which QuantizeLinear would divide by.
  const scaled = name('row_scale_raw');
  ctx.addNode({
    op_type: 'Div',
    name: `${base}_row_scale_div`,
    input: [rowMax, ctx.addInitializer(`${base}_127`, Float32Array.of(127), [])],
    output: [scaled],
  });
  const rowScale = name('row_scale');
  ctx.addNode({
    op_type: 'Max',
    name: `${base}_row_scale`,
    input: [scaled, ctx.addInitializer(`${base}_tiny`, Float32Array.of(1e-30), [])],
    output: [rowScale],
  });
  return { rows, rowScale };
}

/** Quantizes each row to uint8 with its own scale around a zero point of 128 (in the form the opset has). */
function emitRowQuantize({ ctx, base, name }: Chain, rows: string, rowScale: string): string {
  const quantized = name('row_quantized');
  emitRowQuantizeUint8(ctx, base, rows, rowScale, quantized);
  return quantized;
}

/** u8 x s8 MatMulInteger, then the int32 result back to float, scaled per row and per output channel. */
function emitIntegerProduct(
  { ctx, base, name }: Chain,
  quantized: string,
  weight: PerRowWeight,
  rowScale: string,
): string {
  const integer = name('row_int32');
  ctx.addNode({
    op_type: 'MatMulInteger',
    name: `${base}_quant`,
    input: [
      quantized,
      weight.values,
      ctx.addInitializer(`${base}_a_zero_point`, Uint8Array.of(128), []),
      ctx.addInitializer(`${base}_b_zero_point`, new Int8Array(1), []),
    ],
    output: [integer],
  });
  const asFloat = name('row_float');
  ctx.addNode({
    op_type: 'Cast',
    name: `${base}_cast`,
    input: [integer],
    output: [asFloat],
    attribute: [intAttr('to', DataType.FLOAT)],
  });
  const column = name('row_scale_column');
  emitUnsqueeze(ctx, `${base}_row_scale_column`, rowScale, column, [1]);
  const byRow = name('row_scaled');
  ctx.addNode({ op_type: 'Mul', name: `${base}_row_mul`, input: [asFloat, column], output: [byRow] });
  const byColumn = name('col_scaled');
  ctx.addNode({ op_type: 'Mul', name: `${base}_col_mul`, input: [byRow, weight.scale], output: [byColumn] });
  return byColumn;
}

/** Back to the input's leading dimensions: [..., K] -> [..., N]. */
function emitOutputReshape({ ctx, base, name }: Chain, input: string, product: string, out: string): void {
  const leading = name('leading_shape');
  emitShape(ctx, `${base}_leading`, input, leading, { end: -1 });
  const outShape = name('out_shape');
  ctx.addNode({
    op_type: 'Concat',
    name: `${base}_out_shape`,
    input: [leading, ctx.addInitializer(`${base}_minus_one`, BigInt64Array.from([-1n]), [1])],
    output: [outShape],
    attribute: [intAttr('axis', 0)],
  });
  ctx.addNode({ op_type: 'Reshape', name: `${base}_unrows`, input: [product, outShape], output: [out] });
}
