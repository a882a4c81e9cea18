import { describe, expect, it } from 'vitest';
import { syntheticRun } from '../test/synthetic-run.js';
import { buildReport } from './report.js';

const environment = { node: 'v20', onnxruntime: '1.30.0', cpu: 'test cpu', cores: 2, platform: 'linux-x64' };

describe('a run over several thread counts (asrq bench --threads 1,2)', () => {
  // float and int8 at 1 thread (models 0, 1), then at 2 threads (models 2, 3): float gets 1.6x
  // faster with 2 threads, int8 only 1.25x, so the int8 speedup drops from 2x to 2 * 1.25 / 1.6 = 1.5625x.
  const run = syntheticRun();
  run.config = { ...run.config, models: [...run.config.models, ...run.config.models], modelThreads: [1, 1, 2, 2] };
  run.models = [...run.models, ...run.models];
  run.records = [
    ...run.records,
    ...run.records.map((r) => ({
      ...r,
      model: r.model + 2,
      encoderSec: r.encoderSec.map((s) => (r.model === 0 ? s / 1.6 : s / 1.25)),
    })),
  ];
  const report = buildReport(run, environment);

  it('compares each model with the first model at its own thread count', () => {
    expect(report.models.map((m) => m.threads)).toEqual([1, 1, 2, 2]);
    expect(report.models[0]!.speedup).toBe(1);
    expect(report.models[1]!.speedup).toBeCloseTo(2, 5);
    expect(report.models[2]!.speedup).toBe(1);
    expect(report.models[3]!.speedup).toBeCloseTo(1.5625, 5);
    expect(report.models[3]!.speedupPerUtterance.median).toBeCloseTo(1.5625, 5);
  });

  it('labels every entry with its thread count', () => {
    expect(report.models.map((m) => m.label)).toEqual([
      'float.onnx @1t',
      'int8.onnx @1t',
      'float.onnx @2t',
      'int8.onnx @2t',
    ]);
  });

  it('leaves single-count runs as they were', () => {
    const single = buildReport(syntheticRun(), environment);
    expect(single.models.map((m) => m.label)).toEqual(['float.onnx', 'int8.onnx']);
    expect(single.models[0]!.threads).toBeUndefined();
  });
});
