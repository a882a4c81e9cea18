import { toNumber, type NodeProto } from '@asrq/onnx';
import { attrNumber, type GraphContext } from '../graph-context.js';
import { constWeight, type ConstWeight } from '../weights.js';
import { requireOpset } from './opset-forms.js';

/** The geometry of a 1-D convolution that {@link planConvAsMatMul} accepts. */
export interface Conv1dShape {
  outChannels: number;
  inChannels: number;
  kernel: number;
  stride: number;
  padBegin: number;
  padEnd: number;
  weight: ConstWeight;
}

function ints(node: NodeProto, name: string): number[] | undefined {
  const a = node.attribute?.find((x) => x.name === name);
  return a?.ints?.map((v) => toNumber(v));
}

/**
 * Checks whether a Conv node can become im2col + MatMul: 1-D, one group, no dilation, explicit
 * padding, constant weight with more than one input channel (a convolution over a single channel,
 * such as wav2vec2's first layer over raw samples, has a contraction of only `kernel` values: an
 * int8 product cannot pay for quantizing its input, so it stays a float Conv).
 *
 * @param ctx - The graph.
 * @param node - A Conv node.
 * @returns The geometry, or the reason it is left alone.
 */
export function planConvAsMatMul(ctx: GraphContext, node: NodeProto): Conv1dShape | { reason: string } {
  const weight = constWeight(ctx, node.input?.[1]);
  if (!weight) return { reason: 'its weight is not a constant float tensor' };
  if (weight.dims.length !== 3)
    return { reason: `only 1-D convolutions become MatMul (weight rank ${weight.dims.length})` };
  if (attrNumber(node, 'group', 1) !== 1)
    return { reason: 'grouped convolutions stay Conv (one MatMul per group would be needed)' };
  const autoPad = node.attribute?.find((a) => a.name === 'auto_pad');
  if (autoPad?.s && new TextDecoder().decode(autoPad.s) !== 'NOTSET')
    return { reason: 'auto_pad is not supported; re-export with explicit pads' };
  if ((ints(node, 'dilations') ?? [1]).some((d) => d !== 1)) return { reason: 'dilated convolutions stay Conv' };
  const [outChannels, inChannels, kernel] = weight.dims as [number, number, number];
  if (inChannels === 1)
    return { reason: 'one input channel: the contraction is only the kernel width, so the Conv stays float' };
  const pads = ints(node, 'pads') ?? [0, 0];
  return {
    outChannels,
    inChannels,
    kernel,
    stride: (ints(node, 'strides') ?? [1])[0]!,
    padBegin: pads[0] ?? 0,
    padEnd: pads[1] ?? 0,
    weight,
  };
}

/**
 * The weight of a Conv1d as a [kernel * inChannels, outChannels] matrix whose row `j * C + c` holds
 * tap j of input channel c, matching the column order {@link emitColumns} builds.
 * @param shape - From {@link planConvAsMatMul}.
 * @returns The matrix and its dims.
 */
export function convWeightAsMatrix(shape: Conv1dShape): { data: Float32Array; dims: number[] } {
  const { outChannels: o, inChannels: c, kernel: k, weight } = shape;
  const out = new Float32Array(o * c * k);
  for (let oi = 0; oi < o; oi++)
    for (let ci = 0; ci < c; ci++)
      for (let j = 0; j < k; j++) out[(j * c + ci) * o + oi] = weight.data[(oi * c + ci) * k + j]!;
  return { data: out, dims: [k * c, o] };
}

/**
 * Appends Transpose [B, C, T] -> [B, T, C], then the zero padding along time.
 * @param ctx - The graph.
 * @param node - The Conv.
 * @param shape - Its geometry.
 * @returns The name of the [B, T + pads, C] tensor.
 */
export function emitTimeMajor(ctx: GraphContext, node: NodeProto, shape: Conv1dShape): string {
  const x = node.input![0]!;
  const base = node.name ?? 'conv';
  const t = ctx.unique(`${x}_time_major`);
  ctx.addNode({
    op_type: 'Transpose',
    name: `${base}_to_time_major`,
    input: [x],
    output: [t],
    attribute: [{ name: 'perm', type: 7, ints: [0, 2, 1] }],
  });
  if (shape.padBegin === 0 && shape.padEnd === 0) return t;
  requireOpset(ctx, 11, 'Pad with its pads as an input');
  const pads = ctx.addInitializer(
    `${base}_pads`,
    BigInt64Array.from([0n, BigInt(shape.padBegin), 0n, 0n, BigInt(shape.padEnd), 0n]),
    [6],
  );
  const padded = ctx.unique(`${t}_padded`);
  ctx.addNode({ op_type: 'Pad', name: `${base}_pad`, input: [t, pads], output: [padded] });
  return padded;
}

/**
 * Appends the im2col of a time-major [B, T, C] tensor (float or already quantized uint8): one
 * strided Slice per kernel tap, concatenated on the channel axis into [B, T', kernel * C] with
 * T' = floor((T - kernel) / stride) + 1, the Conv's output length.
 * @param ctx - The graph.
 * @param node - The Conv.
 * @param shape - Its geometry.
 * @param timeMajor - The [B, T, C] tensor.
 * @returns The name of the columns tensor.
 */
export function emitColumns(ctx: GraphContext, node: NodeProto, shape: Conv1dShape, timeMajor: string): string {
  const { kernel: k, stride: s } = shape;
  if (k === 1 && s === 1) return timeMajor;
  const base = node.name ?? 'conv';
  const axes = ctx.addInitializer(`${base}_im2col_axes`, BigInt64Array.from([1n]), [1]);
  const steps = ctx.addInitializer(`${base}_im2col_steps`, BigInt64Array.from([BigInt(s)]), [1]);
  const taps: string[] = [];
  for (let j = 0; j < k; j++) {
    // Tap j reads x[j + s * t] for t < T'; ending k-1-j before the end keeps exactly T' rows.
    const starts = ctx.addInitializer(`${base}_im2col_start${j}`, BigInt64Array.from([BigInt(j)]), [1]);
    const end = j === k - 1 ? 2n ** 62n : BigInt(j - (k - 1));
    const ends = ctx.addInitializer(`${base}_im2col_end${j}`, BigInt64Array.from([end]), [1]);
    const tap = ctx.unique(`${timeMajor}_tap${j}`);
    ctx.addNode({
      op_type: 'Slice',
      name: `${base}_im2col_tap${j}`,
      input: [timeMajor, starts, ends, axes, steps],
      output: [tap],
    });
    taps.push(tap);
  }
  if (taps.length === 1) return taps[0]!;
  const columns = ctx.unique(`${timeMajor}_columns`);
  ctx.addNode({
    op_type: 'Concat',
    name: `${base}_im2col`,
    input: taps,
    output: [columns],
    attribute: [{ name: 'axis', type: 2, i: 2 }],
  });
  return columns;
}

/**
 * Appends the bias Add (if any) and the Transpose of [B, T', O] back to the Conv's [B, O, T'] output.
 * @param ctx - The graph.
 * @param node - The Conv (its bias and output name).
 * @param product - The [B, T', O] product.
 */
export function emitChannelsFirst(ctx: GraphContext, node: NodeProto, product: string): void {
  const base = node.name ?? 'conv';
  let y = product;
  const b = node.input?.[2];
  if (b) {
    y = ctx.unique(`${product}_bias`);
    ctx.addNode({ op_type: 'Add', name: `${base}_bias`, input: [product, b], output: [y] });
  }
  ctx.addNode({
    op_type: 'Transpose',
    name: `${base}_to_channels_first`,
    input: [y],
    output: [node.output![0]!],
    attribute: [{ name: 'perm', type: 7, ints: [0, 2, 1] }],
  });
}

/**
 * Rewrites one Conv1d as float im2col + MatMul with the same output (for testing and as the
 * float half of the int8 rewrite).
 * @param ctx - The graph.
 * @param node - The Conv (the caller removes it from the graph).
 * @param shape - From {@link planConvAsMatMul}.
 */
export function rewriteConvAsFloatMatMul(ctx: GraphContext, node: NodeProto, shape: Conv1dShape): void {
  const columns = emitColumns(ctx, node, shape, emitTimeMajor(ctx, node, shape));
  const matrix = convWeightAsMatrix(shape);
  const w = ctx.addInitializer(`${shape.weight.name}_as_matmul`, matrix.data, matrix.dims);
  const product = ctx.unique(`${node.output![0]}_matmul`);
  ctx.addNode({ op_type: 'MatMul', name: `${node.name}_as_matmul`, input: [columns, w], output: [product] });
  emitChannelsFirst(ctx, node, product);
}
