import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dequantizeBlockInt4, quantizeBlockInt4 } from './block-int4.js';

describe('block-wise int4', () => {
  it('packs two codes per byte, low nibble first, and keeps each block extreme exact', () => {
    // K = 32 (one block), N = 1: values -8..7 times 0.5 along K, twice.
    const k = 32;
    const data = Float32Array.from({ length: k }, (_, i) => ((i % 16) - 8) * 0.5);
    const q = quantizeBlockInt4(data, k, 1, 32);
    expect(q.kBlocks).toBe(1);
    expect(q.scales[0]).toBeCloseTo(0.5); // extreme -4 / -8
    expect(q.packed[0]).toBe(0x10); // codes 0 (low) and 1 (high)
    expect(Array.from(dequantizeBlockInt4(q, k, 1, 32))).toEqual(Array.from(data));
  });

  it('reconstructs every weight within half a step of its block (property), zero-padding past K', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 70 }),
        fc.integer({ min: 1, max: 5 }),
        fc.constantFrom(16, 32, 64),
        fc.integer({ min: 1, max: 1000 }),
        (k, n, blockSize, seed) => {
          let s = seed;
          const data = Float32Array.from({ length: k * n }, () => {
            s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
            return (s / 2 ** 32 - 0.5) * 4;
          });
          const q = quantizeBlockInt4(data, k, n, blockSize);
          expect(q.packed.length).toBe(n * Math.ceil(k / blockSize) * (blockSize / 2));
          const back = dequantizeBlockInt4(q, k, n, blockSize);
          for (let r = 0; r < k; r++)
            for (let c = 0; c < n; c++) {
              const scale = Math.abs(q.scales[c * q.kBlocks + Math.floor(r / blockSize)]!);
              // Half a step, or one step for the one value the asymmetric range clips (+8 steps).
              expect(Math.abs(back[r * n + c]! - data[r * n + c]!)).toBeLessThanOrEqual(scale + 1e-6);
            }
        },
      ),
      { numRuns: 100 },
    );
  });
});
