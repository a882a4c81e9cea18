import { existsSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { chromium } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { formatHtmlReport } from '../src/html.js';
import { buildReport } from '../src/report.js';
import { syntheticRun } from './synthetic-run.js';

function findChromium(): string | undefined {
  try {
    const path = execFileSync('sh', ['-c', 'command -v chromium || command -v chromium-browser'], { encoding: 'utf8' }).trim();
    return path && existsSync(path) ? path : undefined;
  } catch {
    return undefined;
  }
}

const chromiumPath = findChromium();
if (!chromiumPath) console.warn('html-report test skipped: Debian chromium is not installed (apt-get install chromium)');

describe('HTML report in a real browser', () => {
  it.skipIf(!chromiumPath)('renders the table and both plots without console errors, and screenshots', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'asrq-html-'));
    const file = join(dir, 'report.html');
    await writeFile(file, formatHtmlReport(buildReport(syntheticRun(), { node: 'v20', onnxruntime: '1.30.0', cpu: 'cpu', cores: 2, platform: 'linux' })));
    const browser = await chromium.launchPersistentContext(join(dir, 'profile'), {
      executablePath: chromiumPath!,
      headless: true,
      viewport: { width: 1100, height: 900 },
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    try {
      const page = await browser.newPage();
      const errors: string[] = [];
      page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
      page.on('pageerror', (e) => errors.push(e.message));
      await page.goto(`file://${file}`);
      expect(await page.locator('tbody tr').count()).toBe(2);
      expect(await page.locator('svg[aria-label="WER versus encoder RTF"] circle').count()).toBe(2);
      expect(await page.locator('svg[aria-label="Per-utterance encoder RTF"] rect').count()).toBe(2);
      expect(await page.locator('pre').first().textContent()).toMatch(/REF:/);
      const box = await page.locator('svg[aria-label="WER versus encoder RTF"]').boundingBox();
      expect(box!.width).toBeGreaterThan(300);
      const shot = await page.screenshot({ path: join(dir, 'report.png'), fullPage: true });
      expect(shot.length).toBeGreaterThan(10_000);
      expect(errors).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});
