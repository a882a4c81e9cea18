#!/usr/bin/env node
// Float vs int8 on the full-size real-shaped zoo (random weights: speed and output SQNR only,
// never WER). For each family: `asrq quantize` with the family's plan (validation SQNR on the
// scores output), then one interleaved `asrq bench` of float and int8 at one thread.
//   node scripts/zoo/bench-zoo.mjs [--zoo zoo-full] [--data ../shared/fixtures/corpus/dev] [--n 8] [--repeats 3] [--threads 1] [--only fam,fam]
// Make the models first: python3 scripts/zoo/export.py --size full --family all --out zoo-full
// Run it on a quiet machine (it prints the load average and refuses nothing, but says when it was busy).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const args = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
};
const zoo = resolve(opt('zoo', join(root, 'zoo-full')));
const data = resolve(opt('data', join(root, '..', 'shared', 'fixtures', 'corpus', 'dev')));
const n = opt('n', '8');
const repeats = opt('repeats', '3');
const threads = opt('threads', '1');
const only = opt('only', '')?.split(',').filter(Boolean) ?? [];
const work = resolve(opt('out', join(root, 'zoo-bench')));
const bin = join(root, 'apps', 'cli', 'dist', 'bin.js');

/** The plan each family gets: every weight MatMul dynamic, except QuartzNet (all Conv: static, calibrated). */
const PLANS = {
  'hf-wav2vec2-base': ['--dynamic', ''],
  'hf-wav2vec2-large-lv60': ['--dynamic', ''],
  'hf-hubert': ['--dynamic', ''],
  'nemo-conformer-ctc': ['--dynamic', ''],
  'nemo-quartznet': ['--static', 'encoder', '--calibrator', 'percentile'],
  'sherpa-nemo-ctc': ['--dynamic', ''],
  'sherpa-zipformer-ctc': ['--dynamic', ''],
};

function asrq(argv) {
  const r = spawnSync(process.execPath, [bin, ...argv], { encoding: 'utf8', maxBuffer: 1 << 28 });
  if (r.status !== 0) throw new Error(`asrq ${argv.join(' ')} failed (${r.status}):\n${r.stderr}`);
  return r.stdout;
}

const rows = [];
const startLoad = loadavg()[0];
for (const [family, plan] of Object.entries(PLANS)) {
  if (only.length > 0 && !only.includes(family)) continue;
  const model = join(zoo, family, 'model.onnx');
  if (!existsSync(model)) {
    console.error(`skip ${family}: ${model} not found`);
    continue;
  }
  const dir = join(work, family);
  mkdirSync(dir, { recursive: true });
  const int8 = join(dir, 'model.int8.onnx');
  const q = JSON.parse(
    asrq(['quantize', model, '-o', int8, ...plan, '--calib', data, '--calib-n', '10', '--json', '--quiet']),
  );
  const benchOut = join(dir, `bench-t${threads}`);
  const summary = JSON.parse(
    asrq([
      'bench',
      '--model',
      model,
      '--model',
      int8,
      '--data',
      data,
      '--n',
      n,
      '--warmup',
      '1',
      '--repeats',
      repeats,
      '--threads',
      threads,
      '--json',
      '--force',
      '--out',
      benchOut,
    ]),
  );
  const [float, quant] = summary.models;
  // Validation SQNR per output; the CTC scores output is the one that matters.
  const sqnrs = Object.entries(q.sqnr ?? {});
  const sqnr = (sqnrs.find(([name]) => /prob|logit/i.test(name)) ?? sqnrs[0])?.[1];
  rows.push({
    family,
    float,
    quant,
    sqnr,
    plan: plan.join(' ') || '--dynamic ""',
    utterances: summary.utterances,
    audioSec: summary.audioSec,
  });
  console.error(`${family}: ${quant.speedup.toFixed(2)}x, SQNR ${sqnr}`);
}
const mb = (b) => `${(b / 1e6).toFixed(0)} MB`;
console.log(`| family | plan | float size | int8 size | float RTF | int8 RTF | encoder speedup | output SQNR |`);
console.log(`|---|---|--:|--:|--:|--:|--:|--:|`);
for (const r of rows) {
  console.log(
    `| ${r.family} | \`${r.plan.replace('--dynamic ', "--dynamic ''").replace("'' ''", "''")}\` | ${mb(r.float.sizeBytes)} | ${mb(r.quant.sizeBytes)} | ${r.float.rtfEncoder.toFixed(4)} | ${r.quant.rtfEncoder.toFixed(4)} | ${r.quant.speedup.toFixed(2)}x | ${typeof r.sqnr === 'number' ? `${r.sqnr.toFixed(1)} dB` : '?'} |`,
  );
}
console.log(
  `\n${rows[0]?.utterances ?? 0} utterances of ${data} (${(rows[0]?.audioSec ?? 0).toFixed(1)} s), 1 warm-up, ${repeats} repeats interleaved, ${threads} thread(s); ${cpus()[0]?.model}; load average ${startLoad.toFixed(2)} at start, ${loadavg()[0].toFixed(2)} at end${Math.max(startLoad, loadavg()[0]) > 1 ? ' (BUSY: rerun on a quiet machine)' : ''}.`,
);
