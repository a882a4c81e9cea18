// The import picture of the workspace, from the TypeScript sources (tests and benchmarks left out):
// which package imports which, and every import cycle between files.
//
//   node scripts/import-graph.mjs             the package graph, file counts and every cycle
//   node scripts/import-graph.mjs --check     exit 1 on a cycle scripts/import-cycles.allow.json does not
//                                             list, or on an entry there that no longer matches a cycle
//                                             (run by `pnpm lint`)
//   node scripts/import-graph.mjs --json      the same facts as JSON
//
// A cycle is a strongly connected component of the file graph. It is a runtime cycle when its
// files also import each other in a circle through value imports; a type-only cycle closes only
// through `import type` / `export type` (erased by the compiler, but still one concept split over
// files that need each other). `import { type A }` counts as a value import: with
// verbatimModuleSyntax the module is still loaded. A cycle is allowed when all its files are in one
// allowlist entry, so breaking part of an allowed cycle passes and the entry is then shrunk.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { root } from './package-metadata.mjs';

/** The allowlist `--check` reads. */
export const allowFile = join(root, 'scripts/import-cycles.allow.json');

/** Every workspace package with a src folder under `dir`: name, folder. */
function workspacePackages(dir) {
  const found = [];
  for (const group of ['packages', 'apps']) {
    if (!existsSync(join(dir, group))) continue;
    for (const name of readdirSync(join(dir, group)).sort()) {
      const file = join(dir, group, name, 'package.json');
      if (!existsSync(file) || !existsSync(join(dir, group, name, 'src'))) continue;
      found.push({ name: JSON.parse(readFileSync(file, 'utf8')).name, dir: `${group}/${name}` });
    }
  }
  return found;
}

/** Source files under `dir` (no tests, no declaration files). */
function sourceFiles(dir) {
  const out = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...sourceFiles(path));
    else if (/\.(ts|mts|tsx)$/.test(entry.name) && !/\.(test|spec|bench)\.ts$|\.d\.ts$/.test(entry.name))
      out.push(path);
  }
  return out;
}

/** The module specifiers a file imports, each with whether only types come through it. */
function importsOf(file) {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const found = [];
  const visit = (node) => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier))
      found.push({ spec: node.moduleSpecifier.text, typeOnly: Boolean(node.importClause?.isTypeOnly) });
    else if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier))
      found.push({ spec: node.moduleSpecifier.text, typeOnly: node.isTypeOnly });
    else if (
      ts.isImportTypeNode(node) &&
      ts.isLiteralTypeNode(node.argument) &&
      ts.isStringLiteral(node.argument.literal)
    )
      found.push({ spec: node.argument.literal.text, typeOnly: true });
    else if (
      ts.isCallExpression(node) &&
      node.expression.kind === ts.SyntaxKind.ImportKeyword &&
      node.arguments[0] &&
      ts.isStringLiteral(node.arguments[0])
    )
      found.push({ spec: node.arguments[0].text, typeOnly: false });
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** A relative specifier as the file it names (`./x.js` -> `./x.ts`, `./dir` -> `./dir/index.ts`). */
function resolveRelative(from, spec) {
  const base = resolve(dirname(from), spec);
  const candidates = [
    base.replace(/\.js$/, '.ts'),
    base.replace(/\.mjs$/, '.mts'),
    `${base}.ts`,
    join(base, 'index.ts'),
    base,
  ];
  return candidates.find((c) => existsSync(c) && statSync(c).isFile());
}

/** The workspace package a bare specifier names (`@asrq/core/node` -> `@asrq/core`). */
function packageOf(spec, names) {
  const parts = spec.split('/');
  const name = spec.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
  return names.has(name) ? name : undefined;
}

/** Tarjan's strongly connected components over `nodes` and `edges` (node -> set of nodes). */
function components(nodes, edges) {
  let counter = 0;
  const index = new Map();
  const low = new Map();
  const stack = [];
  const onStack = new Set();
  const out = [];
  const strong = (start) => {
    // Iterative, so a deep import chain cannot overflow the call stack.
    const work = [{ node: start, next: [...(edges.get(start) ?? [])], i: 0 }];
    index.set(start, counter);
    low.set(start, counter++);
    stack.push(start);
    onStack.add(start);
    while (work.length > 0) {
      const frame = work[work.length - 1];
      if (frame.i < frame.next.length) {
        const to = frame.next[frame.i++];
        if (!index.has(to)) {
          index.set(to, counter);
          low.set(to, counter++);
          stack.push(to);
          onStack.add(to);
          work.push({ node: to, next: [...(edges.get(to) ?? [])], i: 0 });
        } else if (onStack.has(to)) low.set(frame.node, Math.min(low.get(frame.node), index.get(to)));
        continue;
      }
      work.pop();
      if (work.length > 0) {
        const parent = work[work.length - 1].node;
        low.set(parent, Math.min(low.get(parent), low.get(frame.node)));
      }
      if (low.get(frame.node) === index.get(frame.node)) {
        const members = [];
        let member;
        do {
          member = stack.pop();
          onStack.delete(member);
          members.push(member);
        } while (member !== frame.node);
        out.push(members.sort());
      }
    }
  };
  for (const node of nodes) if (!index.has(node)) strong(node);
  return out;
}

/**
 * The whole picture: packages and their imports, files, edges and cycles.
 * @param dir - The workspace root (default: this repository).
 */
export function importGraph(dir = root) {
  const packages = workspacePackages(dir);
  const names = new Set(packages.map((p) => p.name));
  const fileEdges = new Map();
  const valueEdges = new Map();
  const packageEdges = new Map(packages.map((p) => [p.name, new Map()]));
  const files = [];
  for (const pkg of packages) {
    for (const file of sourceFiles(join(dir, pkg.dir, 'src'))) {
      const from = relative(dir, file);
      files.push({ file: from, pkg: pkg.name });
      fileEdges.set(from, new Set());
      valueEdges.set(from, new Set());
      for (const { spec, typeOnly } of importsOf(file)) {
        if (spec.startsWith('.')) {
          const target = resolveRelative(file, spec);
          if (!target) continue;
          const to = relative(dir, target);
          fileEdges.get(from).add(to);
          if (!typeOnly) valueEdges.get(from).add(to);
          continue;
        }
        const other = packageOf(spec, names);
        if (other && other !== pkg.name) {
          const kinds = packageEdges.get(pkg.name);
          // A package edge is a value edge when any file imports a value through it.
          kinds.set(other, kinds.get(other) === 'value' || !typeOnly ? 'value' : 'type');
        }
      }
    }
  }
  const nodes = files.map((f) => f.file);
  const valueCycles = components(nodes, valueEdges).filter((c) => c.length > 1);
  const cycles = components(nodes, fileEdges)
    .filter((c) => c.length > 1)
    .map((c) => ({ files: c, runtime: valueCycles.some((v) => v.some((f) => c.includes(f))) }))
    .sort((a, b) => (a.files[0] < b.files[0] ? -1 : 1));
  const packageNodes = [...packageEdges.keys()];
  const packageCycles = components(
    packageNodes,
    new Map([...packageEdges].map(([from, to]) => [from, new Set(to.keys())])),
  ).filter((c) => c.length > 1);
  const countEdges = (edges) => [...edges.values()].reduce((n, to) => n + to.size, 0);
  return {
    packages: packageNodes.map((name) => ({
      name,
      files: files.filter((f) => f.pkg === name).length,
      imports: Object.fromEntries([...packageEdges.get(name)].sort()),
    })),
    packageCycles,
    files: files.length,
    edges: { all: countEdges(fileEdges), value: countEdges(valueEdges) },
    cycles,
  };
}

function printPicture(graph) {
  console.log('Packages (files in src/ without tests; the workspace packages each imports, (type) = types only):');
  for (const p of graph.packages) {
    const deps = Object.entries(p.imports).map(([name, kind]) => (kind === 'type' ? `${name} (type)` : name));
    console.log(`  ${p.name.padEnd(16)} ${String(p.files).padStart(3)} files  -> ${deps.join(', ') || '(none)'}`);
  }
  console.log(
    `Package cycles: ${graph.packageCycles.length === 0 ? 'none' : graph.packageCycles.map((c) => c.join(' <-> ')).join('; ')}`,
  );
  const runtime = graph.cycles.filter((c) => c.runtime).length;
  console.log(
    `Files: ${graph.files}, imports between files: ${graph.edges.all} (${graph.edges.value} value, ${graph.edges.all - graph.edges.value} type-only)`,
  );
  console.log(`File cycles: ${graph.cycles.length} (${runtime} runtime, ${graph.cycles.length - runtime} type-only)`);
  for (const c of graph.cycles)
    console.log(`  ${c.runtime ? 'runtime  ' : 'type-only'} ${c.files.length} files: ${c.files.join(', ')}`);
}

/**
 * Checks the graph's cycles against an allowlist, printing what fails on stderr.
 * @param graph - From {@link importGraph}.
 * @param allowed - Allowed cycles: `[{ files: [...], why }]`.
 * @param log - Where to say what fails.
 * @returns Whether every cycle is allowed, every entry still matches a cycle, and no package cycle exists.
 */
export function checkCycles(graph, allowed, log = console.error) {
  const covers = (entry, cycle) => cycle.files.every((f) => entry.files.includes(f));
  const unlisted = graph.cycles.filter((c) => !allowed.some((entry) => covers(entry, c)));
  const stale = allowed.filter((entry) => !graph.cycles.some((c) => covers(entry, c)));
  for (const c of unlisted)
    log(
      `import cycle (${c.runtime ? 'runtime' : 'type-only'}) among ${c.files.length} files: ${c.files.join(', ')}\n  Move what these files share into a leaf file (a types.ts) that imports none of them.`,
    );
  for (const entry of stale)
    log(
      `scripts/import-cycles.allow.json lists a cycle that is gone or smaller (${entry.files.join(', ')}): remove or shrink that entry.`,
    );
  if (graph.packageCycles.length > 0)
    log(`package cycle: ${graph.packageCycles.map((c) => c.join(' <-> ')).join('; ')}`);
  return unlisted.length + stale.length + graph.packageCycles.length === 0;
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(new URL(import.meta.url).pathname)) {
  const graph = importGraph();
  if (process.argv.includes('--json')) console.log(JSON.stringify(graph, null, 2));
  else if (process.argv.includes('--check')) {
    if (!checkCycles(graph, JSON.parse(readFileSync(allowFile, 'utf8')).cycles)) process.exit(1);
    console.log(
      `import-graph: ${graph.files} files, ${graph.cycles.length} cycle(s), all listed in scripts/import-cycles.allow.json`,
    );
  } else printPicture(graph);
}
