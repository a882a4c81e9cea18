import type { BenchRun } from '@asrq/bench';
import { describe, expect, it } from 'vitest';
import { fixedPlannerTiming } from './timing.js';

describe('fixedPlannerTiming', () => {
  it('gives equal shares, fixed probe ratios, size-scaled encoder times and a stepping clock', async () => {
    const timing = fixedPlannerTiming({ clockStepMs: 250, floatRtf: 0.02, probeRatio: 0.25 });
    expect([timing.now(), timing.now()]).toEqual([250, 500]);
    const groups = ['a', 'b', 'c', 'd'].map((id) => ({
      id,
      path: id,
      family: 'weight-matmul' as const,
      nodes: [id],
      modulePaths: [id],
      ops: ['MatMul'],
      modes: { dynamic: true, static: true },
    }));
    expect(
      (await timing.profileShares({ floatBytes: new Uint8Array(), sample: {}, groups, threads: 1, dir: '.' })).shares,
    ).toEqual({ a: 0.25, b: 0.25, c: 0.25, d: 0.25 });
    expect(await timing.probeTimes({ models: [new Uint8Array(), new Uint8Array()], sample: {}, threads: 1 })).toEqual([
      0.01, 0.0025,
    ]);
    const record = {
      kind: 'utterance' as const,
      id: 'u',
      audioSec: 2,
      decodeSec: 0,
      loadSec: 0,
      plumbingSec: 0,
      ref: 'A',
      hyp: 'A',
    };
    const run = {
      models: [
        { path: 'f', sizeBytes: 400, loadSec: 0, rssIncreaseBytes: 0 },
        { path: 'q', sizeBytes: 100, loadSec: 0, rssIncreaseBytes: 0 },
      ],
      records: [
        { ...record, model: 0, encoderSec: [9, 9] },
        { ...record, model: 1, encoderSec: [1] },
      ],
    } as unknown as BenchRun;
    expect(timing.benchmarkTimings(run).records.map((r) => r.encoderSec)).toEqual([[0.04, 0.04], [0.01]]);
    // The default clock stands still, so no time budget ever runs out.
    const still = fixedPlannerTiming();
    expect([still.now(), still.now()]).toEqual([0, 0]);
  });
});
