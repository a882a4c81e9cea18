/**
 * What int8 feature-extractor convolutions (convAsMatMul) cost in accuracy on a wav2vec2-shaped
 * export: output SQNR against float for every transformer weight MatMul dynamic (feature projection
 * and lm_head float), then the same
 * plus all six multi-channel convs, then plus one conv at a time. No timing, so a busy machine
 * does not matter.
 *
 *   pnpm exec tsx --conditions=@asrq/source packages/quantize/bench/conv-sqnr.ts zoo-full/hf-wav2vec2-base/model.onnx [--utterances 2] [--layers 1,6] [--sets '1,2;1,2,3']
 *
 * Feeds: the first bundled utterances through the model's own front end (files beside it).
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultCorpusDir } from '@asrq/fixtures';
import { readModel, writeModel } from '@asrq/onnx';
import { InferenceSession, type Tensor } from 'onnxruntime-node';
// The runtime package is not a dependency of quantize; this script borrows its front ends.
import { CtcModel } from '../../runtime/src/index.js';
import { quantizeModel, sqnr, validatePlan } from '../src/index.js';
import { listCorpus, readFlac } from '../test/corpus.js';

const args = process.argv.slice(2);
const opt = (name: string, fallback: string): string => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] ? args[i + 1]! : fallback;
};
const floatPath = args.find((a, i) => !a.startsWith('--') && !args[i - 1]?.startsWith('--'));
if (!floatPath) throw new Error('give the float wav2vec2 model.onnx (its companion files beside it)');
const layers = opt('layers', '1,2,3,4,5,6').split(',').filter(Boolean).map(Number);
// Extra sets of convs quantized together, e.g. --sets '1,2;1,2,3'.
const sets = opt('sets', '')
  .split(';')
  .filter(Boolean)
  .map((set) => set.split(',').map(Number));
const reference = await CtcModel.load(floatPath);
const feeds: Array<Record<string, Tensor>> = [];
for (const u of (await listCorpus(defaultCorpusDir)).slice(0, Number(opt('utterances', '2'))))
  feeds.push(reference.buildFeeds([await readFlac(u.path)]));
await reference.release();
const outputs = async (path: string): Promise<Float32Array[]> => {
  const session = await InferenceSession.create(path, { intraOpNumThreads: 1, logSeverityLevel: 3 });
  const out: Float32Array[] = [];
  for (const f of feeds) out.push((await session.run(f))[session.outputNames[0]!]!.data as Float32Array);
  await session.release();
  return out;
};
const floatOut = await outputs(floatPath);
const dir = await mkdtemp(join(tmpdir(), 'asrq-conv-sqnr-'));
const matmuls = [
  { select: 'wav2vec2', mode: 'dynamic' },
  { select: 'wav2vec2.feature_projection', mode: 'float' },
  { select: 'lm_head', mode: 'float' },
];
const variants: Array<[string, unknown[]]> = [
  ['weight MatMuls only', matmuls],
  [
    '+ convs 1-6 as int8 MatMul',
    [...matmuls, { select: 'wav2vec2.feature_extractor', mode: 'dynamic', convAsMatMul: true }],
  ],
  [
    '+ convs 1-6 as int8 MatMul, per-frame ranges',
    [...matmuls, { select: 'wav2vec2.feature_extractor', mode: 'dynamic', convAsMatMul: true, activationScale: 'row' }],
  ],
  ...layers.map((l): [string, unknown[]] => [
    `+ conv ${l} only`,
    [...matmuls, { select: `wav2vec2.feature_extractor.conv_layers.${l}`, mode: 'dynamic', convAsMatMul: true }],
  ]),
  ...sets.map((set): [string, unknown[]] => [
    `+ convs ${set.join(', ')}`,
    [
      ...matmuls,
      ...set.map((l) => ({
        select: `wav2vec2.feature_extractor.conv_layers.${l}`,
        mode: 'dynamic',
        convAsMatMul: true,
      })),
    ],
  ]),
];
console.log(`| plan (${floatPath}, ${feeds.length} bundled utterances) | output SQNR vs float |\n|---|---:|`);
for (const [name, rules] of variants) {
  const model = await readModel(floatPath);
  await quantizeModel(model, validatePlan({ version: 1, rules }));
  const path = join(dir, 'variant.onnx');
  await writeModel(model, path);
  const got = await outputs(path);
  console.log(`| ${name} | ${(got.reduce((s, o, i) => s + sqnr(floatOut[i]!, o), 0) / got.length).toFixed(1)} dB |`);
}
