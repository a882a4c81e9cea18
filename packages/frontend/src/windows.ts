/** Window shapes Kaldi, kaldi-native-fbank and torchaudio's Kaldi compliance module know. */
export const KALDI_WINDOW_TYPES = ['povey', 'hamming', 'hanning', 'hann', 'rectangular', 'blackman', 'sine'] as const;
/** One of {@link KALDI_WINDOW_TYPES}. */
export type KaldiWindowType = (typeof KALDI_WINDOW_TYPES)[number];

/**
 * A Kaldi-style analysis window of `length` samples. All are symmetric (denominator length - 1)
 * except `hann`, which kaldi-native-fbank makes periodic (denominator length, like torch's default).
 * @param type - Window shape.
 * @param length - Window length in samples.
 * @param blackmanCoeff - The Blackman window's a0 (Kaldi default 0.42).
 * @returns The window.
 */
export function kaldiWindow(type: KaldiWindowType, length: number, blackmanCoeff = 0.42): Float64Array {
  const w = new Float64Array(length);
  const a = (2 * Math.PI) / (type === 'hann' ? length : length - 1);
  for (let i = 0; i < length; i++) {
    const c = Math.cos(a * i);
    switch (type) {
      case 'hanning':
      case 'hann':
        w[i] = 0.5 - 0.5 * c;
        break;
      case 'povey':
        w[i] = (0.5 - 0.5 * c) ** 0.85;
        break;
      case 'hamming':
        w[i] = 0.54 - 0.46 * c;
        break;
      case 'rectangular':
        w[i] = 1;
        break;
      case 'blackman':
        w[i] = blackmanCoeff - 0.5 * c + (0.5 - blackmanCoeff) * Math.cos(2 * a * i);
        break;
      case 'sine':
        w[i] = Math.sin(0.5 * a * i);
        break;
    }
  }
  return w;
}

/** Window functions NeMo's FilterbankFeatures accepts ('none' is a rectangular window). */
export const NEMO_WINDOW_TYPES = ['hann', 'hamming', 'blackman', 'bartlett', 'none'] as const;
/** One of {@link NEMO_WINDOW_TYPES}. */
export type NemoWindowType = (typeof NEMO_WINDOW_TYPES)[number];

/**
 * The symmetric (`periodic=False`) torch window NeMo builds: torch.hann_window, hamming_window,
 * blackman_window, bartlett_window; `none` gives ones (torch.stft without a window).
 * @param type - Window shape.
 * @param length - win_length in samples.
 * @returns The window.
 */
export function torchSymmetricWindow(type: NemoWindowType, length: number): Float64Array {
  const w = new Float64Array(length);
  if (length === 1) return w.fill(1);
  const n = length - 1;
  for (let i = 0; i < length; i++) {
    const x = (2 * Math.PI * i) / n;
    switch (type) {
      case 'hann':
        w[i] = 0.5 - 0.5 * Math.cos(x);
        break;
      case 'hamming':
        w[i] = 0.54 - 0.46 * Math.cos(x);
        break;
      case 'blackman':
        w[i] = 0.42 - 0.5 * Math.cos(x) + 0.08 * Math.cos(2 * x);
        break;
      case 'bartlett':
        w[i] = 1 - Math.abs((2 * i) / n - 1);
        break;
      case 'none':
        w[i] = 1;
        break;
    }
  }
  return w;
}
