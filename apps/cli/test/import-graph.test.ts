import { readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs script of the repository (no declaration file)
import { allowFile, checkCycles, importGraph } from '../../../scripts/import-graph.mjs';
import { useTempDirs } from '@asrq/test-temp';

const { tempDir } = useTempDirs();

interface Cycle {
  files: string[];
  runtime: boolean;
}
interface Graph {
  cycles: Cycle[];
  packageCycles: string[][];
  packages: { name: string; imports: Record<string, string> }[];
}

/** A workspace with the given files (paths relative to its root). */
async function workspace(files: Record<string, string>): Promise<string> {
  const dir = await tempDir('asrq-import-graph-');
  for (const [path, text] of Object.entries(files)) {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), text);
  }
  return dir;
}

const pkg = (name: string) => JSON.stringify({ name });

describe('scripts/import-graph.mjs (run by pnpm lint)', () => {
  it('finds a runtime cycle and a type-only one, and the package imports with their kind', async () => {
    const dir = await workspace({
      'packages/a/package.json': pkg('@x/a'),
      'packages/a/src/one.ts': "import { two } from './two.js';\nexport const one = () => two;",
      'packages/a/src/two.ts': "import { one } from './one.js';\nexport const two = () => one;",
      'packages/a/src/three.ts': "import type { Four } from './four.js';\nexport type Three = Four[];",
      'packages/a/src/four.ts': "import type { Three } from './three.js';\nexport interface Four { t?: Three }",
      'packages/a/src/one.test.ts': "import { one } from './one.js';\nimport './two.js';",
      'packages/b/package.json': pkg('@x/b'),
      'packages/b/src/index.ts': "import type { Three } from '@x/a/sub';\nexport type B = Three;",
    });
    const graph = importGraph(dir) as Graph;
    expect(graph.cycles).toEqual([
      { files: ['packages/a/src/four.ts', 'packages/a/src/three.ts'], runtime: false },
      { files: ['packages/a/src/one.ts', 'packages/a/src/two.ts'], runtime: true },
    ]);
    expect(graph.packages.find((p) => p.name === '@x/b')?.imports).toEqual({ '@x/a': 'type' });
    expect(graph.packageCycles).toEqual([]);
  });

  it('passes listed cycles and parts of them, fails on a new cycle and on an entry that matches none', async () => {
    const dir = await workspace({
      'packages/a/package.json': pkg('@x/a'),
      'packages/a/src/one.ts': "import { two } from './two.js';\nexport const one = () => two;",
      'packages/a/src/two.ts': "import { one } from './one.js';\nexport const two = () => one;",
    });
    const graph = importGraph(dir) as Graph;
    const said: string[] = [];
    const log = (line: string) => said.push(line);
    const listed = ['packages/a/src/one.ts', 'packages/a/src/two.ts'];
    expect(checkCycles(graph, [{ files: [...listed, 'packages/a/src/gone.ts'] }], log)).toBe(true);
    expect(checkCycles(graph, [], log)).toBe(false);
    expect(said.at(-1)).toMatch(
      /^import cycle \(runtime\) among 2 files: packages\/a\/src\/one\.ts, packages\/a\/src\/two\.ts/,
    );
    expect(
      checkCycles(graph, [{ files: listed }, { files: ['packages/a/src/x.ts', 'packages/a/src/y.ts'] }], log),
    ).toBe(false);
    expect(said.at(-1)).toMatch(/lists a cycle that is gone or smaller .*x\.ts.*: remove or shrink that entry/);
  });

  it('finds a package cycle', async () => {
    const dir = await workspace({
      'packages/a/package.json': pkg('@x/a'),
      'packages/a/src/index.ts': "export { b } from '@x/b';",
      'packages/b/package.json': pkg('@x/b'),
      'packages/b/src/index.ts': "import type { A } from '@x/a';\nexport const b = 1 as unknown as A;",
    });
    const graph = importGraph(dir) as Graph;
    expect(graph.packageCycles).toEqual([['@x/a', '@x/b']]);
    expect(checkCycles(graph, [], () => {})).toBe(false);
  });

  it('the repository itself passes its own check', () => {
    // The same check `pnpm lint` runs; a failure here names the new cycle.
    const graph = importGraph() as Graph;
    const said: string[] = [];
    const allowed = JSON.parse(readFileSync(allowFile, 'utf8')).cycles;
    expect(
      checkCycles(graph, allowed, (line: string) => said.push(line)),
      said.join('\n'),
    ).toBe(true);
  });
});
