import { DataType, floatData, tensorDims, type TensorProto } from '@asrq/onnx';
import type { GraphContext } from './graph-context.js';
import { quantizeSymmetricInt8 } from './quant-math.js';

/** A constant float weight found among the initializers. */
export interface ConstWeight {
  name: string;
  data: Float32Array;
  dims: number[];
}

/** The float tensor behind a name: an initializer, a Constant node's value, or either seen through an Identity. */
function constantTensor(ctx: GraphContext, input: string): { name: string; tensor: TensorProto } | undefined {
  const t = ctx.initializers.get(input);
  if (t) return { name: input, tensor: t };
  const producer = ctx.producers.get(input);
  if (producer?.op_type === 'Identity' && (producer.domain ?? '') === '' && producer.input?.[0])
    return constantTensor(ctx, producer.input[0]);
  if (producer?.op_type === 'Constant' && (producer.domain ?? '') === '') {
    const value = producer.attribute?.find((a) => a.name === 'value')?.t;
    if (value) return { name: input, tensor: value };
  }
  return undefined;
}

/**
 * The constant float weight behind a node input (an initializer, a Constant node, or one of them
 * behind an Identity, as torch exports shared parameters), or undefined when the input is computed
 * at run time (an activation) or is not float32.
 * @param ctx - The graph.
 * @param input - The node input.
 * @returns Its name, values and dims, or undefined.
 */
export function constWeight(ctx: GraphContext, input: string | undefined): ConstWeight | undefined {
  if (!input) return undefined;
  const found = constantTensor(ctx, input);
  if (!found || found.tensor.data_type !== DataType.FLOAT || found.tensor.data_location === 1) return undefined;
  return { name: found.name, data: floatData(found.tensor), dims: tensorDims(found.tensor) };
}

/**
 * Whether a node input is a constant float weight (float32, or float16 before a float16 model is
 * made float32), without reading its values: what checks made before {@link upcastFloat16} ask.
 * @param ctx - The graph.
 * @param input - The node input.
 * @returns Whether it is a constant float tensor.
 */
export function isConstantWeight(ctx: GraphContext, input: string | undefined): boolean {
  const found = input ? constantTensor(ctx, input) : undefined;
  const type = found?.tensor.data_type;
  return (
    found !== undefined && found.tensor.data_location !== 1 && (type === DataType.FLOAT || type === DataType.FLOAT16)
  );
}

/**
 * Why a node input that should be a weight is not a constant float weight, in words for the report:
 * already quantized (behind a DequantizeLinear), another data type, or an activation.
 * @param ctx - The graph.
 * @param input - The node input.
 * @param what - How to call the input (`its second input`, `its weight`).
 * @returns The reason.
 */
export function weightProblem(ctx: GraphContext, input: string | undefined, what: string): string {
  if (!input) return `${what} is missing`;
  const producer = ctx.producers.get(input);
  if (producer?.op_type === 'DequantizeLinear')
    return `already quantized: ${what} comes from a DequantizeLinear (a QDQ model); asrq leaves quantized weights as they are`;
  const found = constantTensor(ctx, input);
  if (found) return `${what} is a constant of data type ${found.tensor.data_type}, not float32`;
  return `${what} is computed at run time (an activation, not a constant weight)`;
}

/**
 * Transposes a row-major 2-D matrix.
 * @param data - Values, row-major [rows, cols].
 * @param rows - Rows.
 * @param cols - Columns.
 * @returns Row-major [cols, rows].
 */
export function transpose2d(data: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(data.length);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = data[r * cols + c]!;
  return out;
}

/** Names of a quantized weight's initializers. */
export interface QuantizedWeightNames {
  values: string;
  scale: string;
  zeroPoint: string;
  /** The float scales (for folding into bias scales). */
  scales: Float32Array;
}

/**
 * Quantizes a weight to symmetric int8 once per (weight, layout, granularity): shared weights
 * (tied projections) get one int8 copy that every user reads.
 */
export class WeightCache {
  private readonly cache = new Map<string, QuantizedWeightNames>();
  constructor(private readonly ctx: GraphContext) {}

  /**
   * @param weight - The float weight.
   * @param layout - Data already laid out as it will be stored (e.g. transposed), with dims.
   * @param axis - Channel axis for per-channel scales, undefined for per-tensor.
   * @param variant - Distinguishes layouts of the same source weight in the cache key.
   * @param scaleDims - Dims of the stored scale/zero-point tensors (default [channels] or []).
   * @param scalarZeroPoint - Store the (all-zero, symmetric) zero point as one scalar even with
   *   per-channel scales. The integer MatMul kernels take the zero point apart from the scales
   *   (which asrq applies after the product), and a per-column zero point vector sends onnxruntime's
   *   GEMM down its per-column zero-point path; onnxruntime's own quantizer writes a scalar too.
   */
  get(
    weight: ConstWeight,
    layout: { data: Float32Array; dims: number[] },
    axis: number | undefined,
    variant: string,
    scaleDims?: number[],
    scalarZeroPoint = false,
  ): QuantizedWeightNames {
    const key = `${weight.name}|${variant}|${axis ?? 'tensor'}|${scaleDims?.join('x') ?? ''}|${scalarZeroPoint}`;
    const hit = this.cache.get(key);
    if (hit) return hit;
    const { values, scales } = quantizeSymmetricInt8(layout.data, layout.dims, axis);
    const dims = scaleDims ?? (axis === undefined ? [] : [scales.length]);
    const names: QuantizedWeightNames = {
      values: this.ctx.addInitializer(`${weight.name}_quantized`, values, layout.dims),
      scale: this.ctx.addInitializer(`${weight.name}_scale`, scales, dims),
      zeroPoint: scalarZeroPoint
        ? this.ctx.addInitializer(`${weight.name}_zero_point`, new Int8Array(1), [])
        : this.ctx.addInitializer(`${weight.name}_zero_point`, new Int8Array(scales.length), dims),
      scales,
    };
    this.cache.set(key, names);
    return names;
  }
}
