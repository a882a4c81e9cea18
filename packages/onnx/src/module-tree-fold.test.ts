import { describe, expect, it } from 'vitest';
import type { ModuleNode } from './module-tree.js';
import { foldModuleTree } from './module-tree-fold.js';

/** A chain of `depth` modules below the root, each one node deep. */
function chain(depth: number): ModuleNode {
  const root: ModuleNode = { name: '', path: '', children: [], ops: { MatMul: 1 }, nodeCount: 1, params: 4, bytes: 16 };
  let at = root;
  for (let i = 0; i < depth; i++) {
    const next: ModuleNode = { ...at, name: `m${i}`, path: `${at.path}.m${i}`, children: [] };
    at.children.push(next);
    at = next;
  }
  return root;
}

describe('foldModuleTree', () => {
  it('keeps maxDepth levels, folds the rest into the last one (counted), without recursion on a 10,000-deep chain', () => {
    const folded = foldModuleTree(chain(10_000), 3);
    let node = folded as ModuleNode & { foldedModules?: number };
    for (let level = 0; level < 3; level++) node = node.children[0]!;
    expect(node.children).toEqual([]);
    expect(node.foldedModules).toBe(10_000 - 3);
    expect(node.nodeCount).toBe(1);
    expect(() => JSON.stringify(folded)).not.toThrow();
    expect(foldModuleTree(chain(2), 5)).toEqual(chain(2));
  });
});
