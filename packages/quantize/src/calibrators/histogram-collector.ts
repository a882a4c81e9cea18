import { StreamingHistogram } from '../histogram.js';
import type { Range } from '../range.js';
import type { RangeCollector } from './calibrator.js';

/**
 * A collector backed by a fixed-size {@link StreamingHistogram}, whose range is a function of the
 * filled histogram (percentile and entropy calibrators).
 */
export class HistogramCollector implements RangeCollector {
  private readonly histogram = new StreamingHistogram();

  /** @param toRange - Turns the filled histogram into a range. */
  constructor(private readonly toRange: (h: StreamingHistogram) => Range) {}

  add(values: Float32Array): void {
    this.histogram.add(values);
  }

  range(): Range {
    return this.toRange(this.histogram);
  }
}
