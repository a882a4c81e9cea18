import type { AttributeProto, NodeProto } from '@asrq/onnx';
import { OPSET } from '../emit/opset-forms.js';
import { constWeight, isConstantWeight, weightProblem } from '../weights.js';
import {
  QUANTIZED,
  skipped,
  type NodeOptions,
  type OpQuantizer,
  type RewriteEnv,
  type RewriteResult,
} from './op-quantizer.js';

/** Attributes of com.microsoft Attention that QAttention takes as they are. */
const CARRIED = new Set([
  'num_heads',
  'unidirectional',
  'scale',
  'mask_filter_value',
  'do_rotary',
  'past_present_share_buffer',
]);

/**
 * onnxruntime's fused `com.microsoft.Attention` (its transformers optimizer writes it: one packed
 * [hidden, 3 x hidden] Q/K/V weight). Dynamic: becomes `com.microsoft.QAttention` with the input
 * quantized by DynamicQuantizeLinear and the packed weight int8 per output column, the form
 * onnxruntime's own quantizer writes. Forms QAttention lacks (separate Q/K/V sizes, an attention
 * bias input, rotary embedding dims) stay float with the reason.
 */
export const attentionQuantizer: OpQuantizer = {
  opType: 'Attention',
  domain: 'com.microsoft',
  modes: {
    dynamic: {
      summary: 'fused Attention to QAttention: uint8 input (per run), int8 packed Q/K/V weight per column',
      byDefault: () => true,
      minOpset: () => ({ opset: OPSET.dynamicQuantizeLinear, form: 'DynamicQuantizeLinear' }),
    },
  },
  family: (ctx, node) => (isConstantWeight(ctx, node.input?.[1]) ? 'weight-matmul' : undefined),
  calibrationTargets: () => [],
  rewrite: (env, node, _mode, options) => qAttention(env, node, options),
};

/** Why QAttention cannot express this Attention node, if it cannot. */
function unsupported(node: NodeProto): string | undefined {
  const attrs = new Set((node.attribute ?? []).map((a) => a.name));
  if (attrs.has('qkv_hidden_sizes'))
    return 'its Q, K and V have different sizes (qkv_hidden_sizes), which QAttention lacks';
  if (attrs.has('rotary_embedding_dim')) return 'it has rotary_embedding_dim, which QAttention lacks';
  const inputs = node.input ?? [];
  if (inputs[5]) return 'it takes an attention_bias input (e.g. a relative position bias), which QAttention lacks';
  if (inputs[6]) return 'it takes past_sequence_length, which QAttention lacks';
  return undefined;
}

function qAttention(env: RewriteEnv, node: NodeProto, options: NodeOptions): RewriteResult {
  const { ctx } = env;
  const reason = unsupported(node);
  if (reason) return skipped(reason);
  const w = constWeight(ctx, node.input?.[1]);
  if (!w) return skipped(weightProblem(ctx, node.input?.[1], 'its packed Q/K/V weight'));
  if (w.dims.length !== 2) return skipped(`its weight has rank ${w.dims.length}; QAttention takes a 2-D weight`);
  const q = env.weights.get(w, w, options.perChannel ? 1 : undefined, 'kn', undefined, true);
  const [xq, xs, xz] = env.dynamic.activation(node.input![0]!);
  const bias =
    node.input?.[2] || ctx.addInitializer(`${node.name}_zero_bias`, new Float32Array(w.dims[1]!), [w.dims[1]!]);
  ctx.requireOpset('com.microsoft', 1);
  const attribute: AttributeProto[] = (node.attribute ?? []).filter((a) => CARRIED.has(a.name ?? ''));
  ctx.addNode({
    op_type: 'QAttention',
    domain: 'com.microsoft',
    name: `${node.name}_quant`,
    input: [xq, q.values, bias, xs, q.scale, node.input?.[3] ?? '', xz, q.zeroPoint, node.input?.[4] ?? ''],
    output: [...(node.output ?? [])],
    attribute,
  });
  env.removed.add(node);
  return QUANTIZED;
}
