import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromiumPath, collectPageErrors, openBrowser, warnIfNoChromium } from '@asrq/test-browser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSite, checkLinks, docsRoot, listFiles, serveStatic } from './site-helpers.js';

// One build of the whole site (TypeDoc + CLI walk + results + VitePress), shared by every test here.
let workDir: string;
let distDir: string;

beforeAll(async () => {
  workDir = await mkdtemp(join(tmpdir(), 'asrq-docs-'));
  distDir = join(workDir, 'dist');
  await buildSite(distDir);
});

afterAll(async () => {
  if (workDir) await rm(workDir, { recursive: true, force: true });
});

describe('built site', () => {
  it('has the hand-written and the generated pages', async () => {
    const files = await listFiles(distDir);
    for (const page of [
      'index.html',
      'results/index.html',
      'reference/cli.html',
      'api/index.html',
      'tutorial/index.html',
      'tutorial/library.html',
      'concepts/quantization.html',
      'guides/bring-your-own-model.html',
    ]) {
      expect(files, page).toContain(page);
    }
    // One API page per package entry point.
    for (const pkg of ['core', 'audio', 'metrics', 'ctc', 'onnx', 'quantize', 'runtime', 'bench'])
      expect(files).toContain(`api/${pkg}.html`);
    const cli = await readFile(join(distDir, 'reference/cli.html'), 'utf8');
    for (const command of ['asrq inspect', 'asrq bench', 'asrq lm build', 'asrq data download'])
      expect(cli).toContain(command);
    const library = await readFile(join(distDir, 'tutorial/library.html'), 'utf8');
    expect(library).toContain('quantizeModelFile'); // the example file is included
    // The tutorial's sample outputs come from running its commands at build time.
    const tutorial = (await readFile(join(distDir, 'tutorial/index.html'), 'utf8')).replace(/<[^>]+>/g, '');
    expect(tutorial).toMatch(/\(root\): 622 ops/); // inspect
    expect(tutorial).toMatch(/output SQNR vs float: log_probs [0-9.]+ dB/); // quantize
    expect(tutorial).toMatch(/model\.int8\.onnx \| +6\.\d MB \|/); // bench
    expect(tutorial).toMatch(/float WER % [0-9.]+/); // sensitivity with --eval
    expect(tutorial).not.toContain('/tmp/');
  });

  it('has no broken internal link, asset reference or anchor', async () => {
    const { broken, checked, pages } = await checkLinks(distDir);
    expect(pages).toBeGreaterThan(20);
    expect(checked).toBeGreaterThan(500);
    expect(broken).toEqual([]);
  });

  it('links work on a static server without clean URLs: every internal page link names an .html file or a folder', async () => {
    const pages = (await listFiles(distDir)).filter((f) => f.endsWith('.html'));
    const bad: string[] = [];
    for (const file of pages) {
      const html = await readFile(join(distDir, file), 'utf8');
      for (const [, href] of html.matchAll(/<a [^>]*href="(\/[^"#?]*)/g)) {
        if (!/(\.html|\/|\.[a-z0-9]+)$/.test(href!)) bad.push(`${file}: ${href}`);
      }
    }
    expect(bad).toEqual([]);
    // /results/ is a page, not a folder a plain server would list.
    expect(pages).toContain('results/index.html');
    expect(pages).not.toContain('results.html');
  });

  it('fetches nothing from the network (no absolute http URLs in scripts or styles)', async () => {
    const assets = (await listFiles(distDir)).filter((f) => f.endsWith('.html') || f.endsWith('.css'));
    for (const file of assets) {
      const text = await readFile(join(distDir, file), 'utf8');
      expect(text, file).not.toMatch(/<(?:script|link)[^>]+(?:src|href)="https?:\/\//);
      expect(text, file).not.toMatch(/@import\s+url\(["']?https?:/);
    }
  });
});

warnIfNoChromium('docs browser test');

describe('site in a real browser', () => {
  it.skipIf(!chromiumPath)(
    'loads the home and results pages without console errors or outside requests, and screenshots them',
    async () => {
      const { url, server } = await serveStatic(distDir);
      const shots = join(docsRoot, 'test', 'screenshots');
      await mkdir(shots, { recursive: true });
      const browser = await openBrowser({ width: 1280, height: 900 });
      try {
        const page = await browser.newPage();
        const errors = collectPageErrors(page);
        const outside: string[] = [];
        page.on('requestfailed', (r) => errors.push(`request failed: ${r.url()}`));
        page.on('response', (r) => r.status() >= 400 && errors.push(`HTTP ${r.status()}: ${r.url()}`));
        page.on('request', (r) => !r.url().startsWith(url) && !r.url().startsWith('data:') && outside.push(r.url()));

        await page.goto(`${url}/`, { waitUntil: 'networkidle' });
        await expect(page.locator('.VPHero .name').textContent()).resolves.toContain('asrq');
        expect(await page.locator('.VPFeature').count()).toBeGreaterThanOrEqual(4);
        await page.screenshot({ path: join(shots, 'home.png'), fullPage: true });

        await page.goto(`${url}/results/`, { waitUntil: 'networkidle' });
        await expect(page.locator('h1').textContent()).resolves.toContain('Results');
        const plot = page.locator('svg.asrq-plot:visible');
        expect(await plot.count()).toBe(1);
        expect((await plot.boundingBox())!.width).toBeGreaterThan(300);
        expect(await plot.locator('circle[r="5"]').count()).toBeGreaterThanOrEqual(1);
        // Section headings say what was measured, not which file it came from.
        expect(await page.locator('h2').allTextContents()).not.toContainEqual(expect.stringMatching(/\.json|dev290-/));
        expect(await page.locator('table').count()).toBeGreaterThanOrEqual(1);
        await expect(page.locator('table').first().textContent()).resolves.toMatch(/WER %/);
        await page.screenshot({ path: join(shots, 'results.png'), fullPage: true });
        // Every results cell on one line, at desktop and phone width (the table scrolls sideways on a phone).
        for (const width of [1280, 390]) {
          await page.setViewportSize({ width, height: 900 });
          const wrapped = await page.evaluate(() =>
            Array.from(document.querySelectorAll('.asrq-results td, .asrq-results th'))
              .filter((cell) => {
                const range = document.createRange();
                range.selectNodeContents(cell);
                return new Set(Array.from(range.getClientRects(), (r) => Math.round(r.top))).size > 1;
              })
              .map((cell) => cell.textContent),
          );
          expect(wrapped, `wrapped cells at ${width} px`).toEqual([]);
          // The plot shown at this width: point labels at least 9 px tall, clear of each other and of the markers.
          const plotText = await page.evaluate(() => {
            const svg = Array.from(document.querySelectorAll('svg.asrq-plot')).find(
              (s) => s.getBoundingClientRect().width > 0,
            )!;
            const boxes = (selector: string) =>
              Array.from(svg.querySelectorAll(selector), (e) => e.getBoundingClientRect());
            const labels = Array.from(svg.querySelectorAll('text'))
              .filter((t) => /\.onnx/.test(t.textContent ?? ''))
              .map((t) => ({ text: t.textContent, box: t.getBoundingClientRect() }));
            const hit = (a: DOMRect, b: DOMRect) =>
              a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
            const clashes: string[] = [];
            labels.forEach((a, i) => {
              for (const b of labels.slice(i + 1)) if (hit(a.box, b.box)) clashes.push(`${a.text} / ${b.text}`);
              for (const c of boxes('circle')) if (hit(a.box, c)) clashes.push(`${a.text} / a marker`);
            });
            return { heights: labels.map((l) => l.box.height), clashes };
          });
          expect(Math.min(...plotText.heights), `label height at ${width} px`).toBeGreaterThanOrEqual(9);
          expect(plotText.clashes, `label overlaps at ${width} px`).toEqual([]);
          if (width === 1280) {
            // The main table fits the text column (the speedup column was off-screen at 988 px in 624).
            const fit = await page.evaluate(() => {
              const table = document.querySelector('.asrq-results table') as HTMLElement;
              return {
                table: table.scrollWidth,
                column: (document.querySelector('.vp-doc') as HTMLElement).clientWidth,
              };
            });
            expect(fit.table, `table ${fit.table} px in a ${fit.column} px column`).toBeLessThanOrEqual(fit.column);
          }
          expect(await page.locator('.asrq-results td').count()).toBeGreaterThan(5);
          await page.screenshot({ path: join(shots, `results-${width}.png`), fullPage: true });
        }
        await page.setViewportSize({ width: 1280, height: 900 });

        // Client-side navigation to another page works too (the router, not only the static HTML).
        await page.click('a[href="/tutorial/"]');
        await page.waitForURL(/\/tutorial\/$/);
        // The router swaps the content after the URL changes: wait for the new heading.
        await page.waitForFunction(() => document.querySelector('h1')?.textContent?.includes('Tutorial'), undefined, {
          timeout: 10_000,
        });

        expect(errors).toEqual([]);
        expect(outside).toEqual([]);
      } finally {
        await browser.close();
        server.close();
      }
    },
  );
});
