import { describe, expect, it } from 'vitest';
import { formatSensitivityReport } from './report.js';
import type { SensitivityReport } from './sensitivity.js';

const report: SensitivityReport = {
  input: 'model.onnx',
  metricName: 'WER %',
  floatMetric: 75,
  full: { sqnr: { log_probs: 20 }, metric: 76.5, metricDelta: 1.5 },
  entries: [
    { module: 'encoder.enc', mode: 'dynamic', nodes: 2, sqnr: { log_probs: 30 }, metric: 75.25, metricDelta: 0.25 },
  ],
};

describe('formatSensitivityReport', () => {
  it('labels the metric with its name (the CLI passes "WER %"), and "metric" without one', () => {
    const text = formatSensitivityReport(report);
    expect(text).toContain('float WER % 75.00');
    expect(text).toMatch(/encoder\.enc \(2 nodes\) {2}WER % 75\.25 \(\+0\.25\)$/m);
    expect(text).toMatch(/^whole plan: 20\.0 dB {2}WER % 76\.50 \(\+1\.50\)$/m);
    const { metricName: _, ...unnamed } = report;
    expect(formatSensitivityReport(unnamed)).toContain('float metric 75.00');
  });
});
