import type { NodeProto } from '@asrq/onnx';
import { attrNumber, intAttr, type GraphContext } from './graph-context.js';
import type { RewriteResult } from './dynamic.js';
import { uint8Params } from './quant-math.js';
import { constWeight, type WeightCache } from './weights.js';

/** A calibrated activation range. */
export interface Range {
  min: number;
  max: number;
}

/**
 * The activation tensors a node needs ranges for under static quantization: the float inputs that
 * are not constant weights, and for Conv its output (QLinearConv produces uint8 output, so the
 * DQ -> Conv -> Q pattern needs a calibrated Q after the Conv).
 *
 * @param ctx - The graph.
 * @param node - A Conv, MatMul or Gemm node.
 * @returns Tensor names to calibrate (possibly empty when the node cannot be quantized).
 */
export function tensorsToCalibrate(ctx: GraphContext, node: NodeProto): string[] {
  const inputs = node.input ?? [];
  switch (node.op_type) {
    case 'Conv':
      return constWeight(ctx, inputs[1]) ? [inputs[0]!, node.output![0]!] : [];
    case 'Gemm':
      return constWeight(ctx, inputs[1]) ? [inputs[0]!] : [];
    case 'MatMul':
      return constWeight(ctx, inputs[1]) ? [inputs[0]!] : [inputs[0]!, inputs[1]!];
    default:
      return [];
  }
}

/**
 * Rewrites nodes to QDQ form: uint8 QuantizeLinear/DequantizeLinear pairs on activations with
 * calibrated ranges, int8 symmetric weights behind a DequantizeLinear (per channel along the output
 * axis), int32 Conv bias. onnxruntime's CPU provider fuses DQ->Conv->Q into QLinearConv and
 * DQ,DQ->MatMul into MatMulIntegerToFloat at session creation.
 */
export class StaticRewriter {
  private readonly qdq = new Map<string, { dq: string; scale: number }>();

  constructor(
    private readonly ctx: GraphContext,
    private readonly weights: WeightCache,
    private readonly ranges: Map<string, Range>,
  ) {}

  /**
   * @param node - A Conv, MatMul or Gemm node.
   * @param perChannel - Per-output-channel weight scales.
   * @returns Whether it was rewritten.
   */
  rewrite(node: NodeProto, perChannel: boolean): RewriteResult {
    const skipped = this.skipReason(node);
    if (skipped !== undefined) return { status: 'skipped', reason: skipped };
    if (node.op_type === 'MatMul') return this.rewriteMatMul(node, perChannel);
    if (node.op_type === 'Gemm') return this.rewriteGemm(node, perChannel);
    return this.rewriteConv(node, perChannel);
  }

  /** Why `node` cannot be rewritten (unsupported op, non-constant weight, uncalibrated tensor), if it cannot. */
  private skipReason(node: NodeProto): string | undefined {
    const needs = tensorsToCalibrate(this.ctx, node);
    if (needs.length === 0) {
      return node.op_type === 'Conv' || node.op_type === 'Gemm' || node.op_type === 'MatMul'
        ? 'its weight is not a constant float tensor'
        : `static quantization supports Conv, MatMul and Gemm, not ${node.op_type}`;
    }
    const missing = needs.find((t) => !this.ranges.has(t));
    if (missing) return `no calibrated range for tensor "${missing}" (it was not observed during calibration)`;
    return undefined;
  }

  /** MatMul: Q/DQ on the activation, and on the weight (a 2-D constant) or the second activation. */
  private rewriteMatMul(node: NodeProto, perChannel: boolean): RewriteResult {
    const inputs = node.input!;
    const w = constWeight(this.ctx, inputs[1]);
    if (w && w.dims.length !== 2)
      return { status: 'skipped', reason: `its weight has rank ${w.dims.length}; only 2-D weights are quantized` };
    inputs[0] = this.activation(inputs[0]!).dq;
    inputs[1] = w ? this.weight(w.name, perChannel ? 1 : undefined) : this.activation(inputs[1]!).dq;
    return { status: 'quantized' };
  }

  /** Gemm: weight scales on the output axis (0 with transB, else 1) and an int32 bias when C is per output. */
  private rewriteGemm(node: NodeProto, perChannel: boolean): RewriteResult {
    const inputs = node.input!;
    const x = this.activation(inputs[0]!);
    const transB = attrNumber(node, 'transB', 0) !== 0;
    const w = constWeight(this.ctx, inputs[1])!;
    const axis = perChannel ? (transB ? 0 : 1) : undefined;
    const q = this.weights.get(w, w, axis, 'qdq');
    inputs[0] = x.dq;
    inputs[1] = this.dequantize(`${w.name}_dq`, q.values, q.scale, q.zeroPoint, axis);
    const c = constWeight(this.ctx, inputs[2]);
    const n = transB ? w.dims[0]! : w.dims[1]!;
    if (c && c.data.length === n) inputs[2] = this.int32Bias(c.name, c.data, x.scale, q.scales);
    return { status: 'quantized' };
  }

  /** Conv: weights [out, in/group, k...] with per-output-channel scales on axis 0, an int32 bias, Q/DQ on the output. */
  private rewriteConv(node: NodeProto, perChannel: boolean): RewriteResult {
    const inputs = node.input!;
    const x = this.activation(inputs[0]!);
    const w = constWeight(this.ctx, inputs[1])!;
    inputs[0] = x.dq;
    const q = this.weights.get(w, w, perChannel ? 0 : undefined, 'qdq');
    inputs[1] = this.dequantize(`${w.name}_dq`, q.values, q.scale, q.zeroPoint, perChannel ? 0 : undefined);
    const b = constWeight(this.ctx, inputs[2]);
    if (b) inputs[2] = this.int32Bias(b.name, b.data, x.scale, q.scales);
    this.quantizeOutput(node);
    return { status: 'quantized' };
  }

  /** Renames the node's first output and puts a QuantizeLinear/DequantizeLinear pair behind it under the old name. */
  private quantizeOutput(node: NodeProto): void {
    const out = node.output![0]!;
    const raw = this.ctx.unique(`${out}_prequant`);
    node.output![0] = raw;
    const range = this.ranges.get(out)!;
    const p = uint8Params(range.min, range.max);
    const scale = this.ctx.addInitializer(`${out}_scale`, Float32Array.of(p.scale), []);
    const zero = this.ctx.addInitializer(`${out}_zero_point`, Uint8Array.of(p.zeroPoint), []);
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
    this.qdq.set(out, { dq: out, scale: p.scale });
  }

  /**
   * An int32 bias with scale = input scale * weight scale (zero point 0) behind a DequantizeLinear:
   * the form onnxruntime's QLinearConv and QGemm fusions accept.
   */
  private int32Bias(name: string, data: Float32Array, inputScale: number, weightScales: Float32Array): string {
    const channels = data.length;
    const scales = new Float32Array(channels);
    const values = new Int32Array(channels);
    for (let c = 0; c < channels; c++) {
      scales[c] = inputScale * (weightScales.length === 1 ? weightScales[0]! : weightScales[c]!);
      values[c] = Math.round(data[c]! / scales[c]!);
    }
    const bq = this.ctx.addInitializer(`${name}_quantized`, values, [channels]);
    const bs = this.ctx.addInitializer(`${name}_scale`, scales, [channels]);
    const bz = this.ctx.addInitializer(`${name}_zero_point`, new Int32Array(channels), [channels]);
    return this.dequantize(`${name}_dq`, bq, bs, bz, 0);
  }

  private activation(tensor: string): { dq: string; scale: number } {
    const hit = this.qdq.get(tensor);
    if (hit) return hit;
    const range = this.ranges.get(tensor)!;
    const p = uint8Params(range.min, range.max);
    const scale = this.ctx.addInitializer(`${tensor}_scale`, Float32Array.of(p.scale), []);
    const zero = this.ctx.addInitializer(`${tensor}_zero_point`, Uint8Array.of(p.zeroPoint), []);
    const quantized = this.ctx.unique(`${tensor}_quantized`);
    this.ctx.addNode({
      op_type: 'QuantizeLinear',
      name: `${tensor}_QuantizeLinear`,
      input: [tensor, scale, zero],
      output: [quantized],
    });
    const dq = this.dequantize(`${tensor}_dequantized`, quantized, scale, zero, undefined);
    const entry = { dq, scale: p.scale };
    this.qdq.set(tensor, entry);
    return entry;
  }

  private weight(name: string, axis: number | undefined): string {
    const w = constWeight(this.ctx, name)!;
    const q = this.weights.get(w, w, axis, 'qdq');
    return this.dequantize(`${name}_dq`, q.values, q.scale, q.zeroPoint, axis);
  }

  private dequantize(base: string, values: string, scale: string, zero: string, axis: number | undefined): string {
    const out = this.ctx.unique(base);
    this.ctx.addNode({
      op_type: 'DequantizeLinear',
      name: `${base}_DequantizeLinear`,
      input: [values, scale, zero],
      output: [out],
      attribute: axis === undefined ? [] : [intAttr('axis', axis)],
    });
    return out;
  }
}
