/**
 * Puts what the "Try it" page runs into the site's public folder (public/try/, not committed),
 * before `vitepress build`: the bundled float model, its int8 version (quantized here with the
 * committed plan examples/plans/best.json through the @asrq/quantize library API, calibrated on
 * 10 seeded dev-mini utterances), a few bundled utterances with their references, the tokenizer,
 * the test LM, and onnxruntime-web's WebAssembly files, so the page fetches nothing from another
 * origin. Quantization is skipped when the sources have not changed since the last run.
 * Run with `tsx --conditions=@asrq/source`.
 */
import { createHash } from 'node:crypto';
import { copyFile, mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';
import { openCorpus, readAudio, selectItems } from '@asrq/audio';
import { defaultCorpusDir, defaultModelPath, defaultTokenizerPath } from '@asrq/fixtures';
import { parsePlan, quantizeModelFile } from '@asrq/quantize';
import { buildFeeds, CtcModel } from '@asrq/runtime';
import { docsRoot, repoRoot } from './paths.js';

/** The bundled utterances the page offers (none is among the calibration utterances; checked below). */
export const TRY_UTTERANCES = ['129-1003-0037', '105-1002-0001', '120-1000-0018', '140-1000-0010', '108-1000-0021'];
const planPath = join(repoRoot, 'examples', 'plans', 'best.json');
const lmPath = join(repoRoot, 'packages', 'ctc', 'test', 'fixtures', 'lm-3gram-pruned.arpa.gz');
const outDir = join(docsRoot, 'public', 'try');
const ORT_FILES = ['ort-wasm-simd-threaded.wasm', 'ort-wasm-simd-threaded.mjs'];

/** Bytes of these files together. */
async function totalSize(paths: readonly string[]): Promise<number> {
  let bytes = 0;
  for (const path of paths) bytes += (await stat(path)).size;
  return bytes;
}

const sha256 = async (path: string) =>
  createHash('sha256')
    .update(await readFile(path))
    .digest('hex');

async function quantizeIfStale(
  int8Path: string,
): Promise<{ quantizedSec: number; sqnr: Record<string, number>; reused: boolean }> {
  const key = `${await sha256(defaultModelPath)} ${await sha256(planPath)}`;
  // The key sits outside public/ so it is not published.
  const keyPath = join(docsRoot, 'node_modules', '.cache', 'asrq-try-int8.key');
  await mkdir(dirname(keyPath), { recursive: true });
  const previous = await readFile(keyPath, 'utf8').catch(() => '');
  if (previous.startsWith(key)) return { ...JSON.parse(previous.slice(key.length + 1)), reused: true };
  const started = performance.now();
  const plan = parsePlan(await readFile(planPath, 'utf8'), { name: planPath });
  const corpus = await openCorpus(defaultCorpusDir);
  const items = selectItems(corpus.items, { n: plan.calibration?.n ?? 10, seed: plan.calibration?.seed ?? 0 });
  const clash = items.find((item) => TRY_UTTERANCES.includes(item.id));
  if (clash) throw new Error(`try-assets: ${clash.id} is a calibration utterance; offer another one on the page.`);
  const probe = await CtcModel.load(defaultModelPath);
  const info = probe.info;
  await probe.release();
  const calibration = await Promise.all(
    items.map(async (item) => buildFeeds(info, [await readAudio(item.audioPath, { sampleRate: info.sampleRate })])),
  );
  const report = await quantizeModelFile(defaultModelPath, int8Path, plan, {
    calibration,
    validateWith: calibration[0]!,
  });
  const result = { quantizedSec: (performance.now() - started) / 1000, sqnr: report.sqnr };
  await writeFile(keyPath, `${key} ${JSON.stringify(result)}`);
  return { ...result, reused: false };
}

const started = performance.now();
await mkdir(join(outDir, 'utterances'), { recursive: true });
await mkdir(join(outDir, 'ort'), { recursive: true });
await copyFile(defaultModelPath, join(outDir, 'model.onnx'));
const quantized = await quantizeIfStale(join(outDir, 'model.int8.onnx'));
await copyFile(defaultTokenizerPath, join(outDir, 'tokenizer.model'));
await copyFile(lmPath, join(outDir, 'lm.arpa.gz'));
// onnxruntime-web's package exports its WebAssembly files; resolve them through the runtime package that depends on it.
const requireFromRuntime = createRequire(join(repoRoot, 'packages', 'runtime', 'package.json'));
const ortDist = dirname(requireFromRuntime.resolve('onnxruntime-web/ort-wasm-simd-threaded.wasm'));
for (const file of ORT_FILES) await copyFile(join(ortDist, file), join(outDir, 'ort', file));
const ortVersion = (JSON.parse(await readFile(join(ortDist, '..', 'package.json'), 'utf8')) as { version: string })
  .version;

const corpus = await openCorpus(defaultCorpusDir);
const utterances = [];
for (const id of TRY_UTTERANCES) {
  const item = corpus.items.find((i) => i.id === id);
  if (!item) throw new Error(`try-assets: utterance ${id} is not in ${defaultCorpusDir}.`);
  const file = `utterances/${basename(item.audioPath)}`;
  await copyFile(item.audioPath, join(outDir, file));
  utterances.push({ id, file, reference: item.transcript });
}
await rm(join(outDir, 'manifest.json'), { force: true });
const manifest = {
  models: {
    float: { file: 'model.onnx', bytes: (await stat(join(outDir, 'model.onnx'))).size },
    int8: {
      file: 'model.int8.onnx',
      bytes: (await stat(join(outDir, 'model.int8.onnx'))).size,
      plan: 'examples/plans/best.json',
      sqnrDb: quantized.sqnr,
    },
  },
  tokenizer: 'tokenizer.model',
  lm: { file: 'lm.arpa.gz', bytes: (await stat(join(outDir, 'lm.arpa.gz'))).size },
  ort: { version: ortVersion, dir: 'ort/', bytes: await totalSize(ORT_FILES.map((f) => join(outDir, 'ort', f))) },
  utterances,
};
// Everything the page fetches when the visitor presses the button (the button says how much).
const fetched = [
  'model.onnx',
  'model.int8.onnx',
  'tokenizer.model',
  'lm.arpa.gz',
  ...ORT_FILES.map((f) => `ort/${f}`),
  ...utterances.map((u) => u.file),
];
Object.assign(manifest, { downloadBytes: await totalSize(fetched.map((f) => join(outDir, f))) });
await writeFile(join(outDir, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
process.stdout.write(
  `docs: try-it assets in public/try (int8 model ${quantized.reused ? 'reused, sources unchanged' : `quantized with best.json in ${quantized.quantizedSec.toFixed(1)} s`}, ${utterances.length} utterances, onnxruntime-web ${ortVersion}) in ${((performance.now() - started) / 1000).toFixed(1)} s\n`,
);
