import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeWav, readAudio } from '@asrq/audio';
import { loadArpa, loadTokenizer } from '@asrq/ctc';
import { defaultTokenizerPath } from '@asrq/fixtures';
import { chromiumPath, collectPageErrors, openBrowser, warnIfNoChromium } from '@asrq/test-browser';
import { CtcModel, Transcriber, type DecodeSettings } from '@asrq/runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSite, docsRoot, listFiles, serveStatic } from './site-helpers.js';

// The Try it page: float and int8 in onnxruntime-web (WebAssembly) in Debian chromium, checked
// against the Node runtime (onnxruntime-node) on the same files the site serves.
let workDir: string;
let distDir: string;

interface Manifest {
  models: { float: { file: string; bytes: number }; int8: { file: string; bytes: number } };
  lm: { file: string };
  ort: { bytes: number };
  downloadBytes: number;
  utterances: { id: string; file: string; reference: string }[];
}
let manifest: Manifest;

beforeAll(async () => {
  workDir = await mkdtemp(join(tmpdir(), 'asrq-docs-try-'));
  distDir = join(workDir, 'dist');
  await buildSite(distDir);
  manifest = JSON.parse(await readFile(join(distDir, 'try', 'manifest.json'), 'utf8')) as Manifest;
}, 900_000); // may wait for another test file's build of the site (buildSite takes turns)

afterAll(async () => {
  if (workDir) await rm(workDir, { recursive: true, force: true });
});

/** What the Node runtime transcribes for a served file with a served model. */
async function nodeText(modelFile: string, audioFile: string, settings: DecodeSettings = {}): Promise<string> {
  const model = await CtcModel.load(join(distDir, 'try', modelFile));
  try {
    const transcriber = new Transcriber(model, await loadTokenizer(defaultTokenizerPath), settings);
    return (
      await transcriber.transcribe(
        await readAudio(join(distDir, 'try', audioFile), { sampleRate: model.info.sampleRate }),
      )
    ).text;
  } finally {
    await model.release();
  }
}

describe('Try it assets', () => {
  it('ships both models, the tokenizer, the LM, the utterances and onnxruntime-web from the site itself', async () => {
    const files = await listFiles(distDir);
    for (const file of [
      'try/index.html',
      'try/model.onnx',
      'try/model.int8.onnx',
      'try/tokenizer.model',
      'try/lm.arpa.gz',
      'try/ort/ort-wasm-simd-threaded.wasm',
      'try/ort/ort-wasm-simd-threaded.mjs',
    ]) {
      expect(files).toContain(file);
    }
    expect(manifest.utterances.length).toBeGreaterThanOrEqual(3);
    for (const u of manifest.utterances) expect(files).toContain(`try/${u.file}`);
    // The int8 model is really quantized (best.json makes it well under half the float size).
    expect(manifest.models.int8.bytes).toBeLessThan(manifest.models.float.bytes / 2);
  });
});

warnIfNoChromium('docs Try it browser test');

describe('Try it page in a real browser', () => {
  it.skipIf(!chromiumPath)(
    'transcribes bundled, dropped and offline clips with both models exactly as the Node runtime does, shows a speedup, and requests nothing outside its origin',
    async () => {
      const [first, second, third] = manifest.utterances as [
        Manifest['utterances'][0],
        Manifest['utterances'][0],
        Manifest['utterances'][0],
      ];
      const lm = await loadArpa(join(distDir, 'try', manifest.lm.file));
      const expected = {
        greedy: {
          float: await nodeText(manifest.models.float.file, first.file),
          int8: await nodeText(manifest.models.int8.file, first.file),
        },
        lm: {
          float: await nodeText(manifest.models.float.file, second.file, { lm }),
          int8: await nodeText(manifest.models.int8.file, second.file, { lm }),
        },
        file: {
          float: await nodeText(manifest.models.float.file, third.file),
          int8: await nodeText(manifest.models.int8.file, third.file),
        },
      };
      expect(expected.greedy.float.length).toBeGreaterThan(0);

      const { url, server } = await serveStatic(distDir);
      const shots = join(docsRoot, 'test', 'screenshots');
      await mkdir(shots, { recursive: true });
      const browser = await openBrowser({ width: 1280, height: 900 });
      try {
        const page = await browser.newPage();
        const errors = collectPageErrors(page);
        const outside: string[] = [];
        const requests: string[] = [];
        page.on('request', (r) => {
          requests.push(r.url());
          if (!r.url().startsWith(url) && !r.url().startsWith('data:') && !r.url().startsWith('blob:'))
            outside.push(r.url());
        });
        page.on('response', (r) => r.status() >= 400 && errors.push(`HTTP ${r.status()}: ${r.url()}`));
        const readTexts = async () => ({
          float: (await page.getByTestId('try-text-float').textContent())?.trim(),
          int8: (await page.getByTestId('try-text-int8').textContent())?.trim(),
        });
        const runAndWait = async () => {
          await page.getByTestId('try-run').click();
          await page.getByTestId('try-results').waitFor({ timeout: 180_000 });
          await page.waitForFunction(
            () => !(document.querySelector('[data-testid=try-run]') as HTMLButtonElement).disabled,
            undefined,
            { timeout: 180_000 },
          );
        };

        await page.goto(`${url}/try/`, { waitUntil: 'networkidle' });
        // Lazy: the models are not fetched until the visitor asks.
        expect(requests.filter((r) => r.endsWith('.onnx'))).toEqual([]);
        await expect(page.getByTestId('try-env').textContent()).resolves.toContain(
          'not cross-origin isolated: 1 thread',
        );
        await page.evaluate(() => {
          const seen = new MutationObserver(() => {
            if (document.querySelector('[data-testid=try-progress]'))
              (window as unknown as { sawProgress: boolean }).sawProgress = true;
          });
          seen.observe(document.body, { childList: true, subtree: true });
        });

        // The utterance menu looks like one (VitePress strips the native arrow), and the button
        // names everything the first click fetches, the WebAssembly runtime included.
        const menu = await page.getByTestId('try-utterance').evaluate((e) => {
          const style = getComputedStyle(e);
          return { appearance: style.appearance, image: style.backgroundImage };
        });
        expect(menu.appearance !== 'none' || menu.image.includes('svg')).toBe(true);
        const label = (await page.getByTestId('try-run').textContent())!;
        const announced = Number(/\(([\d.]+) MB\)/.exec(label)?.[1]);
        expect(label).toContain('onnxruntime-web');
        expect(announced * 1e6).toBeGreaterThan(
          manifest.models.float.bytes + manifest.models.int8.bytes + manifest.ort.bytes - 1e5,
        );

        // 1. A bundled utterance, greedy: both transcripts equal the Node runtime's.
        await runAndWait();
        // The results are scrolled into view (they sit below the controls).
        await page.waitForFunction(
          () => {
            const box = document.querySelector('[data-testid=try-results]')!.getBoundingClientRect();
            return box.top >= 0 && box.bottom <= window.innerHeight;
          },
          undefined,
          { timeout: 10_000 },
        );
        expect(await page.evaluate(() => (window as unknown as { sawProgress?: boolean }).sawProgress)).toBe(true);
        expect(await readTexts()).toEqual(expected.greedy);
        const speedup = (await page.getByTestId('try-speedup-int8').textContent())!.trim();
        expect(speedup).toMatch(/^\d+\.\d\dx$/);
        expect((await page.getByTestId('try-speedup-float').textContent())!.trim()).toBe('1.00x');
        const cells = await page.locator('[data-testid=try-results] tbody tr[data-model=int8] td').allTextContents();
        expect(cells[1]).toMatch(/MB$/); // size
        expect(cells[5]).toMatch(/%$/); // WER against the reference
        await expect(page.getByTestId('try-reference').textContent()).resolves.toBe(first.reference);
        await page.screenshot({ path: join(shots, 'try-1280.png'), fullPage: true });
        const onnxFetches = requests.filter((r) => r.endsWith('.onnx')).length;
        expect(onnxFetches).toBe(2);

        // 2. Offline once loaded: another utterance with beam search and the test LM.
        await browser.setOffline(true);
        await page.getByTestId('try-utterance').selectOption(second.id);
        await page.getByTestId('try-beam-lm').check();
        await runAndWait();
        expect(await readTexts()).toEqual(expected.lm);
        await browser.setOffline(false);

        // 3. A dropped/chosen FLAC file, greedy.
        await page.getByTestId('try-greedy').check();
        await page.getByTestId('try-file').setInputFiles(join(distDir, 'try', third.file));
        await page
          .getByTestId('try-status')
          .filter({ hasText: 'Done:' })
          .filter({ hasText: third.file.split('/').pop()! })
          .waitFor({ timeout: 180_000 });
        expect(await readTexts()).toEqual(expected.file);
        expect(requests.filter((r) => r.endsWith('.onnx')).length).toBe(onnxFetches); // models were not fetched again

        // Phone width: nothing wider than the screen.
        await page.setViewportSize({ width: 390, height: 844 });
        await page.getByTestId('try-utterance').selectOption(first.id);
        await runAndWait();
        expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
        await page.screenshot({ path: join(shots, 'try-390.png'), fullPage: true });

        expect(outside).toEqual([]);
        expect(errors).toEqual([]);
        expect(page.workers()).toEqual([]); // one thread: no WebAssembly worker threads
        await expect(page.getByTestId('try-error').count()).resolves.toBe(0);
      } finally {
        await browser.close();
        server.close();
      }
    },
  );

  it.skipIf(!chromiumPath)(
    'runs on 2 WebAssembly threads when served with the cross-origin isolation headers the page documents, with the same transcripts',
    async () => {
      const first = manifest.utterances[0]!;
      const expected = {
        float: await nodeText(manifest.models.float.file, first.file),
        int8: await nodeText(manifest.models.int8.file, first.file),
      };
      const { url, server } = await serveStatic(distDir, {
        'cross-origin-opener-policy': 'same-origin',
        'cross-origin-embedder-policy': 'require-corp',
      });
      const browser = await openBrowser({ width: 1280, height: 900 });
      try {
        const page = await browser.newPage();
        const errors = collectPageErrors(page);
        await page.goto(`${url}/try/`, { waitUntil: 'networkidle' });
        expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
        await expect(page.getByTestId('try-env').textContent()).resolves.toContain(
          'cross-origin isolated: threads available',
        );
        // Cross-origin isolated: the thread menu starts at the machine's cores (at most 8), not 1.
        const cores = await page.evaluate(() => navigator.hardwareConcurrency);
        await expect(page.getByTestId('try-threads').inputValue()).resolves.toBe(
          String(Math.max(1, Math.min(cores, 8))),
        );
        await page.getByTestId('try-threads').selectOption('2');
        await page.getByTestId('try-run').click();
        await page.getByTestId('try-status').filter({ hasText: 'Done:' }).waitFor({ timeout: 180_000 });
        await expect(page.getByTestId('try-status').textContent()).resolves.toContain('2 threads');
        expect(page.workers().length).toBeGreaterThanOrEqual(1); // onnxruntime-web's WebAssembly thread pool
        expect({
          float: (await page.getByTestId('try-text-float').textContent())?.trim(),
          int8: (await page.getByTestId('try-text-int8').textContent())?.trim(),
        }).toEqual(expected);
        expect(errors).toEqual([]);
      } finally {
        await browser.close();
        server.close();
      }
    },
  );

  it.skipIf(!chromiumPath)(
    'records from a (fake) microphone playing a bundled utterance and transcribes the recording with both models',
    async () => {
      const first = manifest.utterances[0]!;
      const audio = await readAudio(join(distDir, 'try', first.file), { sampleRate: 16000 });
      // Chromium's fake capture device plays this file (looped) as the microphone.
      const wav = join(workDir, 'microphone.wav');
      await writeFile(wav, encodeWav([audio], 16000));
      const { url, server } = await serveStatic(distDir);
      const browser = await openBrowser({ width: 1280, height: 900 }, [
        '--use-fake-ui-for-media-stream',
        '--use-fake-device-for-media-stream',
        `--use-file-for-fake-audio-capture=${wav}`,
      ]);
      try {
        await browser.grantPermissions(['microphone'], { origin: url });
        const page = await browser.newPage();
        const errors = collectPageErrors(page);
        await page.goto(`${url}/try/`, { waitUntil: 'networkidle' });
        await page.getByTestId('try-mic').click();
        await page.getByTestId('try-mic').filter({ hasText: 'Stop' }).waitFor({ timeout: 30_000 }); // the microphone is open
        // Record a little longer than the utterance (a wait for audio to arrive, not a timing verdict).
        await page.waitForTimeout(Math.ceil((audio.length / 16000) * 1000) + 1500);
        await page.getByTestId('try-mic').click();
        await page
          .getByTestId('try-status')
          .filter({ hasText: 'Done: microphone recording' })
          .waitFor({ timeout: 180_000 });
        const seconds = Number(
          /microphone recording \(([\d.]+) s\)/.exec((await page.getByTestId('try-status').textContent()) ?? '')?.[1],
        );
        expect(seconds).toBeGreaterThan(audio.length / 16000);
        const float = (await page.getByTestId('try-text-float').textContent())?.trim() ?? '';
        const int8 = (await page.getByTestId('try-text-int8').textContent())?.trim() ?? '';
        // The model hears the utterance through a 48 kHz capture and asrq's resampler: some of its words come through.
        const words = new Set(first.reference.split(' '));
        expect(
          float.split(' ').some((w) => words.has(w)),
          `float heard "${float}" for "${first.reference}"`,
        ).toBe(true);
        expect(int8.length).toBeGreaterThan(0);
        expect(errors).toEqual([]);
      } finally {
        await browser.close();
        server.close();
      }
    },
  );
});
