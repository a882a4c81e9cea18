import { entropyRange } from '../histogram.js';
import type { Calibrator, RangeCollector } from './calibrator.js';
import { HistogramCollector } from './histogram-collector.js';

/** The symmetric threshold minimising KL divergence to the 128-level quantization (TensorRT's entropy calibration). */
export const entropyCalibrator = {
  name: 'entropy',
  summary: 'minimises the KL divergence of the 128-level quantization (TensorRT)',
  collect: (): RangeCollector => new HistogramCollector((h) => entropyRange(h)),
} as const satisfies Calibrator<'entropy'>;
