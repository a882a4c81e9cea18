/**
 * Quantizes the bundled model with several plans and compares them with the float model:
 * encoder time per utterance measured interleaved (every model runs on the same utterance before the
 * next utterance, order rotated), 1 intra-op thread, after warm-up; greedy WER; output SQNR; size.
 *
 *   pnpm --filter @asrq/quantize bench [-- --n 300 --plans seed,dynamic-matmul,best --profile]
 *
 * Uses ../shared/fixtures/corpus/dev (300 utterances) when present, else the bundled dev-mini (40),
 * and calibrates on 10 seeded utterances of test-seen (or of the same corpus when absent).
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultCorpusDir, defaultModelPath, defaultTokenizerPath } from '@asrq/fixtures';
import { InferenceSession, type Tensor } from 'onnxruntime-node';
import { parsePlan, quantizeModelFile, sqnr, type QuantPlan } from '../src/index.js';
import { calibrationFeeds } from '@asrq/runtime';
import { audioFeeds, listCorpus, readFlac } from '../test/corpus.js';
import { greedyText, readPieces, wordErrors } from './decode.js';

const args = process.argv.slice(2);
const arg = (name: string, fallback: string): string => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] ? args[i + 1]! : fallback;
};
const shared = '/work/shared/fixtures/corpus';
const corpusDir = arg('corpus', existsSync(join(shared, 'dev')) ? join(shared, 'dev') : defaultCorpusDir);
const calibDir = existsSync(join(shared, 'test-seen')) ? join(shared, 'test-seen') : corpusDir;
const limit = Number(arg('n', '300'));
const planNames = arg('plans', 'seed,dynamic-matmul,dynamic-matmul-dqmm,ort-python,best').split(',');
const outDir = join(tmpdir(), 'asrq-quantize-bench');
await mkdir(outDir, { recursive: true });
const here = new URL('.', import.meta.url).pathname;

const builtins: Record<string, QuantPlan> = {
  // Our equivalent of the sherpa-onnx recipe: every MatMul with a constant weight, dynamic
  // (default MatMulInteger chain; -dqmm: the com.microsoft DynamicQuantizeMatMul op).
  'dynamic-matmul': { version: 1, rules: [{ select: '', mode: 'dynamic', ops: ['MatMul'] }] },
  'dynamic-matmul-dqmm': {
    version: 1,
    rules: [{ select: '', mode: 'dynamic', ops: ['MatMul'], format: 'DynamicQuantizeMatMul' }],
  },
  'dynamic-matmul-per-tensor': {
    version: 1,
    rules: [{ select: '', mode: 'dynamic', ops: ['MatMul'], perChannel: false }],
  },
};

async function loadPlan(name: string): Promise<QuantPlan> {
  if (builtins[name]) return builtins[name]!;
  const file = existsSync(name) ? name : join(here, '..', '..', '..', 'examples', 'plans', `${name}.json`);
  return parsePlan(await readFile(file, 'utf8'), { name: file });
}

const utts = (await listCorpus(corpusDir)).slice(0, limit);
// Calibration as `asrq quantize --calib <dir> --calib-n 10 --seed 0` feeds it.
const { calibration } = await calibrationFeeds(defaultModelPath, calibDir, { n: 10, seed: 0 });
const pieces = await readPieces(defaultTokenizerPath);
console.log(`corpus ${corpusDir} (${utts.length} utterances), calibration: 10 seeded utterances of ${calibDir}`);

const models: Array<{ name: string; path: string }> = [{ name: 'float', path: defaultModelPath }];
for (const name of planNames) {
  const path = join(outDir, `${name.replace(/[^\w-]/g, '_')}.onnx`);
  if (name === 'ort-python') {
    if (!existsSync('/tmp/ortpy/bin/python')) {
      console.log('ort-python: skipped (no /tmp/ortpy venv; see bench/ort-python-peer.py)');
      continue;
    }
    execFileSync('/tmp/ortpy/bin/python', [join(here, 'ort-python-peer.py'), defaultModelPath, path], {
      stdio: 'ignore',
    });
  } else {
    const plan = await loadPlan(name);
    const t = performance.now();
    const report = await quantizeModelFile(defaultModelPath, path, plan, { calibration });
    console.log(
      `${name}: quantized in ${((performance.now() - t) / 1000).toFixed(1)} s (${report.rules.map((r) => `${r.mode} ${r.select || '*'}: ${r.quantized}`).join('; ')})`,
    );
  }
  models.push({ name: name.replace(/^.*\//, '').replace(/\.json$/, ''), path });
}

const sessionOptions = {
  intraOpNumThreads: 1,
  interOpNumThreads: 1,
  graphOptimizationLevel: 'all' as const,
  executionMode: 'sequential' as const,
};
const sessions = await Promise.all(models.map((m) => InferenceSession.create(m.path, sessionOptions)));
const time = models.map(() => 0);
const errors = models.map(() => 0);
const sqnrSum = models.map(() => 0);
let refWords = 0;
let audioSeconds = 0;

const warm = audioFeeds(await readFlac(utts[0]!.path));
for (let i = 0; i < 3; i++) for (const s of sessions) await s.run(warm);

for (let u = 0; u < utts.length; u++) {
  const utt = utts[u]!;
  const audio = await readFlac(utt.path);
  const feeds = audioFeeds(audio);
  audioSeconds += audio.length / 16000;
  const ref = utt.text.split(/\s+/).filter(Boolean);
  refWords += ref.length;
  const outputs: Array<Record<string, Tensor>> = [];
  // Rotate the order each utterance so no model always runs first (cache, frequency effects).
  const order = models.map((_, i) => (i + u) % models.length);
  // Two interleaved rounds; the faster of each model's two runs counts, which filters out bursts of
  // load from other processes on a shared machine.
  const best = models.map(() => Number.POSITIVE_INFINITY);
  for (let round = 0; round < 2; round++) {
    for (const i of round === 0 ? order : [...order].reverse()) {
      const t = performance.now();
      outputs[i] = await sessions[i]!.run(feeds);
      best[i] = Math.min(best[i]!, performance.now() - t);
    }
  }
  best.forEach((b, i) => (time[i]! += b));
  const floatOut = outputs[0]!.log_probs!.data as Float32Array;
  models.forEach((_, i) => {
    const lp = outputs[i]!.log_probs!;
    const frames = Number((outputs[i]!.log_prob_lengths!.data as BigInt64Array)[0]);
    const hyp = greedyText(lp.data as Float32Array, frames, lp.dims[2]!, pieces)
      .split(' ')
      .filter(Boolean);
    errors[i]! += wordErrors(ref, hyp);
    if (i > 0) sqnrSum[i]! += sqnr(floatOut, lp.data as Float32Array);
  });
}

console.log(
  `\n${utts.length} utterances, ${(audioSeconds / 60).toFixed(1)} min audio, onnxruntime-node, 1 thread, graphOptimizationLevel all, interleaved\n`,
);
console.log('| plan | size | encoder RTF | speedup vs float | WER % | ΔWER | SQNR log_probs |');
console.log('|---|---|---|---|---|---|---|');
const floatWer = (100 * errors[0]!) / refWords;
for (let i = 0; i < models.length; i++) {
  const size = (await stat(models[i]!.path)).size / 1e6;
  const wer = (100 * errors[i]!) / refWords;
  console.log(
    `| ${models[i]!.name} | ${size.toFixed(1)} MB | ${(time[i]! / 1000 / audioSeconds).toFixed(5)} | ${(time[0]! / time[i]!).toFixed(2)}x | ${wer.toFixed(2)} | ${i === 0 ? '' : `${wer - floatWer >= 0 ? '+' : ''}${(wer - floatWer).toFixed(2)}`} | ${i === 0 ? '' : `${(sqnrSum[i]! / utts.length).toFixed(1)} dB`} |`,
  );
}

if (args.includes('--profile')) {
  // Per-op time shares from onnxruntime's own profiler. All models run interleaved on the same
  // utterance, and each node counts with its median time over the runs, so bursts of load from
  // other processes do not skew the shares.
  const sample = audioFeeds(await readFlac(utts[1]!.path));
  const runs = 20;
  const profiled = await Promise.all(
    models.map((m) =>
      InferenceSession.create(m.path, {
        ...sessionOptions,
        enableProfiling: true,
        profileFilePrefix: join(outDir, `profile-${m.name}`),
      }),
    ),
  );
  for (let i = 0; i < runs; i++) for (const s of profiled) await s.run(sample);
  for (const [k, m] of models.entries()) {
    profiled[k]!.endProfiling();
    await profiled[k]!.release();
    const files = (await readdir(outDir)).filter((f) => f.startsWith(`profile-${m.name}_`)).sort();
    const events = JSON.parse(await readFile(join(outDir, files[files.length - 1]!), 'utf8')) as Array<{
      cat?: string;
      name: string;
      dur: number;
      args?: { op_name?: string };
    }>;
    const durations = new Map<string, number[]>();
    for (const e of events) {
      if (e.cat !== 'Node' || !e.name.endsWith('_kernel_time')) continue;
      const node = `${e.args?.op_name ?? '?'} ${e.name.slice(0, -'_kernel_time'.length)}`;
      const list = durations.get(node) ?? [];
      list.push(e.dur);
      durations.set(node, list);
    }
    const byNode = new Map<string, number>();
    const byOp = new Map<string, number>();
    let total = 0;
    for (const [node, list] of durations) {
      const median = [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)]!;
      byNode.set(node, median);
      const op = node.split(' ')[0]!;
      byOp.set(op, (byOp.get(op) ?? 0) + median);
      total += median;
    }
    const share = (d: number): string => `${((100 * d) / total).toFixed(1)}%`;
    const top = [...byOp]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 10)
      .map(([op, d]) => `${op} ${share(d)}`);
    console.log(
      `profile ${m.name}: ${(total / 1000).toFixed(2)} ms/run in kernels (median per node): ${top.join(', ')}`,
    );
    for (const [node, d] of [...byNode].sort((a, b) => b[1] - a[1]).slice(0, 4))
      console.log(`    ${share(d).padStart(6)} ${node}`);
  }
}
for (const s of sessions) await s.release();
