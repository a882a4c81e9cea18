import { describe, expect, it } from 'vitest';
import { reportProtocol } from '../report-parts.js';
import type { BenchConfig } from '../types.js';
import { passOrder } from './measure-utterance.js';

const model = (threads: number) =>
  ({ settings: { threads, graphOptimizationLevel: 'all', executionMode: 'sequential' } }) as const;

describe('passOrder', () => {
  it('interleaves the repeats of one-thread models (A,B,A,B)', () => {
    expect(passOrder([model(1), model(1)], [1, 0], 2)).toEqual([1, 0, 1, 0]);
  });

  it("runs each model's repeats back to back once any model has more than one thread (A,A,B,B)", () => {
    expect(passOrder([model(2), model(2)], [0, 1], 3)).toEqual([0, 0, 0, 1, 1, 1]);
    expect(passOrder([model(1), model(2)], [1, 0], 2)).toEqual([1, 1, 0, 0]);
  });

  it('and the report says which order was used', () => {
    const config = { models: ['a', 'b'], threads: 1, repeats: 3, warmup: 1, beam: 1 } as unknown as BenchConfig;
    expect(reportProtocol(config).interleaving).toContain('repeats interleaved too');
    expect(reportProtocol({ ...config, threads: 2 }).interleaving).toContain('back to back');
    expect(reportProtocol({ ...config, modelThreads: [1, 2] }).interleaving).toContain('back to back');
  });
});
