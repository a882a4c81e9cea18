import { modulePathOf } from './module-path.js';
import { tensorBytes, tensorSize } from './tensor.js';
import type { OnnxModel } from './types.js';

/** One module of the tree rebuilt from node names; counts include every descendant. */
export interface ModuleNode {
  /** Last path segment (`q_proj`, `0`), "" for the root. */
  name: string;
  /** Dotted module path (`encoder.wav2vec2.model.encoder.layers.0`), "" for the root. */
  path: string;
  /** Sub-modules in first-appearance (graph) order. */
  children: ModuleNode[];
  /** Op type histogram of this module and its descendants. */
  ops: Record<string, number>;
  /** Number of nodes in this module and its descendants. */
  nodeCount: number;
  /** Initializer elements first used by nodes of this module (and descendants). */
  params: number;
  /** Bytes of those initializers. */
  bytes: number;
}

function child(parent: ModuleNode, name: string): ModuleNode {
  let c = parent.children.find((x) => x.name === name);
  if (!c) {
    c = {
      name,
      path: parent.path === '' ? name : `${parent.path}.${name}`,
      children: [],
      ops: {},
      nodeCount: 0,
      params: 0,
      bytes: 0,
    };
    parent.children.push(c);
  }
  return c;
}

/**
 * Rebuilds the module tree of a model from its node names (PyTorch export scopes). Each
 * initializer counts toward the module of the first node that reads it, so shared weights are
 * counted once.
 *
 * @param model - The model.
 * @returns The root module (path "").
 * @example
 * ```ts
 * const tree = moduleTree(model);
 * console.log(formatModuleTree(tree, { depth: 4 }));
 * ```
 */
export function moduleTree(model: OnnxModel): ModuleNode {
  const root: ModuleNode = { name: '', path: '', children: [], ops: {}, nodeCount: 0, params: 0, bytes: 0 };
  const inits = new Map((model.proto.graph?.initializer ?? []).map((t) => [t.name ?? '', t]));
  const owned = new Set<string>();
  for (const node of model.proto.graph?.node ?? []) {
    const path = modulePathOf(node);
    const chain = [root];
    let at = root;
    for (const seg of path === '' ? [] : path.split('.')) {
      at = child(at, seg);
      chain.push(at);
    }
    let params = 0;
    let bytes = 0;
    for (const input of node.input ?? []) {
      const t = inits.get(input);
      if (!t || owned.has(input)) continue;
      owned.add(input);
      params += tensorSize(t);
      bytes += tensorBytes(t);
    }
    const op = node.op_type ?? '';
    for (const m of chain) {
      m.ops[op] = (m.ops[op] ?? 0) + 1;
      m.nodeCount++;
      m.params += params;
      m.bytes += bytes;
    }
  }
  return root;
}

/**
 * Formats a byte count for people (B, kB, MB; powers of 1000 like file managers).
 * @param bytes - Byte count.
 * @returns E.g. `18.8 MB`.
 */
export function formatBytes(bytes: number): string {
  if (bytes < 1000) return `${bytes} B`;
  if (bytes < 1e6) return `${(bytes / 1e3).toFixed(1)} kB`;
  return `${(bytes / 1e6).toFixed(1)} MB`;
}

function opSummary(ops: Record<string, number>, max = 4): string {
  const sorted = Object.entries(ops).sort((a, b) => b[1] - a[1]);
  const shown = sorted.slice(0, max).map(([op, n]) => `${op}×${n}`);
  if (sorted.length > max) shown.push(`+${sorted.length - max} types`);
  return shown.join(' ');
}

/**
 * Prints the module tree indented like PyTorch's model print, one module per line with its op
 * counts, parameters and bytes. Modules deeper than `depth` are folded into their parent.
 *
 * @param tree - From {@link moduleTree}.
 * @param options - `depth`: levels below the root to show (default: all).
 * @returns Multi-line text.
 * @example
 * ```ts
 * formatModuleTree(moduleTree(model), { depth: 3 });
 * ```
 */
export function formatModuleTree(tree: ModuleNode, options: { depth?: number } = {}): string {
  const depth = options.depth ?? Number.POSITIVE_INFINITY;
  const lines: string[] = [];
  const visit = (m: ModuleNode, level: number): void => {
    const label = m.path === '' ? '(root)' : `(${m.name})`;
    const params = m.params > 0 ? ` · ${m.params.toLocaleString('en-US')} params · ${formatBytes(m.bytes)}` : '';
    lines.push(`${'  '.repeat(level)}${label}: ${m.nodeCount} ops [${opSummary(m.ops)}]${params}`);
    if (level < depth) for (const c of m.children) visit(c, level + 1);
  };
  visit(tree, 0);
  return lines.join('\n');
}
