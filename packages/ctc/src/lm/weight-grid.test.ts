import { describe, expect, it } from 'vitest';
import { searchWeightGrid } from './weight-grid.js';

describe('searchWeightGrid', () => {
  it('finds a known optimum of a synthetic WER surface, coarse then fine, evaluating no point twice', async () => {
    // A bowl with its minimum at alpha 0.8, beta 1.9, off every coarse grid point.
    const surface = (alpha: number, beta: number): number => 40 + 30 * (alpha - 0.8) ** 2 + 2 * (beta - 1.9) ** 2;
    const evaluated: string[] = [];
    const result = await searchWeightGrid(
      async (points) => {
        for (const p of points) evaluated.push(`${p.alpha},${p.beta}`);
        return points.map((p) => surface(p.alpha, p.beta));
      },
      { refinements: 3 },
    );
    expect(Math.abs(result.best.alpha - 0.8)).toBeLessThanOrEqual(0.07);
    expect(Math.abs(result.best.beta - 1.9)).toBeLessThanOrEqual(0.17);
    expect(new Set(evaluated).size).toBe(evaluated.length);
    expect(result.surface.length).toBe(evaluated.length);
    // Strictly better than the best coarse point.
    const coarse = result.surface.slice(0, 25);
    expect(result.best.wer).toBeLessThan(Math.min(...coarse.map((p) => p.wer)));
  });

  it('keeps the coarse optimum when refinement finds nothing better', async () => {
    const result = await searchWeightGrid(async (points) =>
      points.map((p) => (p.alpha === 1 && p.beta === 1.5 ? 10 : 50)),
    );
    expect(result.best).toEqual({ alpha: 1, beta: 1.5, wer: 10 });
  });

  it('evaluates included points with the coarse grid and centres refinement on them when they win', async () => {
    const seen: string[] = [];
    const result = await searchWeightGrid(
      async (points) => {
        seen.push(...points.map((p) => `${p.alpha},${p.beta}`));
        return points.map((p) => Math.abs(p.alpha - 0.3) + Math.abs(p.beta - 1.1));
      },
      { include: [{ alpha: 0.3, beta: 1.1 }] },
    );
    expect(seen.slice(0, 26)).toContain('0.3,1.1');
    expect(result.best).toEqual({ alpha: 0.3, beta: 1.1, wer: 0 });
  });
});
