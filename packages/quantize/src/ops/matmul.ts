import type { NodeProto } from '@asrq/onnx';
import { emitMatMulNBits } from '../emit/nbits.js';
import { OPSET } from '../emit/opset-forms.js';
import { constWeight, isConstantWeight, weightProblem } from '../weights.js';
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
 * MatMul. Dynamic: a constant 2-D weight becomes int8 (one scale per output column) and the
 * product runs as DynamicQuantizeLinear + MatMulInteger (or onnxruntime's DynamicQuantizeMatMul);
 * an activation x activation MatMul (attention scores) has no dynamic form. Static: calibrated
 * Q/DQ on the activation and int8 weights behind a DequantizeLinear, or Q/DQ on both activations.
 */
export const matmulQuantizer: OpQuantizer = {
  opType: 'MatMul',
  domain: '',
  int4: true,
  modes: {
    dynamic: {
      summary:
        'constant 2-D weight to int8 per output column; DynamicQuantizeLinear + MatMulInteger (or DynamicQuantizeMatMul)',
      byDefault: () => true,
      minOpset: (o) =>
        o.weights === 'int4'
          ? MATMUL_NBITS_FORM
          : o.format === 'DynamicQuantizeMatMul'
            ? { opset: 1, form: 'com.microsoft DynamicQuantizeMatMul' }
            : { opset: OPSET.dynamicQuantizeLinear, form: 'DynamicQuantizeLinear' },
    },
    static: {
      summary: 'calibrated uint8 Q/DQ on the activation(s), int8 weight behind DequantizeLinear',
      byDefault: () => true,
      minOpset: staticWeightForm,
    },
  },
  family: (ctx, node) => (isConstantWeight(ctx, node.input?.[1]) ? 'weight-matmul' : 'act-matmul'),
  calibrationTargets(ctx, node) {
    const [a, b] = node.input ?? [];
    if (!a || !b || alreadyQuantizedInput(ctx, node)) return [];
    return constWeight(ctx, b) ? [a] : [a, b];
  },
  rewrite(env, node, mode, options) {
    const done = alreadyQuantizedInput(env.ctx, node);
    if (done) return skipped(done);
    return mode === 'dynamic' ? dynamicMatMul(env, node, options) : staticMatMul(env, node, options);
  },
};

function dynamicMatMul(env: RewriteEnv, node: NodeProto, options: NodeOptions): RewriteResult {
  const w = constWeight(env.ctx, node.input?.[1]);
  if (!w)
    return skipped(
      `${weightProblem(env.ctx, node.input?.[1], 'its second input')}; an activation x activation MatMul has no dynamic form: use a static rule to quantize it`,
    );
  if (w.dims.length !== 2) return skipped(`its weight has rank ${w.dims.length}; only 2-D weights are quantized`);
  if (options.weights === 'int4') {
    const [k, n] = w.dims as [number, number];
    emitMatMulNBits(env.ctx, node, node.input![0]!, { name: w.name, data: w.data, k, n }, node.output![0]!, options);
    env.removed.add(node);
    return QUANTIZED;
  }
  const q = env.weights.get(w, w, options.perChannel ? 1 : undefined, 'kn', undefined, true);
  env.dynamic.product(node, node.input![0]!, q, node.output![0]!, undefined, options.format);
  env.removed.add(node);
  return QUANTIZED;
}

function staticMatMul(env: RewriteEnv, node: NodeProto, options: NodeOptions): RewriteResult {
  const inputs = node.input!;
  const missing = missingRange(env, matmulQuantizer.calibrationTargets(env.ctx, node));
  if (missing) return skipped(missing);
  const w = constWeight(env.ctx, inputs[1]);
  if (w && w.dims.length !== 2) return skipped(`its weight has rank ${w.dims.length}; only 2-D weights are quantized`);
  inputs[0] = env.qdq.activation(inputs[0]!).dq;
  inputs[1] = w ? env.qdq.weight(w, options.perChannel ? 1 : undefined).dq : env.qdq.activation(inputs[1]!).dq;
  return QUANTIZED;
}
