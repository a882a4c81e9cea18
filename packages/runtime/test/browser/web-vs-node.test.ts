import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { encodeWav, readAudio } from '@asrq/audio';
import { loadTokenizer } from '@asrq/ctc';
import { defaultModelPath, defaultTokenizerPath } from '@asrq/fixtures';
import { chromiumPath, collectPageErrors, openBrowser, warnIfNoChromium } from '@asrq/test-browser';
import { build } from 'tsdown';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CtcModel } from '../../src/ctc-model.js';
import { needsChunking } from '../../src/long-audio.js';
import { Transcriber } from '../../src/transcriber.js';
import { firstUtterancePaths } from '../utterances.js';

// The browser entry (@asrq/runtime/browser on onnxruntime-web's WebAssembly build) in Debian's
// chromium, against the Node runtime (onnxruntime-node) on the same files: a 60-second file,
// which must go through long-audio windows, and a 400-sample clip, shorter than the model's
// receptive field, which must be padded. Both must give the same transcripts.
const here = dirname(fileURLToPath(import.meta.url));
const ortDist = dirname(createRequire(import.meta.url).resolve('onnxruntime-web')); // its dist/ folder
const TYPES: Record<string, string> = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.wasm': 'application/wasm',
};

/** Serves `routes` (URL path -> file) on 127.0.0.1, and onnxruntime-web's files under /ort/. */
async function serve(routes: Record<string, string>): Promise<{ url: string; server: Server; requests: string[] }> {
  const requests: string[] = [];
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    requests.push(path);
    if (path === '/favicon.ico') {
      res.writeHead(204);
      res.end();
      return;
    }
    const file =
      routes[path] ?? (path.startsWith('/ort/') ? join(ortDist, path.slice(5).replace(/\.\./g, '')) : undefined);
    if (!file) {
      res.writeHead(404);
      res.end();
      return;
    }
    readFile(file).then(
      (body) => {
        res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
        res.end(body);
      },
      () => {
        res.writeHead(404);
        res.end();
      },
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('the test server got no port');
  return { url: `http://127.0.0.1:${address.port}`, server, requests };
}

warnIfNoChromium('@asrq/runtime/browser browser test');

describe.skipIf(!chromiumPath)('@asrq/runtime/browser in chromium against the Node runtime', () => {
  let work: string;
  let long: Float32Array;
  let short: Float32Array;
  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'asrq-web-browser-'));
    await build({
      entry: { page: join(here, 'page.ts') },
      outDir: join(work, 'dist'),
      format: 'esm',
      platform: 'browser',
      dts: false,
      clean: true,
      config: false,
      logLevel: 'warn',
      deps: { alwaysBundle: () => true, onlyBundle: false },
      inputOptions: {
        resolve: {
          conditionNames: ['@asrq/source', 'onnxruntime-web-use-extern-wasm', 'browser', 'import', 'default'],
        },
      },
    });
    await writeFile(join(work, 'index.html'), '<!doctype html><script type="module" src="/page.js"></script>\n');
    // 60 s of speech: the bundled utterances one after another, cut at exactly 60 s.
    const parts: Float32Array[] = [];
    let total = 0;
    for (const path of await firstUtterancePaths(40)) {
      if (total >= 60 * 16000) break;
      const audio = await readAudio(path, { sampleRate: 16000 });
      parts.push(audio);
      total += audio.length;
    }
    long = new Float32Array(60 * 16000);
    let at = 0;
    for (const part of parts) {
      long.set(part.subarray(0, long.length - at), at);
      at += Math.min(part.length, long.length - at);
    }
    short = parts[0]!.slice(8000, 8400);
    await writeFile(join(work, 'long.wav'), encodeWav([long], 16000));
    await writeFile(join(work, 'short.wav'), encodeWav([short], 16000));
  }, 120_000);
  afterAll(async () => {
    if (work) await rm(work, { recursive: true, force: true });
  });

  it('a 60-second file and a 400-sample clip give the Node runtime transcripts', async () => {
    // What Node gives for the same samples (the WAV files are 16-bit: read them back, as the page does).
    const node = await CtcModel.load(defaultModelPath);
    let expected: string[];
    try {
      expect(needsChunking(long.length, 16000)).toBe(true); // windows, not one pass
      expect(await node.minSamples()).toBeGreaterThan(short.length); // padding, not refusal
      const transcriber = new Transcriber(node, await loadTokenizer(defaultTokenizerPath));
      expected = [];
      for (const file of ['long.wav', 'short.wav'])
        expected.push((await transcriber.transcribe(await readAudio(join(work, file), { sampleRate: 16000 }))).text);
    } finally {
      await node.release();
    }
    expect(expected[0]!.split(' ').length).toBeGreaterThan(50);

    const { url, server, requests } = await serve({
      '/': join(work, 'index.html'),
      '/page.js': join(work, 'dist', 'page.js'),
      '/model.onnx': defaultModelPath,
      '/tokenizer.model': defaultTokenizerPath,
      '/long.wav': join(work, 'long.wav'),
      '/short.wav': join(work, 'short.wav'),
    });
    const browser = await openBrowser();
    try {
      const page = await browser.newPage();
      const errors = collectPageErrors(page);
      await page.goto(`${url}/`, { waitUntil: 'load' });
      await page.waitForFunction(() => 'asrqTranscribe' in globalThis, undefined, { timeout: 60_000 });
      const texts = await page.evaluate(() =>
        (
          globalThis as unknown as {
            asrqTranscribe: (m: string, t: string, a: string[]) => Promise<string[]>;
          }
        ).asrqTranscribe('/model.onnx', '/tokenizer.model', ['/long.wav', '/short.wav']),
      );
      expect(texts).toEqual(expected);
      expect(requests.some((r) => r.startsWith('/ort/') && r.endsWith('.wasm'))).toBe(true);
      expect(errors).toEqual([]);
    } finally {
      await browser.close();
      server.close();
    }
  }, 300_000);
});
