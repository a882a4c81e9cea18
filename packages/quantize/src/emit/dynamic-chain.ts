import { DataType, type NodeProto } from '@asrq/onnx';
import { intAttr, type GraphContext } from '../graph-context.js';
import type { DynamicFormat } from '../plan-types.js';
import { OPSET, requireOpset } from './opset-forms.js';

/** Names of a quantized weight's initializers as the integer kernels read them. */
export interface IntegerWeight {
  values: string;
  scale: string;
  zeroPoint: string;
}

/**
 * The shared parts of run-time (dynamic) int8 rewrites: activations are quantized per tensor to
 * uint8 by DynamicQuantizeLinear, once per activation tensor even when several nodes read it
 * (q/k/v projections share their LayerNorm output), and int32 products are scaled back to float.
 */
export class DynamicChain {
  private readonly quantized = new Map<string, [string, string, string]>();

  constructor(private readonly ctx: GraphContext) {}

  /**
   * DynamicQuantizeLinear of `input` (once per tensor).
   * @returns [uint8 tensor, scale, zero point].
   */
  activation(input: string): [string, string, string] {
    let q = this.quantized.get(input);
    if (!q) {
      requireOpset(this.ctx, OPSET.dynamicQuantizeLinear, 'DynamicQuantizeLinear');
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
      this.quantized.set(input, q);
    }
    return q;
  }

  /** Cast(int32 -> float) * (activation scale * weight scale): the chain onnxruntime fuses into MatMulIntegerToFloat. */
  scaleChain(integer: string, activationScale: string, weightScale: string, out: string): string {
    const ctx = this.ctx;
    const scale = ctx.unique(`${out}_scale`);
    ctx.addNode({ op_type: 'Mul', name: `${out}_scale_mul`, input: [activationScale, weightScale], output: [scale] });
    const asFloat = ctx.unique(`${out}_float`);
    ctx.addNode({
      op_type: 'Cast',
      name: `${out}_cast`,
      input: [integer],
      output: [asFloat],
      attribute: [intAttr('to', DataType.FLOAT)],
    });
    ctx.addNode({ op_type: 'Mul', name: `${out}_mul`, input: [asFloat, scale], output: [out] });
    return out;
  }

  /**
   * input x int8 weight (+ bias) in one of the two dynamic formats: onnxruntime's fused
   * DynamicQuantizeMatMul, or DynamicQuantizeLinear + MatMulInteger + scale chain (+ Add).
   * @param node - The node being replaced (for names).
   * @param input - Float activation.
   * @param weight - Quantized weight (scale per output column or scalar).
   * @param out - Output tensor name.
   * @param bias - Float bias added to the product, if any.
   * @param format - Operator pattern.
   * @param biasIsVector - The bias is one value per output column (the fused kernel's only form).
   */
  product(
    node: NodeProto,
    input: string,
    weight: IntegerWeight,
    out: string,
    bias: string | undefined,
    format: DynamicFormat,
    biasIsVector = true,
  ): void {
    const ctx = this.ctx;
    if (format === 'DynamicQuantizeMatMul' && (bias === undefined || biasIsVector)) {
      ctx.requireOpset('com.microsoft', 1);
      const inputs = [input, weight.values, weight.scale, weight.zeroPoint];
      if (bias) inputs.push(bias);
      ctx.addNode({
        op_type: 'DynamicQuantizeMatMul',
        domain: 'com.microsoft',
        name: `${node.name}_quant`,
        input: inputs,
        output: [out],
      });
      return;
    }
    const [xq, xs, xz] = this.activation(input);
    const integer = ctx.unique(`${out}_int32`);
    ctx.addNode({
      op_type: 'MatMulInteger',
      name: `${node.name}_quant`,
      input: [xq, weight.values, xz, weight.zeroPoint],
      output: [integer],
    });
    const target = bias ? ctx.unique(`${out}_nobias`) : out;
    this.scaleChain(integer, xs, weight.scale, target);
    if (bias) ctx.addNode({ op_type: 'Add', name: `${node.name}_bias`, input: [target, bias], output: [out] });
  }
}
