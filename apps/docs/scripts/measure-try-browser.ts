/**
 * The Try it page's own numbers in Debian chromium: serves a built site (default apps/docs/dist,
 * from `pnpm docs:build`), runs every bundled utterance through the page with greedy decoding
 * (each click = 3 interleaved float/int8 runs, medians), `--passes` times, and prints the encoder
 * RTF of each model over all utterances (summed encoder medians / summed audio), 1 thread (the
 * test server sends no cross-origin isolation headers). Machine load is printed: on a busy
 * machine only the ratio is worth reading.
 *
 *   pnpm --filter @asrq/docs exec tsx --conditions=@asrq/source scripts/measure-try-browser.ts [dist-dir] [--passes 3]
 */
import { loadavg } from 'node:os';
import { resolve } from 'node:path';
import { openBrowser } from '@asrq/test-browser';
import { serveStatic } from '../test/site-helpers.js';
import { docsRoot } from './paths.js';

const dist = resolve(process.argv[2] && !process.argv[2].startsWith('--') ? process.argv[2] : `${docsRoot}/dist`);
const at = process.argv.indexOf('--passes');
const passes = at >= 0 ? Number(process.argv[at + 1]) : 3;
const { url, server } = await serveStatic(dist);
const browser = await openBrowser({ width: 1280, height: 900 });
const before = loadavg()[0]!;
try {
  const page = await browser.newPage();
  await page.goto(`${url}/try/`, { waitUntil: 'networkidle' });
  const ids = await page
    .getByTestId('try-utterance')
    .locator('option')
    .evaluateAll((options) => options.map((o) => (o as HTMLOptionElement).value));
  const rtfs: Record<'float' | 'int8', number[]> = { float: [], int8: [] };
  for (let pass = 0; pass < passes; pass++) {
    const sums = { float: 0, int8: 0, audio: 0 };
    for (const id of ids) {
      await page.getByTestId('try-utterance').selectOption(id);
      await page.getByTestId('try-run').click();
      await page
        .getByTestId('try-status')
        .filter({ hasText: `Done: bundled utterance ${id}` })
        .waitFor({ timeout: 300_000 });
      for (const model of ['float', 'int8'] as const) {
        const row = page.locator(`[data-testid=try-results] tr[data-model=${model}]`);
        const encoder = Number(await row.getAttribute('data-encoder-sec'));
        sums[model] += encoder;
        if (model === 'float') sums.audio += encoder / Number(await row.getAttribute('data-rtf'));
      }
    }
    rtfs.float.push(sums.float / sums.audio);
    rtfs.int8.push(sums.int8 / sums.audio);
  }
  const median = (v: number[]) => [...v].sort((a, b) => a - b)[v.length >> 1]!;
  const version = await page.evaluate(() => navigator.userAgent);
  for (const model of ['float', 'int8'] as const) {
    const v = rtfs[model];
    process.stdout.write(
      `| chromium, onnxruntime-web (WASM SIMD) | ${model} | ${median(v).toFixed(4)} [${Math.min(...v).toFixed(4)}-${Math.max(...v).toFixed(4)}] | ${(median(rtfs.float) / median(v)).toFixed(2)}x |\n`,
    );
  }
  process.stdout.write(
    `${ids.length} bundled utterances x ${passes} passes; ${version}; load average ${before.toFixed(2)} before, ${loadavg()[0]!.toFixed(2)} after.\n`,
  );
} finally {
  await browser.close();
  server.close();
}
