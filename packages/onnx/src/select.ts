import { OnnxError } from './errors.js';
import { globMatcher, isInModule, modulePathOf } from './module-path.js';
import type { NodeProto, OnnxModel } from './types.js';

/**
 * Which nodes to pick. A node is selected when it matches at least one include criterion of
 * each kind given (modules OR globs, AND opTypes when given) and no exclusion. An empty selector
 * selects every node.
 */
export interface NodeSelector {
  /** Module path prefixes (`encoder.wav2vec2.model.encoder.layers`). */
  modules?: string[];
  /** Module path globs (`encoder.*.layers.*.attention`); `*` is one segment, `**` any. */
  globs?: string[];
  /** Op types (`MatMul`, `Conv`). */
  opTypes?: string[];
  /** Module path prefixes to leave out (`encoder.ctc_lin`). */
  excludeModules?: string[];
  /** Module path globs to leave out. */
  excludeGlobs?: string[];
  /** Op types to leave out. */
  excludeOpTypes?: string[];
}

/** One selected node. */
export interface SelectedNode {
  /** Index in `graph.node`. */
  index: number;
  /** The node itself (edit in place to change the model). */
  node: NodeProto;
  /** Its dotted module path. */
  modulePath: string;
}

/**
 * Selects graph nodes by module path prefix, glob and op type, with exclusions by the same means.
 *
 * @param model - The model.
 * @param selector - Criteria; see {@link NodeSelector}.
 * @returns The selected nodes in graph order.
 * @throws OnnxError `ONNX_BAD_SELECTOR` when a glob is empty.
 * @example
 * ```ts
 * const picked = selectNodes(model, { modules: ['encoder.wav2vec2.model.encoder.layers'], opTypes: ['MatMul'], excludeModules: ['encoder.ctc_lin'] });
 * ```
 */
export function selectNodes(model: OnnxModel, selector: NodeSelector): SelectedNode[] {
  for (const g of [...(selector.globs ?? []), ...(selector.excludeGlobs ?? [])]) {
    if (g.trim() === '')
      throw new OnnxError(
        'ONNX_BAD_SELECTOR',
        'Empty glob in node selector; give a module path pattern such as encoder.*.layers.*',
      );
  }
  const globs = (selector.globs ?? []).map(globMatcher);
  const excludeGlobs = (selector.excludeGlobs ?? []).map(globMatcher);
  const modules = selector.modules ?? [];
  const hasPathCriteria = modules.length > 0 || globs.length > 0;
  const ops = selector.opTypes && selector.opTypes.length > 0 ? new Set(selector.opTypes) : undefined;
  const excludeOps = new Set(selector.excludeOpTypes ?? []);
  const out: SelectedNode[] = [];
  (model.proto.graph?.node ?? []).forEach((node, index) => {
    const path = modulePathOf(node);
    const op = node.op_type ?? '';
    if (hasPathCriteria && !modules.some((m) => isInModule(path, m)) && !globs.some((g) => g(path))) return;
    if (ops && !ops.has(op)) return;
    if (excludeOps.has(op)) return;
    if ((selector.excludeModules ?? []).some((m) => isInModule(path, m))) return;
    if (excludeGlobs.some((g) => g(path))) return;
    out.push({ index, node, modulePath: path });
  });
  return out;
}
