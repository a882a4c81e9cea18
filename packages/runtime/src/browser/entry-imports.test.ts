import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// Type-only imports are erased by the compiler, so the value graph does not follow them; the
// type graph (what the published .d.ts files of the web entry reference) does.
const IMPORT = /(?:^|\n)\s*(?:import|export)\s+(?!type\s)[^'"]*?from\s+'([^']+)'/g;
const ANY_IMPORT = /(?:^|\n)\s*(?:import|export)\s+[^'"]*?from\s+'([^']+)'/g;

/** Every module the web entry reaches through relative imports, with the bare specifiers each one imports. */
async function importGraph(entry: string, pattern = IMPORT): Promise<Map<string, string[]>> {
  const graph = new Map<string, string[]>();
  const visit = async (file: string) => {
    if (graph.has(file)) return;
    const bare: string[] = [];
    graph.set(file, bare);
    const text = await readFile(file, 'utf8');
    for (const match of text.matchAll(pattern)) {
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

  it('names onnxruntime-node in no type either: its declarations type-check in a project without it', async () => {
    // A browser project installs onnxruntime-web only (onnxruntime-node is an optional peer), so
    // the shared files take onnxruntime's types from onnxruntime-common (a dependency).
    const graph = await importGraph(fileURLToPath(new URL('./index.ts', import.meta.url)), ANY_IMPORT);
    const offenders = [...graph].filter(([, specs]) => specs.includes('onnxruntime-node')).map(([file]) => file);
    expect(offenders).toEqual([]);
    expect([...graph.values()].flat()).toContain('onnxruntime-common');
  });
});
