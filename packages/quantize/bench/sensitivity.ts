/**
 * Per-module sensitivity of a plan on the bundled model: each module quantized alone, output SQNR
 * on one utterance and (with --wer) greedy WER on the first --n utterances of the corpus.
 *
 *   pnpm --filter @asrq/quantize exec tsx --conditions=@asrq/source bench/sensitivity.ts [plan] [--wer --n 40]
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { defaultCorpusDir, defaultModelPath, defaultTokenizerPath } from '@asrq/fixtures';
import { InferenceSession } from 'onnxruntime-node';
import { formatSensitivityReport, parsePlan, sensitivityReport } from '../src/index.js';
import { calibrationFeeds } from '@asrq/runtime';
import { audioFeeds, listCorpus, readFlac } from '../test/corpus.js';
import { greedyText, readPieces, wordErrors } from './decode.js';

const args = process.argv.slice(2);
const planFile =
  args.find((a) => a.endsWith('.json')) ?? new URL('../../../examples/plans/seed.json', import.meta.url).pathname;
const n = Number(args[args.indexOf('--n') + 1] ?? 40) || 40;
const shared = '/work/shared/fixtures/corpus';
const corpus = existsSync(join(shared, 'dev')) ? join(shared, 'dev') : defaultCorpusDir;
const utts = (await listCorpus(corpus)).slice(0, n);
// Calibration as `asrq sensitivity --calib <dir> --calib-n 10 --seed 0` feeds it.
const { calibration } = await calibrationFeeds(
  defaultModelPath,
  existsSync(join(shared, 'test-seen')) ? join(shared, 'test-seen') : corpus,
  { n: 10, seed: 0 },
);
const pieces = await readPieces(defaultTokenizerPath);
const audios = await Promise.all(
  utts.map(async (u) => ({ feeds: audioFeeds(await readFlac(u.path)), ref: u.text.split(/\s+/) })),
);

async function wer(path: string): Promise<number> {
  const s = await InferenceSession.create(path, { intraOpNumThreads: 1, graphOptimizationLevel: 'all' });
  let e = 0;
  let w = 0;
  for (const a of audios) {
    const out = await s.run(a.feeds);
    const lp = out.log_probs!;
    const hyp = greedyText(
      lp.data as Float32Array,
      Number((out.log_prob_lengths!.data as BigInt64Array)[0]),
      lp.dims[2]!,
      pieces,
    )
      .split(' ')
      .filter(Boolean);
    e += wordErrors(a.ref, hyp);
    w += a.ref.length;
  }
  await s.release();
  return (100 * e) / w;
}

const report = await sensitivityReport(defaultModelPath, parsePlan(await readFile(planFile, 'utf8')), {
  sample: audioFeeds(await readFlac(utts[0]!.path)),
  calibration,
  ...(args.includes('--wer') ? { evaluate: wer } : {}),
  ...(args.includes('--depth') ? { depth: Number(args[args.indexOf('--depth') + 1]) } : {}),
});
console.log(`plan ${planFile}, corpus ${corpus} (${utts.length} utterances for WER)`);
console.log(formatSensitivityReport(report));
