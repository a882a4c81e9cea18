import { describe, expect, it } from 'vitest';
import { realTimeFactor, rtfReport, summarizeTimings } from './timing.js';

describe('real-time factor', () => {
  it('is processing time over audio time', () => {
    expect(realTimeFactor(3, 60)).toBe(0.05);
    expect(realTimeFactor(0, 1)).toBe(0);
  });

  it('rejects durations that would give NaN or Infinity', () => {
    for (const [p, a] of [
      [1, 0],
      [1, -2],
      [Number.NaN, 1],
      [-1, 1],
      [1, Number.POSITIVE_INFINITY],
    ] as const) {
      expect(() => realTimeFactor(p, a)).toThrow(expect.objectContaining({ code: 'METRICS_BAD_DURATION' }));
    }
  });

  it('summarises repeats like numpy (linear percentiles, sample stdev)', () => {
    const s = summarizeTimings([5, 1, 4, 2, 3]);
    expect(s).toMatchObject({ count: 5, median: 3, mean: 3, min: 1, max: 5 });
    expect(s.p10).toBeCloseTo(1.4, 12);
    expect(s.p90).toBeCloseTo(4.6, 12);
    expect(s.stdev).toBeCloseTo(Math.sqrt(2.5), 12);
    expect(summarizeTimings([2, 4]).median).toBe(3);
    expect(summarizeTimings([7]).stdev).toBe(0);
    expect(() => summarizeTimings([])).toThrow(expect.objectContaining({ code: 'METRICS_EMPTY_INPUT' }));
  });

  it('builds a report from the median repeat with the scope and threads recorded', () => {
    const r = rtfReport({
      scope: 'encoder',
      repeatSeconds: [4.3, 4.0, 4.1],
      audioSec: 600,
      threads: 1,
      warmupExcluded: 2,
    });
    expect(r).toMatchObject({ scope: 'encoder', processingSec: 4.1, audioSec: 600, threads: 1, warmupExcluded: 2 });
    expect(r.rtf).toBe(realTimeFactor(4.1, 600));
    expect(r.repeats.count).toBe(3);
    expect(() =>
      rtfReport({ scope: 'end-to-end', repeatSeconds: [1], audioSec: 1, threads: 0, warmupExcluded: 0 }),
    ).toThrow(expect.objectContaining({ code: 'METRICS_BAD_THREADS' }));
  });
});
