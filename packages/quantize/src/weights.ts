import { DataType, floatData, tensorDims } from '@asrq/onnx';
import type { GraphContext } from './graph-context.js';
import { quantizeSymmetricInt8 } from './quant-math.js';

/** A constant float weight found among the initializers. */
export interface ConstWeight {
  name: string;
  data: Float32Array;
  dims: number[];
}

/**
 * The float initializer behind a node input, or undefined when the input is computed at run time
 * (an activation) or is not float.
 */
export function constWeight(ctx: GraphContext, input: string | undefined): ConstWeight | undefined {
  if (!input) return undefined;
  const t = ctx.initializers.get(input);
  if (!t || t.data_type !== DataType.FLOAT || t.data_location === 1) return undefined;
  return { name: input, data: floatData(t), dims: tensorDims(t) };
}

/** Transposes a row-major 2-D matrix. */
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
