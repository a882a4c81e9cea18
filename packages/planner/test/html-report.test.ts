import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { chromiumPath, collectPageErrors, openBrowser, warnIfNoChromium } from '@asrq/test-browser';
import { describe, expect, it } from 'vitest';
import { paretoFront, writeAutoPlanReports, type AutoPlanResult, type Trial } from '../src/index.js';
import { useTempDirs } from '@asrq/test-temp';

const { tempDir } = useTempDirs();

warnIfNoChromium('planner html-report test');

const trial = (k: number, wer: number, rtf: number, accepted: boolean): Trial => ({
  key: `key${k}`,
  k,
  plan: { version: 1, rules: [{ select: '', mode: 'dynamic' }] },
  summary: `plan ${k} <b>`,
  modelPath: `m${k}.onnx`,
  sizeBytes: 5e6,
  sqnrDb: 30 + k,
  wer,
  floatWer: 76,
  werDelta: wer - 76,
  rtfEncoder: rtf,
  floatRtfEncoder: 0.006,
  speedup: 0.006 / rtf,
  accepted,
  seconds: 6,
});

function syntheticResult(): AutoPlanResult {
  const trials = [
    trial(0, 78, 0.0027, false),
    trial(11, 75.7, 0.0033, true),
    trial(5, 76.1, 0.0031, true),
    trial(2, 75.9, 0.003, true),
  ];
  return {
    plan: trials[3]!.plan,
    modelPath: 'auto.onnx',
    float: { wer: 76, rtfEncoder: 0.006 },
    best: trials[3]!,
    trials,
    pareto: paretoFront(trials as Array<Trial & { wer: number; rtfEncoder: number }>),
    stoppedBy: 'done',
    signals: [],
    moves: [],
    settings: {
      metric: 'wer',
      maxWerIncrease: 0.3,
      minSqnrDb: 20,
      eval: { data: 'dev', n: 150 },
      threads: 1,
      budgetSec: 1200,
    },
    elapsedSec: 40,
  };
}

describe('auto-plan reports', () => {
  it('writes JSON, Markdown (one row per trial) and HTML with the escaped summaries', async () => {
    const dir = await tempDir('asrq-auto-report-');
    const paths = await writeAutoPlanReports(dir, syntheticResult());
    expect(
      (await readFile(paths.markdown, 'utf8'))
        .split('\n')
        .filter((l) => l.startsWith('| ') && /\| (yes|no) \|/.test(l)),
    ).toHaveLength(4);
    expect(JSON.parse(await readFile(paths.json, 'utf8')).best.k).toBe(2);
    const html = await readFile(paths.html, 'utf8');
    expect(html).toContain('plan 2 &lt;b&gt;');
    expect(html).not.toMatch(/<script/i);
  });

  it.skipIf(!chromiumPath)('renders the Pareto plot and the table in a real browser, and screenshots', async () => {
    const dir = await tempDir('asrq-auto-html-');
    const { html } = await writeAutoPlanReports(dir, syntheticResult());
    const browser = await openBrowser();
    try {
      const page = await browser.newPage();
      const errors = collectPageErrors(page);
      await page.goto(`file://${html}`);
      expect(await page.locator('tbody tr').count()).toBe(4);
      const plot = page.locator('svg[aria-label="Plans tried: WER versus encoder RTF"]');
      expect(await plot.locator('circle.trial').count()).toBe(4);
      expect(await plot.locator('circle.best').count()).toBe(1);
      expect(await plot.locator('polyline.front').count()).toBe(1);
      expect((await plot.boundingBox())!.width).toBeGreaterThan(300);
      const shot = await page.screenshot({ path: join(dir, 'auto-plan.png'), fullPage: true });
      expect(shot.length).toBeGreaterThan(10_000);
      expect(errors).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});
