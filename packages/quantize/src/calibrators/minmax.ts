import type { Range } from '../range.js';
import type { Calibrator, RangeCollector } from './calibrator.js';

class MinMaxCollector implements RangeCollector {
  private readonly observed: Range = { min: Number.POSITIVE_INFINITY, max: Number.NEGATIVE_INFINITY };

  add(values: Float32Array): void {
    const r = this.observed;
    for (let i = 0; i < values.length; i++) {
      const v = values[i]!;
      if (v < r.min) r.min = v;
      if (v > r.max) r.max = v;
    }
  }

  range(): Range {
    return this.observed;
  }
}

/** The observed minimum and maximum (onnxruntime's MinMax calibrator); asrq's default. */
export const minmaxCalibrator = {
  name: 'minmax',
  summary: 'the observed minimum and maximum (default)',
  collect: (): RangeCollector => new MinMaxCollector(),
} as const satisfies Calibrator<'minmax'>;
