import { defaultCorpusDir, defaultModelPath } from '@asrq/fixtures';
import { InferenceSession } from 'onnxruntime-node';
import { formatQuantizeReport, parsePlan, quantizeModelFile } from '../src/index.js';
import { audioFeeds, feedsOf, listCorpus, readFlac } from '../test/corpus.js';
import { readFile } from 'node:fs/promises';

const utts = await listCorpus(defaultCorpusDir);
const plan = parsePlan(await readFile(process.argv[2]!, 'utf8'));
const out = process.argv[3]!;
const sample = audioFeeds(await readFlac(utts[5]!.path));
const r = await quantizeModelFile(defaultModelPath, out, plan, { calibration: feedsOf(utts.slice(0, 3)), validateWith: sample });
console.log(formatQuantizeReport(r));
const s = await InferenceSession.create(out, { graphOptimizationLevel: 'all', optimizedModelFilePath: out.replace('.onnx', '.opt.onnx'), intraOpNumThreads: 1 });
await s.release();
