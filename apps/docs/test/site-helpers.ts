import { execFile } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { extname, join, normalize, posix, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { lockDirectory, type DirLock } from '@asrq/core/node';

const run = promisify(execFile);

/** apps/docs */
export const docsRoot = fileURLToPath(new URL('..', import.meta.url));

/**
 * Builds the site exactly as `pnpm run build` does (generate, then vitepress build) into `outDir`.
 * @returns The build's output, for failure messages.
 */
export async function buildSite(outDir: string): Promise<string> {
  // Builds of this checkout share the generated pages and VitePress's .vitepress/.temp: two at
  // once (test files run in parallel) break each other, so they take turns.
  const lock = await takeBuildLock();
  try {
    const { stdout, stderr } = await run('pnpm', ['run', 'build', '--outDir', outDir], {
      cwd: docsRoot,
      maxBuffer: 64 * 1024 * 1024,
      env: { ...process.env, NO_COLOR: '1' },
    });
    return `${stdout}\n${stderr}`;
  } finally {
    await lock.release();
  }
}

async function takeBuildLock(): Promise<DirLock> {
  for (let waited = 0; ; waited += 2000) {
    try {
      return await lockDirectory(join(docsRoot, '.vitepress', 'cache'), {
        name: 'site-build.lock',
        code: 'DOCS_BUILD_LOCKED',
        what: 'site build',
      });
    } catch (error) {
      if ((error as { code?: string }).code !== 'DOCS_BUILD_LOCKED' || waited > 900_000) throw error;
      await new Promise((resolve) => setTimeout(resolve, 2000));
    }
  }
}

/** Every file under `dir`, as paths relative to it with `/` separators. */
export async function listFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (d: string) => {
    for (const entry of await readdir(d, { withFileTypes: true })) {
      const path = join(d, entry.name);
      if (entry.isDirectory()) await walk(path);
      else out.push(relative(dir, path).split(sep).join('/'));
    }
  };
  await walk(dir);
  return out.sort();
}

/**
 * The file a site URL path is served from: `/a/` -> `a/index.html`, `/a` -> `a` or `a.html`
 * (VitePress cleanUrls), `/a.html` -> `a.html`.
 */
export function resolveSitePath(distDir: string, urlPath: string): string | undefined {
  const clean = posix.normalize(decodeURIComponent(urlPath));
  const candidates = clean.endsWith('/') ? [`${clean}index.html`] : [clean, `${clean}.html`, `${clean}/index.html`];
  for (const candidate of candidates) {
    const file = join(distDir, normalize(candidate));
    if (!file.startsWith(distDir)) return undefined;
    if (existsSync(file) && statSync(file).isFile()) return file;
  }
  return undefined;
}

/** One broken link found in the built site. */
export interface BrokenLink {
  page: string;
  href: string;
  reason: string;
}

const ATTRIBUTE = /\s(?:href|src)="([^"]*)"/g;

/**
 * Checks every internal link and asset reference (`href`, `src`) of every HTML page in `distDir`:
 * the target file must exist, and a `#fragment` must be an `id` in the target page.
 * @returns The broken links, and how many links were checked.
 */
export async function checkLinks(distDir: string): Promise<{ broken: BrokenLink[]; checked: number; pages: number }> {
  const pages = (await listFiles(distDir)).filter((f) => f.endsWith('.html'));
  const idCache = new Map<string, Set<string>>();
  const idsOf = async (file: string) => {
    let ids = idCache.get(file);
    if (!ids) {
      const html = await readFile(file, 'utf8');
      ids = new Set([...html.matchAll(/\sid="([^"]+)"/g)].map((m) => decodeEntities(m[1]!)));
      idCache.set(file, ids);
    }
    return ids;
  };
  const broken: BrokenLink[] = [];
  let checked = 0;
  for (const page of pages) {
    const html = await readFile(join(distDir, page), 'utf8');
    for (const match of html.matchAll(ATTRIBUTE)) {
      const href = decodeEntities(match[1]!);
      if (href === '' || /^[a-z][a-z0-9+.-]*:/i.test(href) || href.startsWith('//')) continue; // external, mailto:, data:
      checked++;
      const [pathPart, fragment] = splitHash(href);
      const base = `/${page}`;
      const urlPath =
        pathPart === '' ? base : pathPart.startsWith('/') ? pathPart : posix.join(posix.dirname(base), pathPart);
      const target = resolveSitePath(distDir, urlPath.split('?')[0]!);
      if (!target) {
        broken.push({ page, href, reason: 'no such file' });
        continue;
      }
      if (fragment && extname(target) === '.html' && !(await idsOf(target)).has(decodeURIComponent(fragment))) {
        broken.push({ page, href, reason: `no element with id "${fragment}"` });
      }
    }
  }
  return { broken, checked, pages: pages.length };
}

function splitHash(href: string): [string, string | undefined] {
  const i = href.indexOf('#');
  return i < 0 ? [href, undefined] : [href.slice(0, i), href.slice(i + 1) || undefined];
}

function decodeEntities(text: string): string {
  return text
    .replace(/&amp;/g, '&')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>');
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.wasm': 'application/wasm',
  '.css': 'text/css',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.woff2': 'font/woff2',
  '.png': 'image/png',
};

/**
 * A tiny static server for the built site on 127.0.0.1 and a random port.
 * @param headers - Extra response headers (e.g. the cross-origin isolation pair the Try it page documents).
 */
export async function serveStatic(
  distDir: string,
  headers: Record<string, string> = {},
): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    const file = resolveSitePath(distDir, path) ?? join(distDir, '404.html');
    readFile(file).then(
      (body) => {
        res.writeHead(file.endsWith('404.html') && !path.endsWith('404.html') ? 404 : 200, {
          ...headers,
          'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
        });
        res.end(body);
      },
      () => {
        res.writeHead(500);
        res.end();
      },
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('server did not get a port');
  return { url: `http://127.0.0.1:${address.port}`, server };
}
