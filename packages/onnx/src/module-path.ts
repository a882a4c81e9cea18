import type { NodeProto } from './types.js';

/**
 * The module path of a node, from the scope PyTorch's exporter writes into node names:
 * `/encoder/wav2vec2/model/encoder/layers.0/attention/q_proj/MatMul` becomes
 * `encoder.wav2vec2.model.encoder.layers.0.attention.q_proj` (the dotted path `get_module` takes).
 * Nodes without a scope (no leading slash) belong to the root module, path "".
 *
 * @param node - A graph node.
 * @returns Dotted module path, "" for the root.
 * @example
 * ```ts
 * modulePathOf({ name: '/encoder/ctc_lin/MatMul' }); // 'encoder.ctc_lin'
 * ```
 */
export function modulePathOf(node: NodeProto): string {
  const name = node.name ?? '';
  if (!name.startsWith('/')) return '';
  const parts = name.split('/').filter((p) => p.length > 0);
  parts.pop();
  return parts.join('.');
}

/**
 * Whether `path` is `prefix` or lies inside it, on dot boundaries (`encoder.enc` does not contain
 * `encoder.encoder`). The empty prefix contains everything.
 *
 * @param path - A module path.
 * @param prefix - A module path prefix.
 * @returns True when `path` is inside `prefix`.
 */
export function isInModule(path: string, prefix: string): boolean {
  if (prefix === '') return true;
  return path === prefix || path.startsWith(`${prefix}.`);
}

/**
 * Compiles a module-path glob: `*` matches within one dotted segment, `**` across segments, `?`
 * one character. The glob must match the whole path.
 *
 * @param glob - E.g. `encoder.wav2vec2.model.encoder.layers.*.attention`.
 * @returns A predicate on module paths.
 */
export function globMatcher(glob: string): (path: string) => boolean {
  let source = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*' && glob[i + 1] === '*') {
      source += '.*';
      i++;
    } else if (c === '*') source += '[^.]*';
    else if (c === '?') source += '.';
    else source += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  const re = new RegExp(`^${source}$`);
  return (path) => re.test(path);
}

/**
 * Whether a selector string is a glob (contains `*` or `?`) rather than a module path prefix.
 * @param pattern - Selector text.
 * @returns True for globs.
 */
export function isGlob(pattern: string): boolean {
  return /[*?]/.test(pattern);
}
