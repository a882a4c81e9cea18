import type { NodeProto } from '@asrq/onnx';
import type { GraphContext } from '../graph-context.js';
import { uint8Params } from '../quant-math.js';
import type { Range } from '../range.js';
import type { ConstWeight, WeightCache } from '../weights.js';
import { emitDequantize } from './opset-forms.js';

/** A tensor behind a QuantizeLinear/DequantizeLinear pair: the dequantized name and its scale. */
export interface QdqTensor {
  dq: string;
  scale: number;
}

/**
 * Emits QDQ (static) form: uint8 QuantizeLinear/DequantizeLinear pairs on activations with
 * calibrated ranges (one pair per tensor, shared by every reader), int8 symmetric weights behind a
 * DequantizeLinear, int32 biases. onnxruntime's CPU provider fuses DQ->Conv->Q into QLinearConv and
 * DQ,DQ->MatMul into MatMulIntegerToFloat at session creation.
 */
export class QdqEmitter {
  private readonly pairs = new Map<string, QdqTensor>();

  constructor(
    private readonly ctx: GraphContext,
    private readonly weights: WeightCache,
    private readonly ranges: Map<string, Range>,
  ) {}

  /** The calibrated range of a tensor, if it was observed. */
  range(tensor: string): Range | undefined {
    return this.ranges.get(tensor);
  }

  /** Q/DQ on an activation with its calibrated range (once per tensor). */
  activation(tensor: string): QdqTensor {
    const hit = this.pairs.get(tensor);
    if (hit) return hit;
    const { scale, zero, p } = this.params(tensor);
    const quantized = this.ctx.unique(`${tensor}_quantized`);
    this.ctx.addNode({
      op_type: 'QuantizeLinear',
      name: `${tensor}_QuantizeLinear`,
      input: [tensor, scale, zero],
      output: [quantized],
    });
    const dq = emitDequantize(this.ctx, `${tensor}_dequantized`, quantized, scale, zero, undefined);
    const entry = { dq, scale: p.scale };
    this.pairs.set(tensor, entry);
    return entry;
  }

  /** Renames the node's first output and puts a QuantizeLinear/DequantizeLinear pair behind it under the old name. */
  output(node: NodeProto): void {
    const out = node.output![0]!;
    const raw = this.ctx.unique(`${out}_prequant`);
    node.output![0] = raw;
    const { scale, zero, p } = this.params(out);
    const quantized = this.ctx.unique(`${out}_quantized`);
    this.ctx.addNode({
      op_type: 'QuantizeLinear',
      name: `${out}_QuantizeLinear`,
      input: [raw, scale, zero],
      output: [quantized],
    });
    this.ctx.addNode({
      op_type: 'DequantizeLinear',
      name: `${out}_DequantizeLinear`,
      input: [quantized, scale, zero],
      output: [out],
    });
    // A following static node reading this output must not stack a second Q/DQ pair on it.
    this.pairs.set(out, { dq: out, scale: p.scale });
  }

  /**
   * An int8 symmetric weight behind a DequantizeLinear.
   * @param w - The float weight.
   * @param axis - Channel axis for per-channel scales (needs opset 13), undefined for one scale.
   * @returns The dequantized name and the float scales (for bias scales).
   */
  weight(w: ConstWeight, axis: number | undefined): { dq: string; scales: Float32Array } {
    const q = this.weights.get(w, w, axis, 'qdq');
    return { dq: emitDequantize(this.ctx, `${w.name}_dq`, q.values, q.scale, q.zeroPoint, axis), scales: q.scales };
  }

  /**
   * An int32 bias with scale = input scale * weight scale (zero point 0) behind a DequantizeLinear:
   * the form onnxruntime's QLinearConv and QGemm fusions accept. One scale when the weight has one
   * (valid at every opset), else one per channel (opset 13).
   */
  int32Bias(name: string, data: Float32Array, inputScale: number, weightScales: Float32Array): string {
    const channels = data.length;
    const perTensor = weightScales.length === 1;
    const scales = new Float32Array(perTensor ? 1 : channels);
    const values = new Int32Array(channels);
    for (let c = 0; c < scales.length; c++) scales[c] = inputScale * weightScales[c]!;
    for (let c = 0; c < channels; c++) values[c] = Math.round(data[c]! / scales[perTensor ? 0 : c]!);
    const bq = this.ctx.addInitializer(`${name}_quantized`, values, [channels]);
    const dims = perTensor ? [] : [channels];
    const bs = this.ctx.addInitializer(`${name}_scale`, scales, dims);
    const bz = this.ctx.addInitializer(`${name}_zero_point`, new Int32Array(scales.length), dims);
    return emitDequantize(this.ctx, `${name}_dq`, bq, bs, bz, perTensor ? undefined : 0);
  }

  private params(tensor: string) {
    const range = this.ranges.get(tensor)!;
    const p = uint8Params(range.min, range.max);
    const scale = this.ctx.addInitializer(`${tensor}_scale`, Float32Array.of(p.scale), []);
    const zero = this.ctx.addInitializer(`${tensor}_zero_point`, Uint8Array.of(p.zeroPoint), []);
    return { scale, zero, p };
  }
}
