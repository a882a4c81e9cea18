import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { niceAxisMax } from './nice-axis.js';

describe('niceAxisMax', () => {
  it('holds the value with 5 % room and never runs past 1.4 times it (the old axis ran to twice the data)', () => {
    fc.assert(
      fc.property(fc.double({ min: 1e-6, max: 1e6, noNaN: true }), (value) => {
        const max = niceAxisMax(value);
        expect(max).toBeGreaterThanOrEqual(value * 1.05 * (1 - 1e-9));
        expect(max).toBeLessThanOrEqual(value * 1.4);
      }),
    );
    expect(niceAxisMax(0.0121)).toBe(0.015);
    expect(niceAxisMax(0.0101)).toBe(0.012);
    expect(niceAxisMax(78.66)).toBe(100);
    expect(niceAxisMax(0)).toBe(1);
  });
});
