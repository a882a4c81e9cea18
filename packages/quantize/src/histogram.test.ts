import { describe, expect, it } from 'vitest';
import { randomFloats } from '../test/graph-builder.js';
import { entropyRange, percentileRange, StreamingHistogram } from './histogram.js';

describe('StreamingHistogram', () => {
  it('keeps every count when the range grows, with fixed memory', () => {
    const h = new StreamingHistogram(64);
    h.add(randomFloats(1000, 1, 1));
    h.add(randomFloats(1000, 2, 10));
    h.add(randomFloats(1000, 3, 100));
    expect(h.counts).toHaveLength(64);
    expect(h.counts.reduce((a, b) => a + b, 0)).toBe(3000);
    expect(h.halfRange).toBeGreaterThanOrEqual(99);
    expect(h.min).toBeGreaterThanOrEqual(-100);
  });

  it('finds percentiles of a known uniform distribution', () => {
    const h = new StreamingHistogram();
    const x = new Float32Array(100_000).map((_, i) => -1 + (2 * i) / 100_000);
    h.add(x);
    const r = percentileRange(h, 99);
    expect(r.max).toBeCloseTo(0.98, 2);
    expect(r.min).toBeCloseTo(-0.98, 2);
  });

  it('entropy calibration clips rare outliers but keeps the bulk', () => {
    const h = new StreamingHistogram();
    const bulk = new Float32Array(200_000);
    // Roughly Gaussian bulk (sum of uniforms), plus a few huge outliers.
    const u = [randomFloats(200_000, 5), randomFloats(200_000, 6), randomFloats(200_000, 7)];
    for (let i = 0; i < bulk.length; i++) bulk[i] = u[0]![i]! + u[1]![i]! + u[2]![i]!;
    h.add(bulk);
    h.add(Float32Array.of(100, -100));
    const r = entropyRange(h);
    expect(r.max).toBeLessThan(60);
    expect(r.max).toBeGreaterThan(1.5);
    expect(r.min).toBeLessThan(-1.5);
    const minmax = { min: h.min, max: h.max };
    expect(minmax.max).toBe(100);
  });
});
