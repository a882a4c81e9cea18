import { readFile, rm } from 'node:fs/promises';
import { mkdtemp } from 'node:fs/promises';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultCorpusDir, defaultModelPath } from '@asrq/fixtures';
import { readModel, writeModel } from '@asrq/onnx';
import { calibrationFeeds, type CalibrationFeeds } from '@asrq/runtime';
import { InferenceSession } from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  formatQuantizeReport,
  formatSensitivityReport,
  parsePlan,
  quantizeModelFile,
  sensitivityReport,
  type QuantPlan,
} from '../src/index.js';

let dir: string;
let inputs: CalibrationFeeds;
let sample: CalibrationFeeds['sample'];
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'asrq-quantize-bundled-'));
  // The first 8 utterances by id: calibration takes them in order, validation uses the 8th.
  inputs = await calibrationFeeds(defaultModelPath, defaultCorpusDir, { n: 8 });
  sample = await inputs.feedsOf(inputs.items[7]!.audioPath);
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const hasPythonOnnx = spawnSync('/usr/bin/python3', ['-c', 'import onnx'], { stdio: 'ignore' }).status === 0;

describe('the bundled model', () => {
  it('survives read -> write with bit-identical onnxruntime outputs', async () => {
    const out = join(dir, 'copy.onnx');
    await writeModel(await readModel(defaultModelPath), out, { externalDataThreshold: 4096 });
    const a = await InferenceSession.create(defaultModelPath, { intraOpNumThreads: 1 });
    const b = await InferenceSession.create(out, { intraOpNumThreads: 1 });
    const ra = await a.run(sample);
    const rb = await b.run(sample);
    expect(
      Buffer.from((rb.log_probs!.data as Float32Array).buffer).equals(
        Buffer.from((ra.log_probs!.data as Float32Array).buffer),
      ),
    ).toBe(true);
    await a.release();
    await b.release();
  });

  it('quantizes with the seed plan (mixed dynamic/static, ctc_lin float) and the best plan', async () => {
    for (const name of ['seed', 'best']) {
      const plan: QuantPlan = {
        ...parsePlan(await readFile(new URL(`../../../examples/plans/${name}.json`, import.meta.url), 'utf8')),
        calibration: { n: 2 },
      };
      const output = join(dir, `${name}.onnx`);
      const progress: string[] = [];
      const report = await quantizeModelFile(defaultModelPath, output, plan, {
        calibration: inputs.calibration,
        validateWith: sample,
        onProgress: (e) => progress.push(e.status),
      });
      expect(report.calibrationSamples).toBe(2);
      expect(progress).toContain('calibrating');
      expect(progress.at(-1)).toBe('done');
      expect(report.bytesAfter).toBeLessThan(report.bytesBefore / 2.5);
      expect(report.opsAfter.MatMul).toBeLessThan(report.opsBefore.MatMul!);
      // The power-spectrum front end stays float in the best plan, so it tracks the float model closely.
      expect(report.sqnr.log_probs).toBeGreaterThan(name === 'best' ? 30 : 5);
      expect(formatQuantizeReport(report)).toContain('output SQNR vs float: log_probs');
      if (name === 'seed') {
        const ctc = report.rules.find((r) => r.select === 'encoder.ctc_lin')!;
        expect(ctc).toMatchObject({ mode: 'float', quantized: 0 });
        expect(report.nodes.some((n) => n.node === '/encoder/ctc_lin/MatMul')).toBe(false);
      }
    }
  });

  it.skipIf(!hasPythonOnnx)(
    'seed and best models pass onnx.checker (skipped without /usr/bin/python3 + onnx, Debian python3-onnx)',
    () => {
      for (const name of ['seed', 'best']) {
        const r = spawnSync(
          '/usr/bin/python3',
          ['-c', 'import onnx,sys; onnx.checker.check_model(onnx.load(sys.argv[1]))', join(dir, `${name}.onnx`)],
          { encoding: 'utf8' },
        );
        expect(r.status, r.stderr).toBe(0);
      }
    },
  );

  it('reports per-module sensitivity: the mel MatMul is the module that hurts', async () => {
    const plan: QuantPlan = {
      version: 1,
      rules: [
        { select: 'encoder.wav2vec2.model.feature_extractor.mel', mode: 'dynamic' },
        { select: 'encoder.enc', mode: 'dynamic' },
        // Only activation x activation MatMuls: nothing a dynamic rule can quantize, so not listed.
        { select: '**.layers.0.attention', mode: 'dynamic' },
      ],
    };
    const report = await sensitivityReport(defaultModelPath, plan, { sample });
    expect(report.entries.map((e) => e.module)).toEqual([
      'encoder.wav2vec2.model.feature_extractor.mel',
      'encoder.enc.linear1',
      'encoder.enc.linear2',
    ]);
    const mel = report.entries[0]!.sqnr.log_probs!;
    const linear1 = report.entries[1]!.sqnr.log_probs!;
    expect(mel).toBeLessThan(linear1 - 10);
    expect(formatSensitivityReport(report).split('\n')[1]).toContain('feature_extractor.mel');
  });
});
