import { readdir, readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { Application, Converter, ReflectionKind, type Context } from 'typedoc';
import { docsRoot, repoRoot } from './paths.js';

/** One documented entry point: an export sub-path of a workspace package. */
export interface EntryPoint {
  /** Import specifier users write, e.g. `@asrq/core/node`. */
  specifier: string;
  /** Absolute path of the TypeScript source behind it. */
  file: string;
}

interface PackageJson {
  name: string;
  description?: string;
  private?: boolean;
  exports?: Record<string, unknown>;
}

/**
 * Lists the library entry points of the monorepo from each package's `exports`: every sub-path
 * with an `@asrq/source` condition, so a new package or entry point is documented without
 * touching this script.
 */
export async function findEntryPoints(): Promise<{
  entries: EntryPoint[];
  packages: Array<{ name: string; description: string }>;
}> {
  const entries: EntryPoint[] = [];
  const packages: Array<{ name: string; description: string }> = [];
  const dir = join(repoRoot, 'packages');
  for (const name of (await readdir(dir)).sort()) {
    let pkg: PackageJson;
    try {
      pkg = JSON.parse(await readFile(join(dir, name, 'package.json'), 'utf8')) as PackageJson;
    } catch {
      continue;
    }
    let found = false;
    for (const [subpath, target] of Object.entries(pkg.exports ?? {})) {
      const source =
        typeof target === 'object' && target !== null ? (target as Record<string, unknown>)['@asrq/source'] : undefined;
      if (typeof source !== 'string') continue;
      entries.push({
        specifier: subpath === '.' ? pkg.name : `${pkg.name}${subpath.slice(1)}`,
        file: join(dir, name, source),
      });
      found = true;
    }
    if (found) packages.push({ name: pkg.name, description: pkg.description ?? '' });
  }
  entries.sort((a, b) => (a.specifier < b.specifier ? -1 : 1));
  return { entries, packages };
}

/** TypeDoc and typedoc-plugin-markdown settings of the API reference (entry points and paths are added per run). */
const TYPEDOC_OPTIONS = {
  entryPointStrategy: 'resolve',
  plugin: ['typedoc-plugin-markdown'],
  readme: 'none',
  name: 'asrq API',
  skipErrorChecking: true,
  excludePrivate: true,
  excludeInternal: true,
  excludeExternals: true,
  disableSources: true,
  githubPages: false,
  logLevel: 'Warn',
  // typedoc-plugin-markdown
  outputFileStrategy: 'modules',
  entryFileName: 'index',
  hidePageHeader: true,
  hideBreadcrumbs: true,
  useCodeBlocks: true,
  parametersFormat: 'table',
  interfacePropertiesFormat: 'table',
  enumMembersFormat: 'table',
  typeDeclarationFormat: 'table',
  sanitizeComments: true,
  excludeScopesInPaths: true,
};

/**
 * Generates the API reference Markdown into `apps/docs/api/` with TypeDoc and
 * typedoc-plugin-markdown, from the TSDoc comments of the package sources.
 * @returns The entry points documented.
 */
export async function generateApi(): Promise<EntryPoint[]> {
  const outDir = join(docsRoot, 'api');
  await rm(outDir, { recursive: true, force: true });
  const { entries, packages } = await findEntryPoints();

  const app = await Application.bootstrapWithPlugins({
    ...TYPEDOC_OPTIONS,
    entryPoints: entries.map((e) => e.file),
    tsconfig: join(docsRoot, 'tsconfig.api.json'),
    out: outDir,
  } as Parameters<typeof Application.bootstrapWithPlugins>[0]);

  // Name each module after the import specifier users write, not its file path.
  app.converter.on(Converter.EVENT_RESOLVE_BEGIN, (context: Context) => {
    for (const mod of context.project.getReflectionsByKind(ReflectionKind.Module)) {
      const match = entries.find((e) => typedocModuleName(e.file) === mod.name);
      if (match) mod.name = match.specifier;
    }
  });

  const project = await app.convert();
  if (!project) throw new Error('TypeDoc could not convert the package sources (see the messages above).');
  await app.generateOutputs(project);
  await fixAnchorLinks(outDir);

  await writeApiIndex(outDir, entries, packages);
  return entries;
}

/** Writes the index page of the API reference: grouped by package, with each package's own description. */
async function writeApiIndex(
  outDir: string,
  entries: readonly EntryPoint[],
  packages: readonly { name: string; description: string }[],
): Promise<void> {
  const lines = [
    '# API reference',
    '',
    "Generated at build time by TypeDoc from the TSDoc comments in each package's sources; nothing here is written by hand.",
    'Every package is ESM-only and can be installed on its own.',
    '',
    '| package | entry points | what it does |',
    '|---|---|---|',
  ];
  for (const pkg of packages) {
    const own = entries.filter((e) => e.specifier === pkg.name || e.specifier.startsWith(`${pkg.name}/`));
    lines.push(
      `| \`${pkg.name}\` | ${own.map((e) => `[\`${e.specifier}\`](${apiLink(e.specifier)})`).join(', ')} | ${pkg.description} |`,
    );
  }
  await mkdir(outDir, { recursive: true });
  await writeFile(join(outDir, 'index.md'), `${lines.join('\n')}\n`);
}

/**
 * typedoc-plugin-markdown links `KALDI_WINDOW_TYPES` as `#kaldi_window_types`, but VitePress
 * slugs the heading to `kaldi-window-types` (underscores become hyphens): rewrite the fragments.
 */
async function fixAnchorLinks(dir: string): Promise<void> {
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.md')) continue;
    const path = join(entry.parentPath, entry.name);
    const text = await readFile(path, 'utf8');
    const fixed = text.replace(
      /\]\(([^)#\s]*)#([^)\s]+)\)/g,
      (_, page: string, fragment: string) => `](${page}#${fragment.replace(/_+/g, '-')})`,
    );
    if (fixed !== text) await writeFile(path, fixed);
  }
}

/** Site link of an entry point's page, as typedoc-plugin-markdown names it. */
export function apiLink(specifier: string): string {
  return `./${specifier.replace(/^@[^/]+\//, '')}.md`;
}

/** The name TypeDoc gives a module in `resolve` mode: its path under packages/, `/index` dropped. */
function typedocModuleName(file: string): string {
  return relative(join(repoRoot, 'packages'), file)
    .replace(/\.[cm]?ts$/, '')
    .replace(/\/index$/, '');
}
