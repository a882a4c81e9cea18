import { describe, expect, it } from 'vitest';
import { randomFloats } from '../test/graph-builder.js';
import {
  dequantizeUint8,
  quantizeSymmetricInt8,
  quantizeUint8,
  roundHalfEven,
  sqnr,
  uint8Params,
} from './quant-math.js';

describe('uint8 affine quantization', () => {
  it('reconstructs every in-range value within scale/2 (property, 200 random ranges)', () => {
    for (let trial = 0; trial < 200; trial++) {
      const [a, b] = randomFloats(2, trial + 1, 50);
      const lo = Math.min(a!, b!);
      const hi = Math.max(a!, b!) + 1e-3;
      const p = uint8Params(lo, hi);
      const x = randomFloats(64, trial + 1000).map((v) => lo + ((v + 1) / 2) * (hi - lo));
      const back = dequantizeUint8(quantizeUint8(x, p), p);
      for (let i = 0; i < x.length; i++)
        expect(Math.abs(x[i]! - back[i]!)).toBeLessThanOrEqual(p.scale / 2 + 1e-6 * Math.abs(x[i]!));
    }
  });

  it('represents zero exactly and saturates outside the range', () => {
    const p = uint8Params(-1, 3);
    expect(p.zeroPoint).toBe(64);
    expect(dequantizeUint8(quantizeUint8(Float32Array.of(0), p), p)[0]).toBe(0);
    expect(Array.from(quantizeUint8(Float32Array.of(-100, 100), p))).toEqual([0, 255]);
    // A positive-only range still includes zero.
    expect(uint8Params(2, 4).zeroPoint).toBe(0);
  });

  it('rounds half to even like ONNX QuantizeLinear', () => {
    expect([0.5, 1.5, 2.5, -0.5, -1.5, -2.5, 2.4].map(roundHalfEven)).toEqual([0, 2, 2, -0, -2, -2, 2]);
  });
});

describe('symmetric int8 weights', () => {
  it('gives each output channel its own scale (max |w| / 127)', () => {
    // [K=2, N=3] MatMul weight: channels are columns (axis 1).
    const w = Float32Array.of(1, -4, 0.5, -2, 2, 0.25);
    const { values, scales } = quantizeSymmetricInt8(w, [2, 3], 1);
    expect(Array.from(scales)).toEqual([2 / 127, 4 / 127, 0.5 / 127].map((v) => Math.fround(v)));
    expect(Array.from(values)).toEqual([64, -127, 127, -127, 64, 64]);
    const perTensor = quantizeSymmetricInt8(w, [2, 3]);
    expect(perTensor.scales).toHaveLength(1);
    expect(perTensor.scales[0]).toBeCloseTo(4 / 127, 7);
  });

  it('keeps the error within half a step per channel (property) and handles all-zero channels', () => {
    const dims = [8, 5, 3];
    const w = randomFloats(8 * 5 * 3, 7, 3);
    w.fill(0, 15, 30); // channel 1 of axis 0 is all zeros
    const { values, scales } = quantizeSymmetricInt8(w, dims, 0);
    for (let i = 0; i < w.length; i++) {
      const s = scales[Math.floor(i / 15)]!;
      expect(Math.abs(w[i]! - values[i]! * s)).toBeLessThanOrEqual(s / 2 + 1e-7);
      expect(values[i]).toBeGreaterThanOrEqual(-127);
    }
    expect(scales[1]).toBeGreaterThan(0);
  });
});

describe('sqnr', () => {
  it('is infinite for identical signals and 20 dB for 10% RMS noise', () => {
    const x = Float32Array.of(1, -1, 1, -1);
    expect(sqnr(x, x)).toBe(Number.POSITIVE_INFINITY);
    expect(
      sqnr(
        x,
        x.map((v) => v * 1.1),
      ),
    ).toBeCloseTo(20, 4);
  });
});
