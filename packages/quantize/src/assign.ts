import { globMatcher, isGlob, isInModule, modulePathOf, type NodeProto, type OnnxModel } from '@asrq/onnx';
import { QuantizeError } from './errors.js';
import { QUANTIZABLE_OP_TYPES } from './ops/registry.js';
import { ruleOps, type QuantPlan, type QuantRule } from './plan.js';

/** A node with the rule that decides its fate. */
export interface Assignment {
  node: NodeProto;
  modulePath: string;
  rule: QuantRule;
  ruleIndex: number;
}

function pathMatcher(select: string): (path: string) => boolean {
  if (select === '' || select === '**') return () => true;
  if (isGlob(select)) return globMatcher(select);
  return (path) => isInModule(path, select);
}

/**
 * Decides, for every node, which rule applies: the last rule whose selector matches the node's
 * module path and whose op list contains the node's op type.
 *
 * @param model - The model.
 * @param plan - The plan.
 * @returns Assignments of nodes that a dynamic or static rule claims (float and unmatched nodes are
 *   left out), how many nodes each rule's selector matched by path, and (with `onNoMatch: "warn"`)
 *   a warning per rule that matched nothing.
 * @throws QuantizeError `QUANT_NO_MATCH` when a rule's selector matches no node (unless the plan says warn).
 */
export function assignNodes(
  model: OnnxModel,
  plan: QuantPlan,
): { assignments: Assignment[]; pathMatches: number[]; warnings: string[]; outsideOps: Array<Record<string, number>> } {
  const matchers = plan.rules.map((r) => pathMatcher(r.select));
  const ops = plan.rules.map((r) => {
    const list = ruleOps(r);
    return list ? new Set(list) : undefined;
  });
  const pathMatches = plan.rules.map(() => 0);
  // Quantizable ops a rule covers by path but not by its op list (e.g. Conv under a dynamic rule): the usual reason a plan quantizes nothing.
  const outsideOps = plan.rules.map(() => ({}) as Record<string, number>);
  const assignments: Assignment[] = [];
  for (const node of model.proto.graph?.node ?? []) {
    const path = modulePathOf(node);
    let chosen = -1;
    plan.rules.forEach((_, i) => {
      if (!matchers[i]!(path)) return;
      pathMatches[i]!++;
      const allowed = ops[i];
      if (!allowed || allowed.has(node.op_type ?? '')) chosen = i;
      else if (QUANTIZABLE_OP_TYPES.includes(node.op_type ?? ''))
        outsideOps[i]![node.op_type!] = (outsideOps[i]![node.op_type!] ?? 0) + 1;
    });
    if (chosen < 0) continue;
    const rule = plan.rules[chosen]!;
    if (rule.mode !== 'float') assignments.push({ node, modulePath: path, rule, ruleIndex: chosen });
  }
  const warnings: string[] = [];
  pathMatches.forEach((count, i) => {
    if (count > 0) return;
    const select = plan.rules[i]!.select;
    const written = plan.family ? ` The plan was written for: ${plan.family}.` : '';
    const message = `Rule ${i + 1} (${plan.rules[i]!.mode} "${select}") matches no node of ${model.name}.${written} Module paths come from node names; run \`asrq inspect ${model.name}\` to list them.`;
    if (plan.onNoMatch === 'warn') warnings.push(message);
    else throw new QuantizeError('QUANT_NO_MATCH', message, { location: select });
  });
  return { assignments, pathMatches, warnings, outsideOps };
}
