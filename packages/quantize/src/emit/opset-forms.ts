import { DataType } from '@asrq/onnx';
import { intAttr, type GraphContext } from '../graph-context.js';

/**
 * Emitters of the nodes whose form depends on the model's ai.onnx opset. Each writes the form
 * valid at `ctx.opset`, so a rewrite never changes a model's opset and never emits a node its
 * opset does not define:
 *
 * | node | older form | newer form (from opset) |
 * |---|---|---|
 * | Shape with start/end | Shape, then Slice of the shape | attributes (15) |
 * | ReduceMax | `axes` attribute | `axes` input (18) |
 * | Unsqueeze | `axes` attribute | `axes` input (13) |
 * | QuantizeLinear with one scale per row | Div, Round, Add, Clip, Cast | `axis` with a 1-D scale (13) |
 * | DequantizeLinear with one scale per channel | — (refused: {@link OpsetTooLow}) | `axis` (13) |
 */

/** The opsets where the newer forms start. */
export const OPSET = {
  shapeRange: 15,
  reduceAxesInput: 18,
  unsqueezeAxesInput: 13,
  perAxisQuantize: 13,
  dynamicQuantizeLinear: 11,
  quantizeLinear: 10,
} as const;

/** Thrown by an emitter when no form of what it must write exists at the model's opset. */
export class OpsetTooLow extends Error {
  constructor(
    readonly needed: number,
    readonly what: string,
  ) {
    super(`${what} needs ai.onnx opset ${needed}`);
  }
}

/**
 * Throws {@link OpsetTooLow} when the model's opset is below `needed`.
 * @param ctx - The graph.
 * @param needed - The opset the form needs.
 * @param what - The form, for the message.
 */
export function requireOpset(ctx: GraphContext, needed: number, what: string): void {
  if (ctx.opset < needed) throw new OpsetTooLow(needed, what);
}

const int64 = (ctx: GraphContext, base: string, values: number[]): string =>
  ctx.addInitializer(base, BigInt64Array.from(values.map(BigInt)), [values.length]);

/**
 * Appends the shape of `input`, optionally cut to dims [start, end) (negative from the end).
 * @param ctx - The graph.
 * @param base - Node name prefix.
 * @param input - Tensor name.
 * @param out - Output tensor name.
 * @param range - Dims to keep.
 */
export function emitShape(
  ctx: GraphContext,
  base: string,
  input: string,
  out: string,
  range: { start?: number; end?: number } = {},
): void {
  const whole = range.start === undefined && range.end === undefined;
  if (whole || ctx.opset >= OPSET.shapeRange) {
    const attribute = [];
    if (range.start !== undefined) attribute.push(intAttr('start', range.start));
    if (range.end !== undefined) attribute.push(intAttr('end', range.end));
    ctx.addNode({ op_type: 'Shape', name: `${base}_shape`, input: [input], output: [out], attribute });
    return;
  }
  const full = ctx.unique(`${out}_full`);
  ctx.addNode({ op_type: 'Shape', name: `${base}_shape`, input: [input], output: [full] });
  const starts = int64(ctx, `${base}_shape_start`, [range.start ?? 0]);
  const ends = int64(ctx, `${base}_shape_end`, [range.end ?? 2 ** 53 - 1]);
  ctx.addNode({ op_type: 'Slice', name: `${base}_shape_slice`, input: [full, starts, ends], output: [out] });
}

/**
 * Appends a ReduceMax (or another Reduce op, `op`) over `axes`.
 * @param ctx - The graph.
 * @param base - Node name prefix.
 * @param input - Tensor name.
 * @param out - Output tensor name.
 * @param axes - Axes to reduce.
 * @param keepdims - Keep reduced axes as size 1.
 * @param op - ReduceMax (default) or ReduceMin.
 */
export function emitReduceMax(
  ctx: GraphContext,
  base: string,
  input: string,
  out: string,
  axes: number[],
  keepdims: boolean,
  op: 'ReduceMax' | 'ReduceMin' = 'ReduceMax',
): void {
  const keep = intAttr('keepdims', keepdims ? 1 : 0);
  if (ctx.opset >= OPSET.reduceAxesInput) {
    const axesInput = int64(ctx, `${base}_axes`, axes);
    ctx.addNode({ op_type: op, name: base, input: [input, axesInput], output: [out], attribute: [keep] });
  } else {
    ctx.addNode({
      op_type: op,
      name: base,
      input: [input],
      output: [out],
      attribute: [{ name: 'axes', type: 7, ints: axes }, keep],
    });
  }
}

/**
 * Appends Unsqueeze of `input` at `axes`.
 * @param ctx - The graph.
 * @param base - Node name.
 * @param input - Tensor name.
 * @param out - Output tensor name.
 * @param axes - New axes.
 */
export function emitUnsqueeze(ctx: GraphContext, base: string, input: string, out: string, axes: number[]): void {
  if (ctx.opset >= OPSET.unsqueezeAxesInput) {
    ctx.addNode({ op_type: 'Unsqueeze', name: base, input: [input, int64(ctx, `${base}_axes`, axes)], output: [out] });
  } else {
    ctx.addNode({
      op_type: 'Unsqueeze',
      name: base,
      input: [input],
      output: [out],
      attribute: [{ name: 'axes', type: 7, ints: axes }],
    });
  }
}

/**
 * Appends the uint8 quantization of a [R, K] float tensor with one scale per row and a zero point
 * of 128: QuantizeLinear with `axis` 0 from opset 13, and below it the same arithmetic spelt out
 * (x / scale, Round half to even, + 128, Clip to [0, 255], Cast), which gives the same bytes.
 * @param ctx - The graph.
 * @param base - Node name prefix.
 * @param rows - The [R, K] float tensor.
 * @param rowScale - Its [R] scales.
 * @param out - The [R, K] uint8 output.
 */
export function emitRowQuantizeUint8(
  ctx: GraphContext,
  base: string,
  rows: string,
  rowScale: string,
  out: string,
): void {
  const name = (suffix: string): string => ctx.unique(`${rows}_${suffix}`);
  if (ctx.opset >= OPSET.perAxisQuantize) {
    const rowCount = name('row_count');
    emitShape(ctx, `${base}_row_count`, rowScale, rowCount);
    const zeroPoints = name('row_zero_point');
    ctx.addNode({
      op_type: 'Expand',
      name: `${base}_row_zero_point`,
      input: [ctx.addInitializer(`${base}_128`, Uint8Array.of(128), []), rowCount],
      output: [zeroPoints],
    });
    ctx.addNode({
      op_type: 'QuantizeLinear',
      name: `${base}_row_quantize`,
      input: [rows, rowScale, zeroPoints],
      output: [out],
      attribute: [intAttr('axis', 0)],
    });
    return;
  }
  requireOpset(ctx, 11, 'per-row quantization (Round, Clip with min/max inputs)');
  const column = name('row_scale_for_quantize');
  emitUnsqueeze(ctx, `${base}_row_scale_for_quantize`, rowScale, column, [1]);
  const divided = name('row_divided');
  ctx.addNode({ op_type: 'Div', name: `${base}_row_divide`, input: [rows, column], output: [divided] });
  const rounded = name('row_rounded');
  ctx.addNode({ op_type: 'Round', name: `${base}_row_round`, input: [divided], output: [rounded] });
  const shifted = name('row_shifted');
  const f = (v: number, suffix: string): string => ctx.addInitializer(`${base}_${suffix}`, Float32Array.of(v), []);
  ctx.addNode({ op_type: 'Add', name: `${base}_row_shift`, input: [rounded, f(128, 'f128')], output: [shifted] });
  const clipped = name('row_clipped');
  ctx.addNode({
    op_type: 'Clip',
    name: `${base}_row_clip`,
    input: [shifted, f(0, 'f0'), f(255, 'f255')],
    output: [clipped],
  });
  ctx.addNode({
    op_type: 'Cast',
    name: `${base}_row_to_uint8`,
    input: [clipped],
    output: [out],
    attribute: [intAttr('to', DataType.UINT8)],
  });
}

/**
 * Appends a DequantizeLinear; `axis` (a scale per channel) needs opset 13.
 * @param ctx - The graph.
 * @param base - Node and output name base.
 * @param values - Quantized tensor.
 * @param scale - Scale (scalar, or 1-D with `axis`).
 * @param zeroPoint - Zero point of the same shape.
 * @param axis - Channel axis of a 1-D scale, undefined for one scale.
 * @returns The dequantized tensor's name.
 * @throws OpsetTooLow for a per-channel scale below opset 13.
 */
export function emitDequantize(
  ctx: GraphContext,
  base: string,
  values: string,
  scale: string,
  zeroPoint: string,
  axis: number | undefined,
): string {
  requireOpset(ctx, axis === undefined ? OPSET.quantizeLinear : OPSET.perAxisQuantize, 'DequantizeLinear per channel');
  const out = ctx.unique(base);
  ctx.addNode({
    op_type: 'DequantizeLinear',
    name: `${base}_DequantizeLinear`,
    input: [values, scale, zeroPoint],
    output: [out],
    attribute: axis === undefined ? [] : [intAttr('axis', axis)],
  });
  return out;
}
