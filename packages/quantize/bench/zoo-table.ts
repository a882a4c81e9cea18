/**
 * The table of issue 13 for one real-shaped model: float, asrq plans and onnxruntime's peers,
 * with size, encoder speedup per thread count (one interleaved `asrq bench --threads` run) and
 * output SQNR against float, plus load average and CPU model (warning when the machine is busy).
 *
 *   pnpm exec tsx --conditions=@asrq/source packages/quantize/bench/zoo-table.ts \
 *     --family zoo-full/hf-wav2vec2-base --plans wav2vec2-base,dynamic-all [--peers ort-dynamic,ort-transformers] \
 *     [--data packages/fixtures/corpus/dev-mini] [--n 12] [--warmup 2] [--repeats 1] [--threads 1,2] \
 *     [--sqnr-n 3] [--out /tmp/asrq-zoo-table/<family>] [--md packages/quantize/docs/zoo-base.md]
 *
 * Plans are files of examples/plans (by name) or built-ins: `dynamic-all` (= `asrq quantize --dynamic ''`),
 * `dynamic-all-skipln` (the same plus rewrites.skipLayerNorm). Peers need onnxruntime's Python
 * package: ASRQ_PEER_PYTHON, else /tmp/ortpy/bin/python (DEVELOPERS.md says how to make it); without
 * it they are left out with a note. The float model's folder gives the front end and vocabulary.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { defaultCorpusDir } from '@asrq/fixtures';
import { InferenceSession, type Tensor } from 'onnxruntime-node';
// The runtime package is not a dependency of quantize; this script borrows its front ends.
import { CtcModel } from '../../runtime/src/index.js';
import { parsePlan, quantizeModelFile, sqnr, type QuantPlan } from '../src/index.js';
import { listCorpus, readFlac } from '../test/corpus.js';

const args = process.argv.slice(2);
const opt = (name: string, fallback: string): string => {
  const i = args.lastIndexOf(`--${name}`);
  return i >= 0 && args[i + 1] !== undefined ? args[i + 1]! : fallback;
};
const repo = resolve(new URL('../../..', import.meta.url).pathname);
const family = resolve(opt('family', join(repo, 'zoo-full/hf-wav2vec2-base')));
const floatPath = join(family, 'model.onnx');
const planNames = opt('plans', 'dynamic-all').split(',').filter(Boolean);
const peers = opt('peers', 'ort-dynamic,ort-transformers').split(',').filter(Boolean);
const data = resolve(opt('data', defaultCorpusDir));
const n = opt('n', '12');
const warmup = opt('warmup', '2');
const repeats = opt('repeats', '1');
const threads = opt('threads', '1,2');
const sqnrN = Number(opt('sqnr-n', '3'));
const outDir = resolve(opt('out', join(tmpdir(), 'asrq-zoo-table', basename(family))));
const md = args.includes('--md') ? resolve(opt('md', '')) : undefined;
const python = process.env.ASRQ_PEER_PYTHON ?? '/tmp/ortpy/bin/python';
await mkdir(outDir, { recursive: true });

const builtins: Record<string, QuantPlan> = {
  'dynamic-all': { version: 1, rules: [{ select: '', mode: 'dynamic' }] },
  'dynamic-all-skipln': { version: 1, rules: [{ select: '', mode: 'dynamic' }], rewrites: { skipLayerNorm: true } },
};
const lines: string[] = [];
const say = (s = ''): void => {
  lines.push(s);
  console.log(s);
};
const loadStart = loadavg();
const cpu = `${cpus()[0]?.model ?? 'unknown CPU'} x ${cpus().length}`;

const models: Array<{ name: string; path: string; how: string }> = [
  { name: 'float', path: floatPath, how: 'the export' },
];
for (const name of planNames) {
  const file = join(repo, 'examples', 'plans', `${name}.json`);
  const plan =
    builtins[name] ??
    parsePlan(await readFile(existsSync(name) ? name : file, 'utf8'), { name: existsSync(name) ? name : file });
  const out = join(outDir, `asrq-${basename(name, '.json')}.onnx`);
  const started = performance.now();
  await quantizeModelFile(floatPath, out, plan, {});
  models.push({
    name: `asrq ${basename(name, '.json')}`,
    path: out,
    how: builtins[name] ? `built-in plan ${JSON.stringify(plan)}` : `--plan examples/plans/${name}.json`,
  });
  console.error(`quantized ${name} in ${((performance.now() - started) / 1000).toFixed(0)} s`);
}
const hasPython =
  existsSync(python) &&
  spawnSync(python, ['-c', 'import onnxruntime.quantization, onnxruntime.transformers.optimizer'], { stdio: 'ignore' })
    .status === 0;
const here = new URL('.', import.meta.url).pathname;
for (const peer of peers) {
  if (!hasPython) {
    say(`> Peer ${peer} left out: ${python} cannot import onnxruntime.quantization (set ASRQ_PEER_PYTHON).`);
    continue;
  }
  const out = join(outDir, `${peer}.onnx`);
  if (peer === 'ort-dynamic') {
    execFileSync(python, [join(here, 'ort-python-peer.py'), floatPath, out], {
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    models.push({ name: 'onnxruntime quantize_dynamic(MatMul)', path: out, how: 'bench/ort-python-peer.py' });
  } else if (peer === 'ort-transformers') {
    const config = existsSync(join(family, 'config.json'))
      ? (JSON.parse(await readFile(join(family, 'config.json'), 'utf8')) as {
          num_attention_heads?: number;
          hidden_size?: number;
        })
      : {};
    const optimized = join(outDir, 'ort-transformers-float.onnx');
    execFileSync(
      python,
      [
        join(here, 'ort-transformers-peer.py'),
        floatPath,
        optimized,
        out,
        String(config.num_attention_heads ?? 0),
        String(config.hidden_size ?? 0),
      ],
      { stdio: ['ignore', 'inherit', 'inherit'] },
    );
    models.push({
      name: 'onnxruntime transformers optimizer, float',
      path: optimized,
      how: 'bench/ort-transformers-peer.py (bert fusions)',
    });
    models.push({
      name: 'onnxruntime transformers optimizer + quantize_dynamic',
      path: out,
      how: 'bench/ort-transformers-peer.py',
    });
  } else throw new Error(`unknown peer ${peer} (known: ort-dynamic, ort-transformers)`);
}

// Output SQNR against float on the first utterances, each model fed what the float model's front end makes.
const reference = await CtcModel.load(floatPath);
const feeds: Array<Record<string, Tensor>> = [];
for (const u of (await listCorpus(data)).slice(0, sqnrN)) feeds.push(reference.buildFeeds([await readFlac(u.path)]));
await reference.release();
const outputsOf = async (path: string): Promise<Float32Array[]> => {
  const session = await InferenceSession.create(path, {
    intraOpNumThreads: 1,
    graphOptimizationLevel: 'all',
    logSeverityLevel: 3,
  });
  const outs: Float32Array[] = [];
  for (const f of feeds) outs.push((await session.run(f))[session.outputNames[0]!]!.data as Float32Array);
  await session.release();
  return outs;
};
const floatOut = await outputsOf(floatPath);
const sqnrOf = new Map<string, number>();
for (const m of models.slice(1)) {
  const got = await outputsOf(m.path);
  sqnrOf.set(m.path, got.reduce((s, o, i) => s + sqnr(floatOut[i]!, o), 0) / got.length);
}

// One interleaved bench run over every model at every thread count.
const benchOut = join(outDir, 'bench');
const benchArgs = [
  'bench',
  ...models.flatMap((m) => ['--model', m.path]),
  '--threads',
  threads,
  '--data',
  data,
  '--n',
  n,
  '--warmup',
  warmup,
  '--repeats',
  repeats,
  '--out',
  benchOut,
  '--force',
  '--quiet',
];
const loadBench = loadavg();
execFileSync('node', [join(repo, 'scripts', 'asrq.mjs'), ...benchArgs], {
  stdio: ['ignore', 'ignore', 'inherit'],
  cwd: repo,
});
const report = JSON.parse(await readFile(join(benchOut, 'report.json'), 'utf8')) as {
  utterances: number;
  audioSec: number;
  models: Array<{ model: string; speedup: number; threads?: number; sizeBytes: number; rtfEncoder: number }>;
};
const loadEnd = loadavg();

const counts = threads.split(',').map(Number);
say(`### ${basename(family)}: float, asrq plans and onnxruntime peers`);
say();
say(
  `Commands: \`pnpm exec tsx --conditions=@asrq/source packages/quantize/bench/zoo-table.ts ${args.join(' ')}\`, whose bench step is \`asrq ${benchArgs.join(' ')}\`.`,
);
say(
  `${report.utterances} utterances (${(report.audioSec / 60).toFixed(1)} min) of ${data} after ${warmup} warm-up, ${repeats} encoder run(s) each, every model at ${counts.join(' and ')} thread(s) interleaved per utterance; SQNR of the first output on ${feeds.length} utterances. CPU ${cpu}; load average ${loadStart.map((v) => v.toFixed(2)).join(' ')} at start, ${loadBench.map((v) => v.toFixed(2)).join(' ')} before the bench, ${loadEnd.map((v) => v.toFixed(2)).join(' ')} at the end.`,
);
if (Math.max(loadStart[0]!, loadBench[0]!, loadEnd[0]!) > 1)
  say(`> **Warning: busy machine** (1-minute load average above 1): these speedups are not quiet-machine results.`);
say();
say(
  `| model | size | ${counts.map((t) => `encoder speedup, ${t} thread${t === 1 ? '' : 's'}`).join(' | ')} | output SQNR vs float | made by |`,
);
say(`|---|---:|${counts.map(() => '---:').join('|')}|---:|---|`);
for (const m of models) {
  const rows = report.models.filter((r) => r.model === resolve(m.path));
  const cells = counts.map((t) => rows.find((r) => (r.threads ?? counts[0]) === t)?.speedup.toFixed(2) ?? '');
  const bytes = (await stat(m.path)).size;
  say(
    `| ${m.name} | ${(bytes / 1e6).toFixed(1)} MB | ${cells.map((c) => (c ? `${c}x` : '')).join(' | ')} | ${m === models[0] ? '' : `${sqnrOf.get(m.path)!.toFixed(1)} dB`} | ${m.how} |`,
  );
}
if (md) await writeFile(md, `${lines.join('\n')}\n`);
