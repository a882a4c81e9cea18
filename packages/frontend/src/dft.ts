/**
 * Power spectrum of real input for any size, by a direct DFT with precomputed cos/sin tables:
 * O(N^2), used only for FFT sizes that are not powers of two (kaldi-fbank with
 * `roundToPowerOfTwo: false`, as sherpa-onnx sets for GigaAM). Power-of-two sizes use RealFft.
 */
export class DirectDft {
  /** Transform size N. */
  readonly size: number;
  /** Bins out: floor(N/2) + 1. */
  readonly bins: number;
  private readonly cos: Float64Array;
  private readonly sin: Float64Array;

  /** @param size - Number of real input samples (>= 1). */
  constructor(size: number) {
    this.size = size;
    this.bins = Math.floor(size / 2) + 1;
    this.cos = new Float64Array(size);
    this.sin = new Float64Array(size);
    for (let i = 0; i < size; i++) {
      this.cos[i] = Math.cos((2 * Math.PI * i) / size);
      this.sin[i] = Math.sin((2 * Math.PI * i) / size);
    }
  }

  /**
   * |X[k]|^2 for k = 0..floor(N/2).
   * @param input - N real samples.
   * @param out - Length >= floor(N/2) + 1.
   */
  powerSpectrum(input: ArrayLike<number>, out: Float64Array | Float32Array): void {
    const n = this.size;
    for (let k = 0; k < this.bins; k++) {
      let re = 0;
      let im = 0;
      let idx = 0;
      for (let t = 0; t < n; t++) {
        const x = input[t]!;
        re += x * this.cos[idx]!;
        im -= x * this.sin[idx]!;
        idx += k;
        if (idx >= n) idx -= n;
      }
      out[k] = re * re + im * im;
    }
  }
}
