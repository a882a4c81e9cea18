import { describe, expect, it } from 'vitest';
import { resample, useSimdResampler } from './resample.js';

function tone(freq: number, rate: number, seconds: number, amplitude = 1): Float32Array {
  const out = new Float32Array(Math.round(rate * seconds));
  for (let i = 0; i < out.length; i++) out[i] = amplitude * Math.sin((2 * Math.PI * freq * i) / rate);
  return out;
}

/** Interior of a signal: the filter's edge transients are not what these tests measure. */
function interior(x: Float32Array): Float32Array {
  return x.subarray(Math.floor(x.length * 0.1), Math.floor(x.length * 0.9));
}

/** Least-squares fit of a sinusoid at `freq`: its amplitude and the RMS of what is left. */
function fitTone(
  x: Float32Array,
  freq: number,
  rate: number,
  offset: number,
): { amplitude: number; residualRms: number } {
  let ss = 0;
  let sc = 0;
  let cc = 0;
  let xs = 0;
  let xc = 0;
  for (let i = 0; i < x.length; i++) {
    const w = (2 * Math.PI * freq * (i + offset)) / rate;
    const s = Math.sin(w);
    const c = Math.cos(w);
    ss += s * s;
    sc += s * c;
    cc += c * c;
    xs += x[i]! * s;
    xc += x[i]! * c;
  }
  const det = ss * cc - sc * sc;
  const a = (xs * cc - xc * sc) / det;
  const b = (xc * ss - xs * sc) / det;
  let residual = 0;
  for (let i = 0; i < x.length; i++) {
    const w = (2 * Math.PI * freq * (i + offset)) / rate;
    residual += (x[i]! - a * Math.sin(w) - b * Math.cos(w)) ** 2;
  }
  return { amplitude: Math.hypot(a, b), residualRms: Math.sqrt(residual / x.length) };
}

function rms(x: Float32Array): number {
  let s = 0;
  for (const v of x) s += v * v;
  return Math.sqrt(s / x.length);
}

const db = (ratio: number): number => 20 * Math.log10(ratio);
const pairs: [number, number][] = [
  [44100, 16000],
  [48000, 16000],
  [22050, 16000],
  [8000, 16000],
  [16000, 8000],
  [44101, 16000], // 16000/44101 has no small ratio: the interpolated-phase path
];

describe('resample', () => {
  for (const [from, to] of pairs) {
    it(`${from} -> ${to}: a 1 kHz sine keeps its frequency, amplitude and phase`, () => {
      const out = resample(tone(1000, from, 0.5), from, to);
      expect(out.length).toBe(Math.ceil((Math.round(from * 0.5) * to) / from));
      const part = interior(out);
      const fit = fitTone(part, 1000, to, Math.floor(out.length * 0.1));
      expect(Math.abs(db(fit.amplitude))).toBeLessThan(0.01);
      // What is not a 1 kHz sine at the right phase is filter error: tiny.
      expect(db(fit.residualRms / (1 / Math.SQRT2))).toBeLessThan(-60);
      // Zero delay: output sample n is the input's value at time n / to.
      let worst = 0;
      const start = Math.floor(out.length * 0.1);
      for (let n = start; n < out.length * 0.9; n++)
        worst = Math.max(worst, Math.abs(out[n]! - Math.sin((2 * Math.PI * 1000 * n) / to)));
      expect(worst).toBeLessThan(1e-3);
    });
  }

  for (const [from, to] of pairs.filter(([f, t]) => f > t)) {
    it(`${from} -> ${to}: tones above the new Nyquist are attenuated by at least 60 dB`, () => {
      const nyquist = to / 2;
      for (const freq of [nyquist * 1.005, nyquist * 1.03, nyquist * 1.25, nyquist * 1.9, from / 2 - 300]) {
        if (freq >= from / 2) continue;
        const out = interior(resample(tone(freq, from, 0.3), from, to));
        expect(db(rms(out) / (1 / Math.SQRT2)), `${freq} Hz`).toBeLessThan(-60);
      }
    });
  }

  it('44100 -> 16000: the passband is flat within 0.01 dB up to 6.4 kHz (80% of Nyquist)', () => {
    for (const freq of [100, 2500, 5000, 6400]) {
      const out = interior(resample(tone(freq, 44100, 0.2), 44100, 16000));
      expect(Math.abs(db(fitTone(out, freq, 16000, 0).amplitude)), `${freq} Hz`).toBeLessThan(0.01);
    }
  });

  it('8000 -> 16000: no image of a 3 kHz tone at 5 kHz (60 dB)', () => {
    const out = interior(resample(tone(3000, 8000, 0.5), 8000, 16000));
    const image = fitTone(out, 5000, 16000, 0);
    expect(db(image.amplitude)).toBeLessThan(-60);
  });

  it('high quality reaches 100 dB of alias rejection', () => {
    const out = interior(resample(tone(9000, 44100, 0.3), 44100, 16000, { quality: 'high' }));
    expect(db(rms(out) / (1 / Math.SQRT2))).toBeLessThan(-100);
  });

  it('is the identity for equal rates', () => {
    const x = tone(440, 16000, 0.1);
    expect(resample(x, 16000, 16000)).toBe(x);
  });

  it('keeps a constant exactly constant away from the edges, for any rate pair (unit DC gain per phase)', () => {
    let seed = 7;
    for (let trial = 0; trial < 12; trial++) {
      seed = (Math.imul(seed, 48271) + 11) >>> 0;
      const from = 4000 + (seed % 60000);
      const to = 8000 + ((seed >>> 8) % 40000);
      const out = interior(resample(new Float32Array(4000).fill(0.5), from, to));
      for (const v of out) expect(Math.abs(v - 0.5), `${from} -> ${to}`).toBeLessThan(1e-5);
    }
  });

  it('is linear: resample(a + b) = resample(a) + resample(b)', () => {
    const a = tone(700, 44100, 0.05);
    const b = tone(3100, 44100, 0.05, 0.3);
    const sum = a.map((v, i) => v + b[i]!);
    const ra = resample(a, 44100, 16000);
    const rb = resample(b, 44100, 16000);
    const rs = resample(sum, 44100, 16000);
    for (let i = 0; i < rs.length; i++) expect(rs[i]).toBeCloseTo(ra[i]! + rb[i]!, 5);
  });

  it('the WebAssembly SIMD loop and the JS loop agree to float32 rounding, across chunk boundaries', () => {
    const x = new Float32Array(44100 * 2).map((_, i) => Math.sin(i * 0.01) + 0.2 * Math.sin(i * 1.3));
    for (const [from, to] of [
      [44100, 16000],
      [8000, 16000],
      [48000, 16000],
      [22050, 16000],
    ] as const) {
      useSimdResampler(false);
      const js = resample(x, from, to);
      useSimdResampler(true);
      const simd = resample(x, from, to);
      expect(simd.length).toBe(js.length);
      let worst = 0;
      for (let i = 0; i < js.length; i++) worst = Math.max(worst, Math.abs(simd[i]! - js[i]!));
      expect(worst, `${from} -> ${to}`).toBeLessThan(2e-6);
    }
  });

  it('rejects nonsense rates with AUDIO_BAD_SAMPLE_RATE', () => {
    expect(() => resample(new Float32Array(10), 0, 16000)).toThrow(/sample rate 0/);
    expect(() => resample(new Float32Array(10), 16000, Number.NaN)).toThrow(
      expect.objectContaining({ code: 'AUDIO_BAD_SAMPLE_RATE' }),
    );
  });
});
