import { FrontEndError } from './errors.js';

/**
 * Forward FFT of real input, for any power-of-two size >= 2.
 *
 * The N real samples are packed into N/2 complex values (even samples real, odd samples
 * imaginary), transformed with an iterative radix-2 complex FFT, then split into the N/2 + 1
 * non-redundant bins of the real spectrum. Twiddles and the bit-reversal permutation are computed
 * once in the constructor and the work buffers are reused, so {@link RealFft.forward} and
 * {@link RealFft.powerSpectrum} allocate nothing. Arithmetic is in double precision.
 *
 * @example
 * ```ts
 * const fft = new RealFft(512);
 * const power = new Float64Array(257);
 * fft.powerSpectrum(frame, power);   // |X[k]|^2 for k = 0..256
 * ```
 */
export class RealFft {
  /** Transform size N (real samples in). */
  readonly size: number;
  /** Bins out: N/2 + 1. */
  readonly bins: number;
  private readonly half: number;
  private readonly bitReverse: Uint32Array;
  /** cos/sin(2 pi j / (N/2)), j < N/4: the complex FFT's twiddles. */
  private readonly cosHalf: Float64Array;
  private readonly sinHalf: Float64Array;
  /** cos/sin(2 pi k / N), k <= N/2: the split step's twiddles. */
  private readonly cosFull: Float64Array;
  private readonly sinFull: Float64Array;
  private readonly re: Float64Array;
  private readonly im: Float64Array;

  /**
   * @param size - Number of real input samples; a power of two, at least 2.
   * @throws AsrqError `FRONTEND_BAD_FFT_SIZE` when `size` is not a power of two >= 2.
   */
  constructor(size: number) {
    if (!Number.isInteger(size) || size < 2 || (size & (size - 1)) !== 0) {
      throw new FrontEndError(
        'FRONTEND_BAD_FFT_SIZE',
        `RealFft: size ${size} is not a power of two >= 2. Use a power of two such as 256, 512 or 1024.`,
      );
    }
    this.size = size;
    this.half = size >> 1;
    this.bins = this.half + 1;
    const m = this.half;
    this.bitReverse = new Uint32Array(m);
    const bits = Math.round(Math.log2(m));
    for (let i = 0; i < m; i++) {
      let r = 0;
      for (let b = 0; b < bits; b++) r |= ((i >> b) & 1) << (bits - 1 - b);
      this.bitReverse[i] = r;
    }
    const quarter = Math.max(1, m >> 1);
    this.cosHalf = new Float64Array(quarter);
    this.sinHalf = new Float64Array(quarter);
    for (let j = 0; j < quarter; j++) {
      this.cosHalf[j] = Math.cos((2 * Math.PI * j) / m);
      this.sinHalf[j] = Math.sin((2 * Math.PI * j) / m);
    }
    this.cosFull = new Float64Array(m + 1);
    this.sinFull = new Float64Array(m + 1);
    for (let k = 0; k <= m; k++) {
      this.cosFull[k] = Math.cos((2 * Math.PI * k) / size);
      this.sinFull[k] = Math.sin((2 * Math.PI * k) / size);
    }
    this.re = new Float64Array(m);
    this.im = new Float64Array(m);
  }

  /**
   * Spectrum X[k] = sum_n x[n] e^{-2 pi i k n / N} for k = 0..N/2.
   * @param input - N real samples (read from index 0; a longer array is fine).
   * @param outRe - Real parts, length >= N/2 + 1.
   * @param outIm - Imaginary parts, length >= N/2 + 1.
   */
  forward(input: ArrayLike<number>, outRe: Float64Array | Float32Array, outIm: Float64Array | Float32Array): void {
    this.transformPacked(input);
    const { re, im, cosFull, sinFull } = this;
    const m = this.half;
    // Z[k] = E[k] + i O[k] where E, O are the spectra of the even and odd samples;
    // X[k] = E[k] + e^{-2 pi i k / N} O[k].
    outRe[0] = re[0]! + im[0]!;
    outIm[0] = 0;
    outRe[m] = re[0]! - im[0]!;
    outIm[m] = 0;
    for (let k = 1; k < m; k++) {
      const ar = re[k]!;
      const ai = im[k]!;
      const br = re[m - k]!;
      const bi = -im[m - k]!;
      const er = 0.5 * (ar + br);
      const ei = 0.5 * (ai + bi);
      // O = (A - conj(B)) / (2i)
      const or = 0.5 * (ai - bi);
      const oi = -0.5 * (ar - br);
      const c = cosFull[k]!;
      const s = sinFull[k]!;
      outRe[k] = er + c * or + s * oi;
      outIm[k] = ei + c * oi - s * or;
    }
  }

  /**
   * Power spectrum |X[k]|^2 for k = 0..N/2, without allocating.
   * @param input - N real samples.
   * @param out - Length >= N/2 + 1.
   */
  powerSpectrum(input: ArrayLike<number>, out: Float64Array | Float32Array): void {
    this.transformPacked(input);
    const { re, im, cosFull, sinFull } = this;
    const m = this.half;
    const dc = re[0]! + im[0]!;
    const nyquist = re[0]! - im[0]!;
    out[0] = dc * dc;
    out[m] = nyquist * nyquist;
    for (let k = 1; k < m; k++) {
      const ar = re[k]!;
      const ai = im[k]!;
      const br = re[m - k]!;
      const bi = -im[m - k]!;
      const er = 0.5 * (ar + br);
      const ei = 0.5 * (ai + bi);
      const or = 0.5 * (ai - bi);
      const oi = -0.5 * (ar - br);
      const c = cosFull[k]!;
      const s = sinFull[k]!;
      const xr = er + c * or + s * oi;
      const xi = ei + c * oi - s * or;
      out[k] = xr * xr + xi * xi;
    }
  }

  /** Packs x into z[j] = x[2j] + i x[2j+1] in bit-reversed order, then runs the complex FFT in place. */
  private transformPacked(input: ArrayLike<number>): void {
    const { re, im, bitReverse, cosHalf, sinHalf } = this;
    const m = this.half;
    for (let j = 0; j < m; j++) {
      const r = bitReverse[j]!;
      re[r] = input[2 * j]!;
      im[r] = input[2 * j + 1]!;
    }
    // First stage: twiddle 1, no multiplications.
    for (let a = 0; a + 1 < m; a += 2) {
      const r0 = re[a]!;
      const i0 = im[a]!;
      const r1 = re[a + 1]!;
      const i1 = im[a + 1]!;
      re[a] = r0 + r1;
      im[a] = i0 + i1;
      re[a + 1] = r0 - r1;
      im[a + 1] = i0 - i1;
    }
    for (let len = 4; len <= m; len <<= 1) {
      const halfLen = len >> 1;
      const step = m / len;
      // Twiddle outside, blocks inside: each twiddle is loaded once per stage.
      for (let j = 0; j < halfLen; j++) {
        const c = cosHalf[j * step]!;
        const s = sinHalf[j * step]!;
        for (let a = j; a < m; a += len) {
          const b = a + halfLen;
          const br = re[b]!;
          const bi = im[b]!;
          // b * e^{-2 pi i j / len}
          const tr = br * c + bi * s;
          const ti = bi * c - br * s;
          const ar = re[a]!;
          const ai = im[a]!;
          re[b] = ar - tr;
          im[b] = ai - ti;
          re[a] = ar + tr;
          im[a] = ai + ti;
        }
      }
    }
  }
}
