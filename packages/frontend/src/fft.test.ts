import { describe, expect, it } from 'vitest';
import { seededRandom } from '@asrq/core';
import { RealFft } from './fft.js';

function naiveDft(x: Float64Array): { re: Float64Array; im: Float64Array } {
  const n = x.length;
  const re = new Float64Array(n / 2 + 1);
  const im = new Float64Array(n / 2 + 1);
  for (let k = 0; k <= n / 2; k++) {
    let sr = 0;
    let si = 0;
    for (let t = 0; t < n; t++) {
      const angle = (-2 * Math.PI * k * t) / n;
      sr += x[t]! * Math.cos(angle);
      si += x[t]! * Math.sin(angle);
    }
    re[k] = sr;
    im[k] = si;
  }
  return { re, im };
}

describe('RealFft', () => {
  const rand = seededRandom(7);
  for (const n of [2, 4, 8, 16, 32, 64, 128, 256, 512, 1024]) {
    it(`matches a naive DFT at size ${n}`, () => {
      const x = Float64Array.from({ length: n }, () => rand() * 2 - 1);
      const fft = new RealFft(n);
      const re = new Float64Array(n / 2 + 1);
      const im = new Float64Array(n / 2 + 1);
      fft.forward(x, re, im);
      const want = naiveDft(x);
      let maxErr = 0;
      for (let k = 0; k <= n / 2; k++) {
        maxErr = Math.max(maxErr, Math.abs(re[k]! - want.re[k]!), Math.abs(im[k]! - want.im[k]!));
      }
      expect(maxErr).toBeLessThan(1e-9 * n);
      const power = new Float64Array(n / 2 + 1);
      fft.powerSpectrum(x, power);
      for (let k = 0; k <= n / 2; k++) {
        expect(power[k]).toBeCloseTo(want.re[k]! ** 2 + want.im[k]! ** 2, 8);
      }
    });
  }

  it('gives the same answer on reuse (buffers are reset per call)', () => {
    const fft = new RealFft(64);
    const a = Float64Array.from({ length: 64 }, (_, i) => Math.sin(i));
    const b = Float64Array.from({ length: 64 }, (_, i) => Math.cos(3 * i));
    const first = new Float64Array(33);
    const again = new Float64Array(33);
    fft.powerSpectrum(a, first);
    fft.powerSpectrum(b, again);
    fft.powerSpectrum(a, again);
    expect(Array.from(again)).toEqual(Array.from(first));
  });

  it('puts a pure tone in its bin', () => {
    const n = 256;
    const x = Float64Array.from({ length: n }, (_, i) => Math.cos((2 * Math.PI * 10 * i) / n));
    const power = new Float64Array(n / 2 + 1);
    new RealFft(n).powerSpectrum(x, power);
    expect(power[10]).toBeCloseTo((n / 2) ** 2, 6);
    expect(power[11]).toBeLessThan(1e-9);
  });

  it('refuses sizes that are not powers of two', () => {
    for (const n of [0, 1, 3, 400, 1.5])
      expect(() => new RealFft(n)).toThrow(expect.objectContaining({ code: 'FRONTEND_BAD_FFT_SIZE' }));
  });
});
