import type { NodeProto } from '@asrq/onnx';
import {
  convWeightAsMatrix,
  emitChannelsFirst,
  emitColumns,
  emitTimeMajor,
  planConvAsMatMul,
} from '../emit/conv-columns.js';
import { OPSET } from '../emit/opset-forms.js';
import { emitPerRowProduct } from '../emit/per-row-product.js';
import { constWeight, weightProblem } from '../weights.js';
import { alreadyQuantizedInput } from './already-quantized.js';
import { missingRange } from './missing-range.js';
import { staticWeightForm } from './weight-forms.js';
import {
  QUANTIZED,
  skipped,
  type NodeOptions,
  type OpQuantizer,
  type RewriteEnv,
  type RewriteResult,
} from './op-quantizer.js';

/**
 * Conv. Dynamic: with `convAsMatMul`, a 1-D ungrouped multi-channel Conv becomes im2col +
 * MatMulInteger (one activation range per utterance, or per output frame with
 * `activationScale: "row"`); otherwise ConvInteger (onnxruntime's CPU kernel for it is slow, so
 * dynamic rules select Conv only with convAsMatMul unless `ops` lists it). Static: Q/DQ around the
 * Conv (fused into QLinearConv), int8 weights per output channel, int32 bias.
 */
export const convQuantizer: OpQuantizer = {
  opType: 'Conv',
  domain: '',
  modes: {
    dynamic: {
      summary:
        'with convAsMatMul: 1-D Conv as im2col + MatMulInteger (activation range per utterance or per frame); else ConvInteger',
      byDefault: (rule) => rule.convAsMatMul === true,
      minOpset: () => ({ opset: OPSET.dynamicQuantizeLinear, form: 'DynamicQuantizeLinear / Pad with pads input' }),
    },
    static: {
      summary: 'calibrated Q/DQ on input and output (fused into QLinearConv), int8 weight, int32 bias',
      byDefault: () => true,
      minOpset: staticWeightForm,
    },
  },
  family: () => 'conv',
  calibrationTargets: (ctx, node) =>
    constWeight(ctx, node.input?.[1]) && !alreadyQuantizedInput(ctx, node) ? [node.input![0]!, node.output![0]!] : [],
  rewrite(env, node, mode, options) {
    const done = alreadyQuantizedInput(env.ctx, node);
    if (done) return skipped(done);
    if (mode === 'static') return staticConv(env, node, options);
    return options.convAsMatMul ? convAsMatMul(env, node, options) : convInteger(env, node, options);
  },
};

/**
 * Conv1d as im2col + MatMulInteger: the time-major input is quantized once (DynamicQuantizeLinear,
 * per-utterance range) or per output frame, the kernel taps are sliced from it, and the product
 * runs in the same int8 GEMM kernels as the transformer's MatMuls.
 */
function convAsMatMul(env: RewriteEnv, node: NodeProto, options: NodeOptions): RewriteResult {
  const { ctx, weights } = env;
  const shape = planConvAsMatMul(ctx, node);
  if ('reason' in shape) return skipped(shape.reason);
  const axis = options.perChannel ? 1 : undefined;
  const product = ctx.unique(`${node.output![0]}_matmul`);
  if (options.activationScale === 'row') {
    const columns = emitColumns(ctx, node, shape, emitTimeMajor(ctx, node, shape));
    const q = weights.get(shape.weight, convWeightAsMatrix(shape), axis, 'im2col', undefined, true);
    emitPerRowProduct(ctx, node.name ?? 'conv', columns, shape.kernel * shape.inChannels, q, product);
  } else {
    const [xq, xs, xz] = env.dynamic.activation(emitTimeMajor(ctx, node, shape));
    const columns = emitColumns(ctx, node, shape, xq);
    const q = weights.get(shape.weight, convWeightAsMatrix(shape), axis, 'im2col', undefined, true);
    const integer = ctx.unique(`${node.output![0]}_int32`);
    ctx.addNode({
      op_type: 'MatMulInteger',
      name: `${node.name}_quant`,
      input: [columns, q.values, xz, q.zeroPoint],
      output: [integer],
    });
    env.dynamic.scaleChain(integer, xs, q.scale, product);
  }
  emitChannelsFirst(ctx, node, product);
  env.removed.add(node);
  return QUANTIZED;
}

/** ConvInteger with the CPU kernel's single weight zero point; per-channel scales apply after it by a broadcast Mul. */
function convInteger(env: RewriteEnv, node: NodeProto, options: NodeOptions): RewriteResult {
  const { ctx } = env;
  const w = constWeight(ctx, node.input?.[1]);
  if (!w) return skipped(weightProblem(ctx, node.input?.[1], 'its weight'));
  if (node.input?.[2] && !constWeight(ctx, node.input[2]))
    return skipped('its bias is computed at run time; the bias of a ConvInteger rewrite must be a constant');
  const outChannels = w.dims[0]!;
  const scaleDims = options.perChannel ? [outChannels, ...w.dims.slice(2).map(() => 1)] : [];
  const q = env.weights.get(w, w, options.perChannel ? 0 : undefined, 'conv', scaleDims);
  const zeroPoint = ctx.addInitializer(`${w.name}_conv_zero_point`, new Int8Array(1), []);
  const [xq, xs, xz] = env.dynamic.activation(node.input![0]!);
  const out = node.output![0]!;
  const integer = ctx.unique(`${out}_int32`);
  const attrs = (node.attribute ?? []).filter((a) =>
    ['auto_pad', 'dilations', 'group', 'kernel_shape', 'pads', 'strides'].includes(a.name ?? ''),
  );
  ctx.addNode({
    op_type: 'ConvInteger',
    name: `${node.name}_quant`,
    input: [xq, q.values, xz, zeroPoint],
    output: [integer],
    attribute: attrs,
  });
  const bw = constWeight(ctx, node.input?.[2]);
  const scaled = env.dynamic.scaleChain(integer, xs, q.scale, bw ? ctx.unique(`${out}_nobias`) : out);
  if (bw) {
    const reshaped = ctx.addInitializer(`${bw.name}_broadcast`, bw.data, [
      bw.data.length,
      ...w.dims.slice(2).map(() => 1),
    ]);
    ctx.addNode({ op_type: 'Add', name: `${node.name}_bias`, input: [scaled, reshaped], output: [out] });
  }
  env.removed.add(node);
  return QUANTIZED;
}

/** Weights [out, in/group, k...] with per-output-channel scales on axis 0, an int32 bias, Q/DQ on the output. */
function staticConv(env: RewriteEnv, node: NodeProto, options: NodeOptions): RewriteResult {
  const missing = missingRange(env, convQuantizer.calibrationTargets(env.ctx, node));
  if (missing) return skipped(missing);
  const inputs = node.input!;
  const x = env.qdq.activation(inputs[0]!);
  const w = constWeight(env.ctx, inputs[1])!;
  const weight = env.qdq.weight(w, options.perChannel ? 0 : undefined);
  inputs[0] = x.dq;
  inputs[1] = weight.dq;
  const b = constWeight(env.ctx, inputs[2]);
  if (b) inputs[2] = env.qdq.int32Bias(b.name, b.data, x.scale, weight.scales);
  env.qdq.output(node);
  return QUANTIZED;
}
