import type { ModuleNode } from './module-tree.js';

/**
 * A copy of the module tree down to `maxDepth` levels, built without recursion: a node at the
 * limit keeps its totals (ops, nodes, params and bytes already include its descendants), loses
 * its children, and says how many modules were folded into it.
 * @param tree - The module tree.
 * @param maxDepth - Levels to keep below the root.
 * @returns The folded copy.
 * @example
 * ```ts no-run
 * JSON.stringify(foldModuleTree(moduleTree(model), 256)); // no stack overflow on 5000-deep node names
 * ```
 */
export function foldModuleTree(tree: ModuleNode, maxDepth: number): ModuleNode & { foldedModules?: number } {
  const copy = (node: ModuleNode): ModuleNode & { foldedModules?: number } => ({ ...node, children: [] });
  const root = copy(tree);
  const stack: Array<{ from: ModuleNode; to: ModuleNode & { foldedModules?: number }; depth: number }> = [
    { from: tree, to: root, depth: 0 },
  ];
  for (let item = stack.pop(); item; item = stack.pop()) {
    if (item.depth >= maxDepth) {
      if (item.from.children.length > 0) item.to.foldedModules = countModules(item.from) - 1;
      continue;
    }
    for (const child of item.from.children) {
      const to = copy(child);
      item.to.children.push(to);
      stack.push({ from: child, to, depth: item.depth + 1 });
    }
  }
  return root;
}

function countModules(tree: ModuleNode): number {
  let count = 0;
  const stack = [tree];
  for (let node = stack.pop(); node; node = stack.pop()) {
    count++;
    stack.push(...node.children);
  }
  return count;
}
