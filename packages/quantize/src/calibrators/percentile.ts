import { percentileRange } from '../histogram.js';
import type { Calibrator, CalibratorSettings, RangeCollector } from './calibrator.js';
import { HistogramCollector } from './histogram-collector.js';

/** The [100 - p, p] percentiles of a streaming histogram (`calibration.percentile`, default 99.999). */
export const percentileCalibrator = {
  name: 'percentile',
  summary: 'clips outliers at calibration.percentile (default 99.999)',
  collect: (settings: CalibratorSettings): RangeCollector =>
    new HistogramCollector((h) => percentileRange(h, settings.percentile)),
} as const satisfies Calibrator<'percentile'>;
