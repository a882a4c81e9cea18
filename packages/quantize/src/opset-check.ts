import type { NodeProto } from '@asrq/onnx';
import type { Assignment } from './assign.js';
import { OpsetTooLow, opsetTooLowError } from './emit/opset-forms.js';
import type { GraphContext } from './graph-context.js';
import type { NodeOptions, QuantizingMode } from './ops/op-quantizer.js';
import { opQuantizerFor } from './ops/registry.js';
import { nodeOptionsOf, type QuantPlan } from './plan.js';

/**
 * The opset a node's quantized form needs under `mode` and `options`, and the form, or undefined
 * when the op has no quantizer for the mode (it is then skipped with a reason, not refused).
 * @param ctx - The graph.
 * @param node - The node.
 * @param mode - dynamic or static.
 * @param options - Resolved rule options.
 * @returns The requirement.
 */
export function requiredOpset(
  ctx: GraphContext,
  node: NodeProto,
  mode: QuantizingMode,
  options: NodeOptions,
): { opset: number; form: string } | undefined {
  return opQuantizerFor(node)?.modes[mode]?.minOpset(options, ctx, node);
}

/** `rule 2 (static "encoder")`. */
export function ruleLabel(a: Assignment): string {
  return `Rule ${a.ruleIndex + 1} (${a.rule.mode} "${a.rule.select}")`;
}

/**
 * Refuses, before anything changes, a plan whose rules need an operator form the model's ai.onnx
 * opset does not have (asrq never changes a model's opset by itself).
 * @param ctx - The graph (its opset).
 * @param assignments - The nodes the plan quantizes.
 * @param plan - The plan.
 * @throws QuantizeError `QUANT_OPSET_TOO_LOW` naming the first such rule, its op, the opsets and what to do.
 */
export function checkOpsets(ctx: GraphContext, assignments: Assignment[], plan: QuantPlan): void {
  for (const a of assignments) {
    if (a.rule.mode === 'float') continue;
    const need = requiredOpset(ctx, a.node, a.rule.mode, nodeOptionsOf(a.rule, plan));
    if (need && need.opset > ctx.opset)
      throw opsetTooLowError(
        ruleLabel(a),
        a.node.op_type ?? '',
        ctx.model.name,
        ctx.opset,
        new OpsetTooLow(need.opset, need.form),
      );
  }
}
