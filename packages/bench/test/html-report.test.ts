import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { chromiumPath, collectPageErrors, openBrowser, warnIfNoChromium } from '@asrq/test-browser';
import { describe, expect, it } from 'vitest';
import { formatHtmlReport } from '../src/html.js';
import { buildReport } from '../src/report.js';
import { syntheticRun } from './synthetic-run.js';
import { useTempDirs } from '@asrq/test-temp';

const { tempDir } = useTempDirs();

warnIfNoChromium('bench html-report test');

describe('HTML report in a real browser', () => {
  it.skipIf(!chromiumPath)('renders the table and both plots without console errors, and screenshots', async () => {
    const dir = await tempDir('asrq-html-');
    const file = join(dir, 'report.html');
    await writeFile(
      file,
      formatHtmlReport(
        buildReport(syntheticRun(), { node: 'v20', onnxruntime: '1.30.0', cpu: 'cpu', cores: 2, platform: 'linux' }),
      ),
    );
    const browser = await openBrowser();
    try {
      const page = await browser.newPage();
      const errors = collectPageErrors(page);
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
