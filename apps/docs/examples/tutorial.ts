// The asrq tutorial in library code: inspect, plan, calibrate, quantize, check sensitivity,
// benchmark before and after. The docs include this file verbatim and a test runs it, so it
// stays correct. Usage: tsx tutorial.ts [work-dir]
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { buildReport, environmentFacts, resultsTable, runBenchmark, writeReports } from '@asrq/bench';
import { defaultCorpusDir, defaultModelPath } from '@asrq/fixtures';
import { formatInspection, inspectModel, readModel } from '@asrq/onnx';
import {
  formatQuantizeReport,
  formatSensitivityReport,
  planFromFlags,
  quantizeModelFile,
  sensitivityReport,
} from '@asrq/quantize';
import { calibrationFeeds } from '@asrq/runtime';

const workDir = resolve(process.argv[2] ?? 'asrq-tutorial');
await mkdir(workDir, { recursive: true });

// 1. Inspect: the module tree rebuilt from the node names gives the paths a plan selects.
console.log(formatInspection(inspectModel(await readModel(defaultModelPath)), { depth: 5 }));

// 2. Choose how each module is quantized. Later rules win, so exclusions come last.
const plan = planFromFlags({
  dynamic: ['encoder.wav2vec2.model.encoder.layers', 'encoder.enc'],
  static: ['encoder.wav2vec2.model.feature_extractor.conv_layers', 'encoder.wav2vec2.model.feature_projection'],
  exclude: ['encoder.wav2vec2.model.encoder.pos_conv_embed', 'encoder.ctc_lin'],
  calibN: 10,
  seed: 0,
});

// 3. Calibration data: 10 utterances picked with a seed, fed exactly as inference feeds them
//    (decoded one at a time while calibrating); the first of them is the validation sample.
const { calibration, sample } = await calibrationFeeds(defaultModelPath, defaultCorpusDir, { n: 10, seed: 0 });

// 4. Quantize, then validate: the written model is loaded in onnxruntime and its output
//    compared with the float model's on one utterance (SQNR in dB).
const quantized = join(workDir, 'model.int8.onnx');
const report = await quantizeModelFile(defaultModelPath, quantized, plan, { calibration, validateWith: sample });
console.log(formatQuantizeReport(report));

// 5. Sensitivity: each module quantized alone; the lowest SQNR marks the fragile ones.
console.log(formatSensitivityReport(await sensitivityReport(defaultModelPath, plan, { sample, calibration })));

// 6. Benchmark both models, interleaved per utterance, after warm-up.
const run = await runBenchmark(
  {
    models: [defaultModelPath, quantized],
    data: defaultCorpusDir,
    n: 35,
    warmup: 5,
    repeats: 3,
    threads: 1,
    beam: 1,
    lenient: false,
  },
  { outDir: join(workDir, 'bench') },
);
const benchReport = buildReport(run, environmentFacts());
await writeReports(join(workDir, 'bench'), benchReport, run);
console.log(resultsTable(benchReport));
