/**
 * Runs the automatic plan search on the bundled model and compares the result with the
 * hand-written best plan (examples/plans/best.json) in one interleaved benchmark run.
 *
 *   pnpm --filter @asrq/planner bench [-- --eval <dev corpus> --n 290 --held-out <test-seen corpus> --final-n 290 --max-wer 0.3 --budget 1200 --resume]
 */
import { readFile, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { openCorpus, readAudio, selectItems } from '@asrq/audio';
import { buildReport, environmentFacts, runBenchmark } from '@asrq/bench';
import { defaultCorpusDir, defaultModelPath } from '@asrq/fixtures';
import { parsePlan, quantizeModelFile, type Feeds } from '@asrq/quantize';
import { buildFeeds, CtcModel } from '@asrq/runtime';
import { formatAutoPlanReport, searchPlan, writeAutoPlanReports } from '../src/index.js';

const args = process.argv.slice(2);
const arg = (name: string, fallback: string): string => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1]! : fallback;
};
const here = new URL('.', import.meta.url).pathname;
const evalData = resolve(arg('eval', join(here, '../../../../shared/fixtures/corpus/dev')));
const evalN = Number(arg('n', '290'));
const finalN = Number(arg('final-n', '290'));
const maxWer = Number(arg('max-wer', '0.3'));
const budgetSec = Number(arg('budget', '1200'));
const calibData = arg('calib', defaultCorpusDir);
const outDir = resolve(arg('out', join(here, '../.bench-out')));
if (!args.includes('--resume')) await rm(outDir, { recursive: true, force: true });

const corpus = await openCorpus(calibData);
const items = selectItems(corpus.items, { n: 10, seed: 0 });
const info = await CtcModel.load(defaultModelPath).then(async (m) => (await m.release(), m.info));
const feeds: Feeds[] = [];
for (const item of items)
  feeds.push(buildFeeds(info, [await readAudio(item.audioPath, { sampleRate: info.sampleRate })], defaultModelPath));

const t0 = performance.now();
const result = await searchPlan(defaultModelPath, {
  calibration: () => feeds,
  sample: feeds[0]!,
  eval: { data: evalData, n: evalN },
  maxWerIncrease: maxWer,
  metric: 'wer',
  budgetSec,
  workDir: join(outDir, 'work'),
  resume: args.includes('--resume'),
  output: join(outDir, 'auto.onnx'),
  onProgress: (e) => {
    if (e.status === 'measuring') return;
    if (e.status === 'trial-done')
      console.error(
        `  trial k=${e.trial.k}: ΔWER ${e.trial.werDelta?.toFixed(2)} speedup ${e.trial.speedup?.toFixed(2)} accepted ${e.trial.accepted} (${e.trial.seconds.toFixed(0)} s)`,
      );
    else if (e.status !== 'sensitivity' || e.done === e.total)
      console.error(`[${((performance.now() - t0) / 1000).toFixed(0)} s] ${JSON.stringify(e)}`);
  },
});
const searchSec = (performance.now() - t0) / 1000;
await writeAutoPlanReports(outDir, result);
console.log(formatAutoPlanReport(result));
console.log(
  `search wall time: ${searchSec.toFixed(0)} s (eval ${evalN} utterances of ${evalData}, calibration 10 of ${calibData})`,
);

// Hand-written best plan, same calibration, then float / best.json / auto in one interleaved run.
const bestPlanPath = join(here, '../../../examples/plans/best.json');
const handPath = join(outDir, 'hand-best.onnx');
await quantizeModelFile(
  defaultModelPath,
  handPath,
  parsePlan(await readFile(bestPlanPath, 'utf8'), { name: bestPlanPath }),
  { calibration: feeds },
);
const models = [defaultModelPath, handPath, result.modelPath];
const heldOut = resolve(arg('held-out', join(here, '../../../../shared/fixtures/corpus/test-seen')));
for (const [name, data, n, warmup] of [
  ['eval set (the search saw it)', evalData, evalN, 2],
  ['held-out set', heldOut, finalN, 10],
] as const) {
  const run = await runBenchmark(
    { models, data, n, warmup, repeats: 1, threads: 1, beam: 1, lenient: false },
    { outDir: join(outDir, `final-${warmup}`) },
  );
  const report = buildReport(run, environmentFacts());
  console.log(
    `\nfinal comparison, ${name}: ${report.utterances} utterances of ${data} (${warmup} warm-up), 1 thread, interleaved`,
  );
  console.log('| model | WER % | ΔWER | encoder RTF | speedup vs float | size |');
  console.log('|---|---|---|---|---|---|');
  const labels = ['float', 'hand-written best.json', 'auto plan'];
  report.models.forEach((m, i) =>
    console.log(
      `| ${labels[i]} | ${m.wer.toFixed(2)} | ${(m.wer - report.models[0]!.wer).toFixed(2)} | ${m.rtfEncoder.toFixed(5)} | ${m.speedup.toFixed(2)}× | ${(m.sizeBytes / 1e6).toFixed(1)} MB |`,
    ),
  );
}
