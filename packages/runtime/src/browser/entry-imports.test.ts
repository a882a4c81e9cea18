import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// Type-only imports are erased by the compiler, so they are not followed.
const IMPORT = /(?:^|\n)\s*(?:import|export)\s+(?!type\s)[^'"]*?from\s+'([^']+)'/g;

/** Every module the web entry reaches through relative imports, with the bare specifiers each one imports. */
async function importGraph(entry: string): Promise<Map<string, string[]>> {
  const graph = new Map<string, string[]>();
  const visit = async (file: string) => {
    if (graph.has(file)) return;
    const bare: string[] = [];
    graph.set(file, bare);
    const text = await readFile(file, 'utf8');
    for (const match of text.matchAll(IMPORT)) {
      const spec = match[1]!;
      if (spec.startsWith('.')) await visit(resolve(dirname(file), spec.replace(/\.js$/, '.ts')));
      else bare.push(spec);
    }
  };
  await visit(entry);
  return graph;
}

describe('@asrq/runtime/browser', () => {
  it('reaches no Node API and no onnxruntime-node, only browser-safe entries of other packages', async () => {
    const graph = await importGraph(fileURLToPath(new URL('./index.ts', import.meta.url)));
    expect(graph.size).toBeGreaterThan(6); // it does share the Node runtime's files
    const allowed = new Set([
      '@asrq/core',
      '@asrq/ctc/browser',
      '@asrq/audio/browser',
      '@asrq/frontend',
      'onnxruntime-web/wasm',
    ]);
    for (const [file, specs] of graph) {
      for (const spec of specs) expect(allowed.has(spec), `${file} imports ${spec}`).toBe(true);
    }
    expect([...graph.keys()].some((f) => f.endsWith('feeds-core.ts'))).toBe(true);
    expect([...graph.keys()].some((f) => f.endsWith('model-info.ts'))).toBe(true);
  });
});
