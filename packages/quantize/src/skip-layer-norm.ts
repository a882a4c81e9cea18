import type { NodeProto, OnnxModel } from '@asrq/onnx';
import { attrNumber, GraphContext } from './graph-context.js';

/**
 * Fuses `LayerNormalization(Add(a, b))` over the last axis into onnxruntime's
 * `com.microsoft.SkipLayerNormalization` (one pass over the residual stream instead of two).
 *
 * onnxruntime makes this fusion itself only when its shape information proves `a` and `b` have
 * the same shape. Exports from torch carry no value_info, so on a wav2vec2 export it fuses
 * nothing, while a model that went through ONNX shape inference (onnxruntime's Python quantizer
 * runs it) gets the fusion: that was one of the differences between asrq's output and the peer's.
 * Only adds of two computed tensors qualify (a residual stream plus a block output); an add with a
 * constant (a bias) is left alone because the fused kernel requires matching shapes. When the sum
 * is also read elsewhere (pre-LN transformers), the fused node's fourth output provides it.
 * Opt-in (plan `rewrites.skipLayerNorm`) and not in the recommended plans: with onnxruntime-node
 * 1.30 on CPU the fused kernel measured slower than LayerNormalization + Add on wav2vec2-base
 * (packages/quantize/docs/zoo.md), so it is there for other execution providers and for checking.
 *
 * @param model - Modified in place.
 * @returns The number of fusions made.
 * @example
 * ```ts
 * fuseSkipLayerNorm(model); // 12 on wav2vec2-base (post-LN), 24 on wav2vec2-large-lv60 (pre-LN)
 * ```
 */
export function fuseSkipLayerNorm(model: OnnxModel): number {
  const ctx = new GraphContext(model);
  const g = model.proto.graph!;
  const producer = new Map<string, NodeProto>();
  const consumers = new Map<string, NodeProto[]>();
  for (const n of g.node!) {
    for (const o of n.output ?? []) producer.set(o, n);
    for (const i of n.input ?? []) (consumers.get(i) ?? consumers.set(i, []).get(i)!).push(n);
  }
  const graphOutputs = new Set((g.output ?? []).map((o) => o.name));
  const computed = (name: string | undefined): boolean =>
    name !== undefined && name !== '' && !ctx.initializers.has(name) && producer.get(name)?.op_type !== 'Constant';
  const removed = new Set<NodeProto>();
  let fused = 0;
  for (const ln of g.node!) {
    if (ln.op_type !== 'LayerNormalization' || (ln.domain ?? '') !== '' || removed.has(ln)) continue;
    if (attrNumber(ln, 'axis', -1) !== -1 || (ln.output?.length ?? 0) > 1) continue;
    // torch exports shared LayerNorm parameters as Identity copies of one initializer.
    const constant = (name: string | undefined): string | undefined => {
      if (!name) return undefined;
      const p = producer.get(name);
      return p?.op_type === 'Identity' ? p.input?.[0] : name;
    };
    const gamma = constant(ln.input?.[1]);
    const beta = constant(ln.input?.[2]);
    if (!gamma || !ctx.initializers.has(gamma) || (beta && !ctx.initializers.has(beta))) continue;
    const add = producer.get(ln.input![0]!);
    if (add?.op_type !== 'Add' || removed.has(add) || !computed(add.input?.[0]) || !computed(add.input?.[1])) continue;
    const sum = add.output![0]!;
    const others = (consumers.get(sum) ?? []).filter((c) => c !== ln);
    const outputs = [ln.output![0]!];
    if (others.length > 0 || graphOutputs.has(sum)) outputs.push('', '', sum);
    ctx.requireOpset('com.microsoft', 1);
    ctx.addNode({
      op_type: 'SkipLayerNormalization',
      domain: 'com.microsoft',
      name: `${ln.name ?? 'LayerNormalization'}_skip`,
      input: [add.input![0]!, add.input![1]!, gamma, ...(beta ? [beta] : [])],
      output: outputs,
      attribute: [{ name: 'epsilon', type: 1, f: attrNumber(ln, 'epsilon', 1e-5) }],
    });
    removed.add(ln);
    removed.add(add);
    fused++;
  }
  g.node = g.node!.filter((n) => !removed.has(n));
  ctx.sortTopologically();
  return fused;
}
