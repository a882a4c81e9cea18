import { describe, expect, it } from 'vitest';
import { buildReport, modelLabels } from './report.js';
import { syntheticRun } from '../test/synthetic-run.js';

const environment = { node: 'v20', onnxruntime: '1.30.0', cpu: 'test cpu', cores: 2, platform: 'linux-x64' };

describe('buildReport', () => {
  const report = buildReport(syntheticRun(), environment);

  it('scores only utterances every model finished', () => {
    expect(report.utterances).toBe(2);
    expect(report.audioSec).toBe(4);
  });

  it('pools WER over utterances per model', () => {
    const [float, int8] = report.models;
    expect(float!.wer).toBe(12.5); // 1 substitution / 8 words
    expect(int8!.wer).toBe(37.5); // 1 deletion + 1 substitution + 1 insertion
    expect([int8!.substitutions, int8!.deletions, int8!.insertions]).toEqual([1, 1, 1]);
  });

  it('computes encoder RTF per repeat pass and the speedup against the first model', () => {
    const [float, int8] = report.models;
    // pass 1: (0.02 + 0.04) / 4 = 0.015; pass 2: (0.022 + 0.04) / 4 = 0.0155
    expect(float!.rtfEncoderRepeats.min).toBeCloseTo(0.015, 10);
    expect(float!.rtfEncoderRepeats.max).toBeCloseTo(0.0155, 10);
    expect(int8!.rtfEncoder).toBeCloseTo((0.0075 + 0.00775) / 2, 10);
    expect(float!.speedup).toBe(1);
    expect(int8!.speedup).toBeCloseTo(2, 5);
    expect(int8!.speedupPerUtterance.median).toBeCloseTo(2, 5);
    expect(float!.rtfEndToEnd).toBeGreaterThan(float!.rtfEncoderRepeats.min);
  });

  it('uses one statistic for both RTF columns: end-to-end = encoder median + the once-measured rest, never below encoder', () => {
    const run = syntheticRun();
    // The first repeat pass is the fast one (as in asrq demo's 0.00768 vs 0.00799).
    run.records = run.records.map((r) => ({
      ...r,
      encoderSec: [r.encoderSec[0]! * 0.5, r.encoderSec[0]!, r.encoderSec[0]! * 1.1],
    }));
    run.config = { ...run.config, repeats: 3 };
    for (const m of buildReport(run, environment).models) {
      expect(m.rtfEndToEnd).toBeGreaterThan(m.rtfEncoder);
      // load 0.002 + plumbing 0.0005 + decode 0.001 per utterance, 2 utterances, 4 s of audio.
      expect(m.rtfEndToEnd - m.rtfEncoder).toBeCloseTo((2 * 0.0035) / 4, 10);
    }
    expect(report.protocol.rtfScope).toMatch(/end-to-end = that same encoder RTF plus/);
  });

  it('keeps sizes and labels', () => {
    expect(report.models.map((m) => m.label)).toEqual(['float.onnx', 'int8.onnx']);
    expect(report.models[1]!.sizeBytes).toBe(1_000_000);
    expect(modelLabels(['/a/model.onnx', '/b/model.onnx'])).toEqual(['a/model.onnx', 'b/model.onnx']);
  });

  it('reports harness overhead from loop and work time', () => {
    expect(report.harness.overheadPercent).toBeCloseTo(2, 5);
  });
});
