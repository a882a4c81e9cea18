import type { NodeProto, OnnxModel } from '@asrq/onnx';
import { GraphContext } from '../graph-context.js';
import { nodeOptionsOf, type QuantPlan, type QuantRule } from '../plan.js';
import type { OpFamily, QuantizingMode } from './op-quantizer.js';
import { opQuantizerFor } from './registry.js';

/** A node the op registry can quantize in at least one mode, with its planner family. */
export interface QuantizableNode {
  node: NodeProto;
  family: OpFamily;
  /** The modes its op supports. */
  modes: QuantizingMode[];
}

/**
 * What a plan search needs to know about a model's ops, from the op registry: which nodes can be
 * quantized, their decision family, and whether a rule's form exists at the model's opset.
 * @example
 * ```ts
 * const ops = new ModelOps(model);
 * ops.quantizableNodes().filter((n) => n.family === 'conv').length;
 * ops.whyNot(node, { select: '', mode: 'static' }); // 'needs ai.onnx opset 13 (...)' on an opset-11 model
 * ```
 */
export class ModelOps {
  private readonly ctx: GraphContext;

  /** @param model - The float model (read only). */
  constructor(model: OnnxModel) {
    this.ctx = new GraphContext(model);
  }

  /** The model's ai.onnx opset. */
  get opset(): number {
    return this.ctx.opset;
  }

  /**
   * Nodes with a quantizer and a planner family, in graph order.
   * @returns The nodes.
   */
  quantizableNodes(): QuantizableNode[] {
    const out: QuantizableNode[] = [];
    for (const node of this.ctx.model.proto.graph?.node ?? []) {
      const q = opQuantizerFor(node);
      const family = q?.family(this.ctx, node);
      if (q && family) out.push({ node, family, modes: Object.keys(q.modes) as QuantizingMode[] });
    }
    return out;
  }

  /**
   * Why `rule` cannot quantize `node` in this model (its op lacks the mode, or the form needs a
   * newer opset), or undefined when it can.
   * @param node - A node of the model.
   * @param rule - A dynamic or static rule.
   * @param plan - The plan (for its dynamic format default).
   * @returns The reason, or undefined.
   */
  whyNot(node: NodeProto, rule: QuantRule, plan: QuantPlan = { version: 1, rules: [rule] }): string | undefined {
    const fit = this.fit(node, rule, plan);
    if (fit === 'no-mode') return `${node.op_type} has no ${rule.mode} form`;
    return fit === 'ok' ? undefined : fit.reason;
  }

  /**
   * How `rule` meets `node`: it quantizes it (`ok`), the op has no such mode (`no-mode`: the node is
   * skipped with a reason, harmless in a plan), or the form needs a newer opset (the plan would be refused).
   * @param node - A node of the model.
   * @param rule - A rule.
   * @param plan - The plan (for its dynamic format default).
   * @returns The verdict.
   */
  fit(
    node: NodeProto,
    rule: QuantRule,
    plan: QuantPlan = { version: 1, rules: [rule] },
  ): 'ok' | 'no-mode' | { reason: string } {
    if (rule.mode === 'float') return 'ok';
    const support = opQuantizerFor(node)?.modes[rule.mode];
    if (!support) return 'no-mode';
    const need = support.minOpset(nodeOptionsOf(rule, plan), this.ctx, node);
    return need.opset > this.ctx.opset
      ? { reason: `${need.form} needs ai.onnx opset ${need.opset}; the model has ${this.ctx.opset}` }
      : 'ok';
  }
}
