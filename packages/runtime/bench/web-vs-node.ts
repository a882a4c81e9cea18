/**
 * WebAssembly vs native: the bundled float model and its int8 version (the files the docs' Try it
 * page serves, apps/docs/public/try/, written by `pnpm --filter @asrq/docs try-assets`) run in
 * onnxruntime-node 1.30 (native, MLAS) and in onnxruntime-web 1.30 (its WebAssembly SIMD build,
 * hosted here by Node's V8, the engine chromium uses too), all at 1 thread, interleaved per
 * utterance in a rotating order so machine load hits them alike. Encoder time only
 * (`session.run`), as `asrq bench` reports it. Prints a markdown table for the docs page.
 *
 *   pnpm --filter @asrq/runtime exec tsx --conditions=@asrq/source bench/web-vs-node.ts [--warmup 5] [--passes 3] [--model label=path ...]
 *
 * `--model label=path` (repeatable) adds other quantized versions of the same model, e.g. the
 * bundled model under other plans, to find the forms that run fastest in WebAssembly (they need
 * not be the ones that win natively).
 *
 * Corpus: the bundled dev-mini (40 utterances): the first `--warmup` only warm up, the rest are
 * measured in every pass. RTF of a pass = its summed encoder time / summed audio; the table gives
 * the median pass and the range. The load average before and after is printed: a busy machine
 * inflates every number, the ratios measured in the same run much less.
 */
import { readFile } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openCorpus, readAudio } from '@asrq/audio';
import { defaultCorpusDir } from '@asrq/fixtures';
import { CtcModel } from '../src/index.js';
import { configureWasm, WebCtcModel } from '../src/browser/index.js';

const argument = (name: string, fallback: number) => {
  const at = process.argv.indexOf(name);
  return at >= 0 ? Number(process.argv[at + 1]) : fallback;
};
const warmup = argument('--warmup', 5);
const passes = argument('--passes', 3);
const tryDir = fileURLToPath(new URL('../../../apps/docs/public/try/', import.meta.url));

interface Runner {
  label: string;
  runtime: 'onnxruntime-node' | 'onnxruntime-web (WASM)';
  model: string;
  bytes: number;
  forward: (audio: Float32Array) => Promise<number>;
}

configureWasm({ threads: 1 });
const runners: Runner[] = [];
const extra = process.argv.flatMap((arg, i) => (process.argv[i - 1] === '--model' ? [arg] : []));
for (const [model, path] of [
  ['float', join(tryDir, 'model.onnx')],
  ['int8', join(tryDir, 'model.int8.onnx')],
  ...extra.map((spec) => {
    const at = spec.indexOf('=');
    if (at <= 0) throw new Error(`--model wants label=path, got "${spec}"`);
    return [spec.slice(0, at), resolve(spec.slice(at + 1))] as const;
  }),
]) {
  const file = basename(path);
  const native = await CtcModel.load(path, { session: { threads: 1 } });
  runners.push({
    label: `node ${model}`,
    runtime: 'onnxruntime-node',
    model,
    bytes: native.sizeBytes,
    forward: async (a) => (await native.forward([a])).encoderSec,
  });
  const web = await WebCtcModel.load(await readFile(path), { name: file });
  runners.push({
    label: `wasm ${model}`,
    runtime: 'onnxruntime-web (WASM)',
    model,
    bytes: web.sizeBytes,
    forward: async (a) => (await web.forward([a])).encoderSec,
  });
}

const corpus = await openCorpus(defaultCorpusDir);
const clips = await Promise.all(corpus.items.map((item) => readAudio(item.audioPath, { sampleRate: 16000 })));
const loadBefore = loadavg();
for (const clip of clips.slice(0, warmup)) for (const r of runners) await r.forward(clip);
const measured = clips.slice(warmup);
const audioSec = measured.reduce((n, c) => n + c.length, 0) / 16000;
const rtf = new Map<string, number[]>(runners.map((r) => [r.label, []]));
for (let pass = 0; pass < passes; pass++) {
  const sums = new Map<string, number>(runners.map((r) => [r.label, 0]));
  for (const [i, clip] of measured.entries()) {
    for (let k = 0; k < runners.length; k++) {
      const r = runners[(i + k) % runners.length]!; // rotate who goes first
      sums.set(r.label, sums.get(r.label)! + (await r.forward(clip)));
    }
  }
  for (const r of runners) rtf.get(r.label)!.push(sums.get(r.label)! / audioSec);
}
const loadAfter = loadavg();

const median = (v: number[]) => [...v].sort((a, b) => a - b)[v.length >> 1]!;
const nodeFloat = median(rtf.get('node float')!);
const fmt = (x: number) => x.toFixed(4);
const lines = [
  `| runtime | model | size | RTF encoder, median [min-max] of ${passes} passes | speedup vs float, same runtime | native vs WASM, same model |`,
  '| --- | --- | ---: | ---: | ---: | ---: |',
];
for (const r of runners) {
  const values = rtf.get(r.label)!;
  const m = median(values);
  const floatSame = median(rtf.get(`${r.label.split(' ')[0]} float`)!);
  const nativeSame = median(rtf.get(`node ${r.model}`)!);
  lines.push(
    `| ${r.runtime} | ${r.model} | ${(r.bytes / 1e6).toFixed(1)} MB | ${fmt(m)} [${fmt(Math.min(...values))}-${fmt(Math.max(...values))}] | ${(floatSame / m).toFixed(2)}x | ${r.runtime === 'onnxruntime-node' ? '1.00x' : `${(m / nativeSame).toFixed(2)}x slower`} |`,
  );
}
process.stdout.write(`${lines.join('\n')}\n\n`);
process.stdout.write(
  `${measured.length} dev-mini utterances (${audioSec.toFixed(1)} s of audio) after ${warmup} warm-up ones, ${passes} passes, 1 thread, all interleaved per utterance; ` +
    `Node ${process.version}, ${cpus()[0]?.model ?? 'unknown CPU'} x ${cpus().length}; load average ${loadBefore[0]!.toFixed(2)} before, ${loadAfter[0]!.toFixed(2)} after. ` +
    `float RTF (node) ${fmt(nodeFloat)}.\n`,
);
