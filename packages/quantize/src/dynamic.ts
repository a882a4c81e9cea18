import { DataType, type NodeProto } from '@asrq/onnx';
import { QuantizeError } from './errors.js';
import { attrNumber, intAttr, type GraphContext } from './graph-context.js';
import type { DynamicFormat } from './plan.js';
import { constWeight, transpose2d, type WeightCache } from './weights.js';
import { emitPerRowProduct } from './per-row-activations.js';
import {
  convWeightAsMatrix,
  emitChannelsFirst,
  emitColumns,
  emitTimeMajor,
  planConvAsMatMul,
} from './conv-as-matmul.js';

/** Options of one dynamic rewrite. */
export interface DynamicOptions {
  perChannel: boolean;
  format: DynamicFormat;
  /** Conv1d as im2col + MatMulInteger instead of ConvInteger (see conv-as-matmul.ts). */
  convAsMatMul?: boolean;
  /** With convAsMatMul: one activation range per tensor (default) or per row (per-row-activations.ts). */
  activationScale?: 'tensor' | 'row';
}

/** Result of trying to rewrite one node: done, or left alone with a reason. */
export type RewriteResult = { status: 'quantized' } | { status: 'skipped'; reason: string };

/**
 * Rewrites nodes to run-time-quantized int8 kernels. Activations are quantized per tensor to
 * uint8 by DynamicQuantizeLinear, once per activation tensor even when several MatMuls read it
 * (q/k/v projections share their LayerNorm output).
 */
export class DynamicRewriter {
  private readonly quantizedActivations = new Map<string, [string, string, string]>();

  constructor(
    private readonly ctx: GraphContext,
    private readonly weights: WeightCache,
    private readonly removed: Set<NodeProto>,
  ) {}

  /**
   * @param node - A MatMul, Gemm or Conv node.
   * @param options - Granularity and operator pattern.
   * @returns Whether it was rewritten.
   * @throws QuantizeError `QUANT_UNSUPPORTED_NODE` for Gemm with transA=1.
   */
  rewrite(node: NodeProto, options: DynamicOptions): RewriteResult {
    switch (node.op_type) {
      case 'MatMul':
        return this.matmul(node, options);
      case 'Gemm':
        return this.gemm(node, options);
      case 'Conv':
        return this.conv(node, options);
      default:
        return {
          status: 'skipped',
          reason: `dynamic quantization supports MatMul, Gemm and Conv, not ${node.op_type}`,
        };
    }
  }

  private matmul(node: NodeProto, options: DynamicOptions): RewriteResult {
    const w = constWeight(this.ctx, node.input?.[1]);
    if (!w)
      return {
        status: 'skipped',
        reason:
          'its second input is not a constant float weight (activation x activation MatMul): use a static rule to quantize it',
      };
    if (w.dims.length !== 2)
      return { status: 'skipped', reason: `its weight has rank ${w.dims.length}; only 2-D weights are quantized` };
    const q = this.weights.get(w, w, options.perChannel ? 1 : undefined, 'kn', undefined, true);
    this.emit(node, node.input![0]!, q, node.output![0]!, undefined, options.format);
    return { status: 'quantized' };
  }

  private gemm(node: NodeProto, options: DynamicOptions): RewriteResult {
    const name = node.name ?? '';
    if (attrNumber(node, 'transA', 0) !== 0) {
      throw new QuantizeError(
        'QUANT_UNSUPPORTED_NODE',
        `Gemm node "${name}" has transA=1, which the int8 MatMul kernels do not support. Exclude it (mode float) or re-export without transposing A.`,
        { location: name },
      );
    }
    const w = constWeight(this.ctx, node.input?.[1]);
    if (!w) return { status: 'skipped', reason: 'its B input is not a constant float weight' };
    if (w.dims.length !== 2) return { status: 'skipped', reason: `its weight has rank ${w.dims.length}` };
    const transB = attrNumber(node, 'transB', 0) !== 0;
    const [rows, cols] = w.dims as [number, number];
    const layout = transB ? { data: transpose2d(w.data, rows, cols), dims: [cols, rows] } : w;
    const alpha = attrNumber(node, 'alpha', 1);
    const beta = attrNumber(node, 'beta', 1);
    let q = this.weights.get(w, layout, options.perChannel ? 1 : undefined, transB ? 'nk->kn' : 'kn', undefined, true);
    if (alpha !== 1) {
      // alpha folds into the weight scale, so the int8 kernel computes alpha * A * B directly.
      const scaled = q.scales.map((s) => s * alpha);
      q = {
        ...q,
        scales: scaled,
        scale: this.ctx.addInitializer(`${w.name}_scale_alpha`, scaled, options.perChannel ? [scaled.length] : []),
      };
    }
    let bias: string | undefined;
    const c = node.input?.[2];
    if (c) {
      const cw = constWeight(this.ctx, c);
      const n = layout.dims[1]!;
      if (cw && cw.data.length === n) {
        bias =
          beta === 1
            ? c
            : this.ctx.addInitializer(
                `${c}_beta`,
                cw.data.map((v) => v * beta),
                [n],
              );
      } else if (beta === 1) {
        bias = c;
      } else {
        throw new QuantizeError(
          'QUANT_UNSUPPORTED_NODE',
          `Gemm node "${name}" has a run-time C input with beta=${beta}; only beta=1 or a constant 1-D bias can be folded. Exclude it (mode float).`,
          { location: name },
        );
      }
    }
    const biasIsVector = bias !== undefined && constWeight(this.ctx, bias)?.data.length === layout.dims[1];
    this.emit(node, node.input![0]!, q, node.output![0]!, bias, options.format, biasIsVector);
    return { status: 'quantized' };
  }

  /**
   * Conv1d as im2col + MatMulInteger: the time-major input is quantized once (DynamicQuantizeLinear,
   * per-utterance range), the kernel taps are sliced from the uint8 tensor, and the product runs
   * in the same int8 GEMM kernels as the transformer's MatMuls.
   */
  private convAsMatMul(node: NodeProto, options: DynamicOptions): RewriteResult {
    const shape = planConvAsMatMul(this.ctx, node);
    if ('reason' in shape) return { status: 'skipped', reason: shape.reason };
    if (options.activationScale === 'row') {
      const columns = emitColumns(this.ctx, node, shape, emitTimeMajor(this.ctx, node, shape));
      const q = this.weights.get(
        shape.weight,
        convWeightAsMatrix(shape),
        options.perChannel ? 1 : undefined,
        'im2col',
        undefined,
        true,
      );
      const product = this.ctx.unique(`${node.output![0]}_matmul`);
      emitPerRowProduct(this.ctx, node.name ?? 'conv', columns, shape.kernel * shape.inChannels, q, product);
      emitChannelsFirst(this.ctx, node, product);
      this.removed.add(node);
      return { status: 'quantized' };
    }
    const [xq, xs, xz] = this.activation(emitTimeMajor(this.ctx, node, shape));
    const columns = emitColumns(this.ctx, node, shape, xq);
    const matrix = convWeightAsMatrix(shape);
    const q = this.weights.get(shape.weight, matrix, options.perChannel ? 1 : undefined, 'im2col', undefined, true);
    const integer = this.ctx.unique(`${node.output![0]}_int32`);
    this.ctx.addNode({
      op_type: 'MatMulInteger',
      name: `${node.name}_quant`,
      input: [columns, q.values, xz, q.zeroPoint],
      output: [integer],
    });
    const product = this.scaleChain(integer, xs, q.scale, this.ctx.unique(`${node.output![0]}_matmul`));
    emitChannelsFirst(this.ctx, node, product);
    this.removed.add(node);
    return { status: 'quantized' };
  }

  private conv(node: NodeProto, options: DynamicOptions): RewriteResult {
    if (options.convAsMatMul) return this.convAsMatMul(node, options);
    const w = constWeight(this.ctx, node.input?.[1]);
    if (!w) return { status: 'skipped', reason: 'its weight is not a constant float tensor' };
    // The CPU ConvInteger kernel takes one weight zero point; scales may still differ per channel
    // because they are applied after the integer convolution, by a broadcast Mul.
    const outChannels = w.dims[0]!;
    const scaleDims = options.perChannel ? [outChannels, ...w.dims.slice(2).map(() => 1)] : [];
    const q = this.weights.get(w, w, options.perChannel ? 0 : undefined, 'conv', scaleDims);
    const zeroPoint = this.ctx.addInitializer(`${w.name}_conv_zero_point`, new Int8Array(1), []);
    const [xq, xs, xz] = this.activation(node.input![0]!);
    const out = node.output![0]!;
    const integer = this.ctx.unique(`${out}_int32`);
    const attrs = (node.attribute ?? []).filter((a) =>
      ['auto_pad', 'dilations', 'group', 'kernel_shape', 'pads', 'strides'].includes(a.name ?? ''),
    );
    this.ctx.addNode({
      op_type: 'ConvInteger',
      name: `${node.name}_quant`,
      input: [xq, q.values, xz, zeroPoint],
      output: [integer],
      attribute: attrs,
    });
    const scaled = this.scaleChain(integer, xs, q.scale, node.input?.[2] ? this.ctx.unique(`${out}_nobias`) : out);
    const b = node.input?.[2];
    if (b) {
      const bw = constWeight(this.ctx, b);
      const reshaped = bw
        ? this.ctx.addInitializer(`${b}_broadcast`, bw.data, [bw.data.length, ...w.dims.slice(2).map(() => 1)])
        : b;
      this.ctx.addNode({ op_type: 'Add', name: `${node.name}_bias`, input: [scaled, reshaped], output: [out] });
    }
    this.removed.add(node);
    return { status: 'quantized' };
  }

  private activation(input: string): [string, string, string] {
    let q = this.quantizedActivations.get(input);
    if (!q) {
      q = [
        this.ctx.unique(`${input}_quantized`),
        this.ctx.unique(`${input}_scale`),
        this.ctx.unique(`${input}_zero_point`),
      ];
      this.ctx.addNode({
        op_type: 'DynamicQuantizeLinear',
        name: `${input}_DynamicQuantizeLinear`,
        input: [input],
        output: q,
      });
      this.quantizedActivations.set(input, q);
    }
    return q;
  }

  /** Cast(int32 -> float) * (activation scale * weight scale): the chain ORT fuses into MatMulIntegerToFloat. */
  private scaleChain(integer: string, activationScale: string, weightScale: string, out: string): string {
    const scale = this.ctx.unique(`${out}_scale`);
    this.ctx.addNode({
      op_type: 'Mul',
      name: `${out}_scale_mul`,
      input: [activationScale, weightScale],
      output: [scale],
    });
    const asFloat = this.ctx.unique(`${out}_float`);
    this.ctx.addNode({
      op_type: 'Cast',
      name: `${out}_cast`,
      input: [integer],
      output: [asFloat],
      attribute: [intAttr('to', DataType.FLOAT)],
    });
    this.ctx.addNode({ op_type: 'Mul', name: `${out}_mul`, input: [asFloat, scale], output: [out] });
    return out;
  }

  private emit(
    node: NodeProto,
    input: string,
    q: { values: string; scale: string; zeroPoint: string },
    out: string,
    bias: string | undefined,
    format: DynamicFormat,
    biasIsVector = true,
  ): void {
    if (format === 'DynamicQuantizeMatMul' && (bias === undefined || biasIsVector)) {
      this.ctx.requireOpset('com.microsoft', 1);
      const inputs = [input, q.values, q.scale, q.zeroPoint];
      if (bias) inputs.push(bias);
      this.ctx.addNode({
        op_type: 'DynamicQuantizeMatMul',
        domain: 'com.microsoft',
        name: `${node.name}_quant`,
        input: inputs,
        output: [out],
      });
    } else {
      const [xq, xs, xz] = this.activation(input);
      const integer = this.ctx.unique(`${out}_int32`);
      this.ctx.addNode({
        op_type: 'MatMulInteger',
        name: `${node.name}_quant`,
        input: [xq, q.values, xz, q.zeroPoint],
        output: [integer],
      });
      const target = bias ? this.ctx.unique(`${out}_nobias`) : out;
      this.scaleChain(integer, xs, q.scale, target);
      if (bias) this.ctx.addNode({ op_type: 'Add', name: `${node.name}_bias`, input: [target, bias], output: [out] });
    }
    this.removed.add(node);
  }
}
