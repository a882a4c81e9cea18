import type { NodeProto } from '@asrq/onnx';
import { emitMatMulNBits } from '../emit/nbits.js';
import { OPSET } from '../emit/opset-forms.js';
import { QuantizeError } from '../errors.js';
import { attrNumber } from '../graph-context.js';
import { constWeight, isConstantWeight, transpose2d, weightProblem, type QuantizedWeightNames } from '../weights.js';
import { alreadyQuantizedInput } from './already-quantized.js';
import { missingRange } from './missing-range.js';
import { MATMUL_NBITS_FORM, staticWeightForm } from './weight-forms.js';
import {
  QUANTIZED,
  skipped,
  type NodeOptions,
  type OpQuantizer,
  type RewriteEnv,
  type RewriteResult,
} from './op-quantizer.js';

/**
 * Gemm (alpha * A x B' + beta * C). Dynamic: B becomes int8 laid out [K, N] (transposed when
 * transB=1), alpha folds into the weight scale and beta into a constant bias; static: Q/DQ on A,
 * int8 B behind a DequantizeLinear and an int32 bias. transA=1 has no int8 kernel.
 */
export const gemmQuantizer: OpQuantizer = {
  opType: 'Gemm',
  domain: '',
  int4: true,
  modes: {
    dynamic: {
      summary: 'constant B to int8 (alpha folded into its scale, beta into the bias); same kernels as MatMul',
      byDefault: () => true,
      minOpset: (o) =>
        o.weights === 'int4'
          ? MATMUL_NBITS_FORM
          : { opset: OPSET.dynamicQuantizeLinear, form: 'DynamicQuantizeLinear' },
    },
    static: {
      summary: 'calibrated Q/DQ on A, int8 B behind DequantizeLinear, int32 bias',
      byDefault: () => true,
      minOpset: staticWeightForm,
    },
  },
  family: (ctx, node) => (isConstantWeight(ctx, node.input?.[1]) ? 'weight-matmul' : undefined),
  calibrationTargets: (ctx, node) =>
    constWeight(ctx, node.input?.[1]) && !alreadyQuantizedInput(ctx, node) ? [node.input![0]!] : [],
  rewrite(env, node, mode, options) {
    const done = alreadyQuantizedInput(env.ctx, node);
    if (done) return skipped(done);
    return mode === 'dynamic' ? dynamicGemm(env, node, options) : staticGemm(env, node, options);
  },
};

function dynamicGemm(env: RewriteEnv, node: NodeProto, options: NodeOptions): RewriteResult {
  const { ctx } = env;
  // Static rules handle it (Q/DQ around a Gemm that stays as it is); the int8 products need A as it comes.
  if (attrNumber(node, 'transA', 0) !== 0)
    return skipped('transA=1, which the int8 MatMul kernels do not take; a static rule can quantize it');
  const w = constWeight(ctx, node.input?.[1]);
  if (!w) return skipped(weightProblem(ctx, node.input?.[1], 'its B input'));
  if (w.dims.length !== 2) return skipped(`its weight has rank ${w.dims.length}`);
  const transB = attrNumber(node, 'transB', 0) !== 0;
  const [rows, cols] = w.dims as [number, number];
  const layout = transB ? { data: transpose2d(w.data, rows, cols), dims: [cols, rows] } : w;
  const alpha = attrNumber(node, 'alpha', 1);
  if (options.weights === 'int4')
    return int4Gemm(
      env,
      node,
      { name: w.name, data: layout.data, k: layout.dims[0]!, n: layout.dims[1]! },
      alpha,
      options,
    );
  const axis = options.perChannel ? 1 : undefined;
  let q = env.weights.get(w, layout, axis, transB ? 'nk->kn' : 'kn', undefined, true);
  if (alpha !== 1) q = scaledWeight(env, q, alpha, `${w.name}_scale_alpha`, options.perChannel);
  const bias = gemmBias(env, node, layout.dims[1]!);
  const biasIsVector = bias !== undefined && constWeight(ctx, bias)?.data.length === layout.dims[1];
  env.dynamic.product(node, node.input![0]!, q, node.output![0]!, bias, options.format, biasIsVector);
  env.removed.add(node);
  return QUANTIZED;
}

/** Gemm with 4-bit B: alpha folds into the block scales and a constant C into MatMulNBits' bias. */
function int4Gemm(
  env: RewriteEnv,
  node: NodeProto,
  weight: { name: string; data: Float32Array; k: number; n: number },
  alpha: number,
  options: NodeOptions,
): RewriteResult {
  const c = gemmBias(env, node, weight.n);
  const cw = c === undefined ? undefined : constWeight(env.ctx, c);
  if (c !== undefined && cw?.data.length !== weight.n)
    return skipped('its C input is not a constant vector, which MatMulNBits cannot add; use int8 weights');
  // MatMulNBits takes its bias as [N] only (Gemm allows [1, N]).
  const bias = cw && cw.dims.length !== 1 ? env.ctx.addInitializer(`${cw.name}_vector`, cw.data, [weight.n]) : c;
  emitMatMulNBits(env.ctx, node, node.input![0]!, weight, node.output![0]!, {
    blockSize: options.blockSize,
    scale: alpha,
    ...(bias ? { bias } : {}),
  });
  env.removed.add(node);
  return QUANTIZED;
}

/** alpha folds into the weight scale, so the int8 kernel computes alpha * A * B directly. */
function scaledWeight(
  env: RewriteEnv,
  q: QuantizedWeightNames,
  alpha: number,
  base: string,
  perChannel: boolean,
): QuantizedWeightNames {
  const scales = q.scales.map((s) => s * alpha);
  return { ...q, scales, scale: env.ctx.addInitializer(base, scales, perChannel ? [scales.length] : []) };
}

/** The bias to add after the product: C as is (beta 1), or beta * C when C is a constant vector. */
function gemmBias(env: RewriteEnv, node: NodeProto, n: number): string | undefined {
  const c = node.input?.[2];
  if (!c) return undefined;
  const beta = attrNumber(node, 'beta', 1);
  const cw = constWeight(env.ctx, c);
  if (cw && cw.data.length === n)
    return beta === 1
      ? c
      : env.ctx.addInitializer(
          `${c}_beta`,
          cw.data.map((v) => v * beta),
          [n],
        );
  if (beta === 1) return c;
  const name = node.name ?? '';
  throw new QuantizeError(
    'QUANT_UNSUPPORTED_NODE',
    `Gemm node "${name}" has a run-time C input with beta=${beta}; only beta=1 or a constant 1-D bias can be folded. Exclude it (mode float).`,
    { location: name },
  );
}

function staticGemm(env: RewriteEnv, node: NodeProto, options: NodeOptions): RewriteResult {
  const missing = missingRange(env, gemmQuantizer.calibrationTargets(env.ctx, node));
  if (missing) return skipped(missing);
  const inputs = node.input!;
  const x = env.qdq.activation(inputs[0]!);
  const transB = attrNumber(node, 'transB', 0) !== 0;
  const w = constWeight(env.ctx, inputs[1])!;
  const weight = env.qdq.weight(w, options.perChannel ? (transB ? 0 : 1) : undefined);
  inputs[0] = x.dq;
  inputs[1] = weight.dq;
  const c = constWeight(env.ctx, inputs[2]);
  const n = transB ? w.dims[0]! : w.dims[1]!;
  if (c && c.data.length === n) inputs[2] = env.qdq.int32Bias(c.name, c.data, x.scale, weight.scales);
  return QUANTIZED;
}
