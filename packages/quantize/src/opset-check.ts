import { OPSET_UPGRADE_RANGE, type NodeProto } from '@asrq/onnx';
import type { Assignment } from './assign.js';
import { OpsetTooLow } from './emit/opset-forms.js';
import { QuantizeError } from './errors.js';
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

/**
 * How messages name a rule.
 * @param a - An assignment of the rule.
 * @returns e.g. `Rule 2 (static "encoder")`.
 */
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

/**
 * The error a rule gets when a form it needs is missing at the model's opset.
 * @param rule - `Rule 2 (static "encoder")`.
 * @param op - The op type of the node.
 * @param model - Model name.
 * @param has - The model's opset.
 * @param error - What was missing.
 * @returns A `QUANT_OPSET_TOO_LOW` error saying what to do.
 */
export function opsetTooLowError(
  rule: string,
  op: string,
  model: string,
  has: number,
  error: OpsetTooLow,
): QuantizeError {
  // upgradeOpset starts from opset 11; older exports can only be exported again.
  const upgrade =
    has >= OPSET_UPGRADE_RANGE.from
      ? `upgrade the model explicitly (\`opset\` ${error.needed}, or upgradeOpset in @asrq/onnx) or re-export it`
      : 're-export it';
  return new QuantizeError(
    'QUANT_OPSET_TOO_LOW',
    `${rule} quantizes ${op} in a form that needs ai.onnx opset ${error.needed} (${error.what}), but ${model} has opset ${has}. asrq never changes a model's opset on its own: choose a form this opset has (e.g. "perChannel": false for static rules below opset 13), exclude the module, or ${upgrade} at opset ${error.needed} or later.`,
    { location: rule, ...(has >= OPSET_UPGRADE_RANGE.from ? { argument: 'opset' } : {}) },
  );
}
