/**
 * Output SQNR of quantized models against their float model on the first bundled utterances, fed
 * through the float model's own front end (files beside it). No timing.
 *
 *   pnpm exec tsx --conditions=@asrq/source packages/quantize/bench/sqnr.ts float.onnx a.int8.onnx [b.int8.onnx ...] [--utterances 2]
 */
import { defaultCorpusDir } from '@asrq/fixtures';
import { InferenceSession, type Tensor } from 'onnxruntime-node';
// The runtime package is not a dependency of quantize; this script borrows its front ends.
import { CtcModel } from '../../runtime/src/index.js';
import { sqnr } from '../src/index.js';
import { listCorpus, readFlac } from '../test/corpus.js';

const args = process.argv.slice(2);
const at = args.indexOf('--utterances');
const count = at >= 0 ? Number(args[at + 1]) : 2;
const [floatPath, ...others] = at >= 0 ? args.filter((_, i) => i !== at && i !== at + 1) : args;
if (!floatPath || others.length === 0)
  throw new Error('usage: sqnr.ts float.onnx quantized.onnx [...] [--utterances n]');
const reference = await CtcModel.load(floatPath);
const feeds: Array<Record<string, Tensor>> = [];
for (const u of (await listCorpus(defaultCorpusDir)).slice(0, count))
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
console.log(`| model (${feeds.length} bundled utterances) | output SQNR vs ${floatPath} |\n|---|---:|`);
for (const path of others) {
  const got = await outputs(path);
  console.log(`| ${path} | ${(got.reduce((s, o, i) => s + sqnr(floatOut[i]!, o), 0) / got.length).toFixed(1)} dB |`);
}
