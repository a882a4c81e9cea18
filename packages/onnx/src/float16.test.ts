import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { float16ToFloat32, float32ToFloat16, fromFloat16Bits, toFloat16Bits } from './float16.js';

describe('float16', () => {
  it('every finite half value survives half -> float -> half', () => {
    for (let bits = 0; bits < 0x10000; bits++) {
      const exponent = (bits >>> 10) & 0x1f;
      if (exponent === 0x1f && (bits & 0x3ff) !== 0) continue; // NaN payloads
      expect(toFloat16Bits(fromFloat16Bits(bits))).toBe(bits);
    }
  });

  it('rounds to the nearest half, ties to even, like numpy', () => {
    // Values numpy.float16 gives: 1 + 2^-11 is a tie between 1 and 1 + 2^-10 -> 1 (even).
    expect(toFloat16Bits(1 + 2 ** -11)).toBe(0x3c00);
    expect(toFloat16Bits(1 + 3 * 2 ** -11)).toBe(0x3c02);
    expect(toFloat16Bits(65504)).toBe(0x7bff);
    expect(toFloat16Bits(65520)).toBe(0x7c00); // rounds up past the largest half: infinity
    expect(toFloat16Bits(2 ** -24)).toBe(0x0001);
    expect(toFloat16Bits(2 ** -25)).toBe(0x0000); // tie with 0 -> even
    expect(toFloat16Bits(1.5 * 2 ** -25)).toBe(0x0001);
    expect(toFloat16Bits(-0)).toBe(0x8000);
    expect(Number.isNaN(fromFloat16Bits(toFloat16Bits(Number.NaN)))).toBe(true);
    expect(toFloat16Bits(Number.NEGATIVE_INFINITY)).toBe(0xfc00);
  });

  it('the nearest half is never farther than half a step (property)', () => {
    fc.assert(
      fc.property(fc.float({ min: -60000, max: 60000, noNaN: true }), (x) => {
        const y = fromFloat16Bits(toFloat16Bits(x));
        const step = Math.max(2 ** -24, 2 ** (Math.floor(Math.log2(Math.max(Math.abs(x), 2 ** -14))) - 10));
        expect(Math.abs(y - Math.fround(x))).toBeLessThanOrEqual(step / 2);
      }),
    );
  });

  it('converts arrays both ways', () => {
    const bits = float32ToFloat16(Float32Array.of(1, 0.5, -2));
    expect(Array.from(bits)).toEqual([0x3c00, 0x3800, 0xc000]);
    expect(Array.from(float16ToFloat32(bits))).toEqual([1, 0.5, -2]);
  });
});
