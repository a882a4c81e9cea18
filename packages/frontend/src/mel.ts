/**
 * Triangular mel filterbanks stored sparsely: filter `m` covers FFT bins
 * `first[m] .. first[m] + count[m] - 1` with weights `weights[start[m] ..]`.
 */
export interface MelBanks {
  /** Number of filters. */
  readonly size: number;
  /** First FFT bin of each filter. */
  readonly first: Int32Array;
  /** Number of FFT bins each filter covers. */
  readonly count: Int32Array;
  /** Offset of each filter's weights in `weights`. */
  readonly start: Int32Array;
  /** All weights, filter after filter. */
  readonly weights: Float64Array;
}

function pack(dense: Float64Array[]): MelBanks {
  const size = dense.length;
  const first = new Int32Array(size);
  const count = new Int32Array(size);
  const start = new Int32Array(size);
  const all: number[] = [];
  dense.forEach((row, m) => {
    let lo = row.findIndex((w) => w !== 0);
    let hi = lo;
    if (lo < 0) lo = hi = 0;
    else for (let k = lo; k < row.length; k++) if (row[k] !== 0) hi = k;
    first[m] = lo;
    start[m] = all.length;
    const n = row[lo] === 0 && hi === lo ? 0 : hi - lo + 1;
    count[m] = n;
    for (let k = 0; k < n; k++) all.push(row[lo + k]!);
  });
  return { size, first, count, start, weights: Float64Array.from(all) };
}

/**
 * Applies filterbanks to a spectrum.
 * @param banks - The filters.
 * @param spectrum - Power (or magnitude) spectrum, FFT bins 0..N/2.
 * @param out - Receives one energy per filter.
 * @param outOffset - Where in `out` to write the first filter's energy.
 */
export function applyMelBanks(
  banks: MelBanks,
  spectrum: Float64Array,
  out: Float64Array | Float32Array,
  outOffset = 0,
): void {
  const { first, count, start, weights } = banks;
  for (let m = 0; m < banks.size; m++) {
    const f = first[m]!;
    const s = start[m]!;
    const n = count[m]!;
    let sum = 0;
    for (let k = 0; k < n; k++) sum += weights[s + k]! * spectrum[f + k]!;
    out[outOffset + m] = sum;
  }
}

/** Kaldi's mel scale: 1127 ln(1 + f / 700). */
export function kaldiMel(hz: number): number {
  return 1127 * Math.log(1 + hz / 700);
}

/**
 * Kaldi's mel filterbank (kaldi-native-fbank `InitKaldiMelBanks`, torchaudio `get_mel_banks`,
 * without VTLN): filters equally spaced on Kaldi's mel scale, triangles computed in mel, no
 * normalisation, Nyquist bin unused.
 * @param numBins - Number of filters.
 * @param paddedWindow - FFT size.
 * @param sampleRate - In Hz.
 * @param lowFreq - Lowest frequency in Hz.
 * @param highFreq - Highest frequency in Hz; <= 0 means that much below Nyquist.
 * @returns The filters over FFT bins 0..paddedWindow/2.
 */
export function kaldiMelBanks(
  numBins: number,
  paddedWindow: number,
  sampleRate: number,
  lowFreq: number,
  highFreq: number,
): MelBanks {
  const nyquist = sampleRate / 2;
  const high = highFreq > 0 ? highFreq : nyquist + highFreq;
  const fftBins = paddedWindow / 2;
  const binWidth = sampleRate / paddedWindow;
  const melLow = kaldiMel(lowFreq);
  const melHigh = kaldiMel(high);
  const delta = (melHigh - melLow) / (numBins + 1);
  const dense: Float64Array[] = [];
  for (let bin = 0; bin < numBins; bin++) {
    const left = melLow + bin * delta;
    const center = melLow + (bin + 1) * delta;
    const right = melLow + (bin + 2) * delta;
    const row = new Float64Array(fftBins + 1);
    for (let i = 0; i < fftBins; i++) {
      const mel = kaldiMel(binWidth * i);
      if (mel > left && mel < right)
        row[i] = mel <= center ? (mel - left) / (center - left) : (right - mel) / (right - center);
    }
    dense.push(row);
  }
  return pack(dense);
}

/** Slaney's mel scale (librosa `hz_to_mel`, htk=False): linear below 1 kHz, logarithmic above. */
export function slaneyMel(hz: number): number {
  return hz >= 1000 ? 15 + Math.log(hz / 1000) / (Math.log(6.4) / 27) : hz / (200 / 3);
}

/** Inverse of {@link slaneyMel} (librosa `mel_to_hz`, htk=False). */
export function slaneyMelToHz(mel: number): number {
  return mel >= 15 ? 1000 * Math.exp((Math.log(6.4) / 27) * (mel - 15)) : (200 / 3) * mel;
}

/**
 * librosa's `filters.mel(sr, n_fft, n_mels, fmin, fmax, htk=False, norm='slaney')` (which NeMo
 * uses, and torchaudio's `melscale_fbanks(norm='slaney', mel_scale='slaney')` equals): triangles
 * in Hz between Slaney-mel-spaced edges, each scaled by 2 / (right - left), Nyquist bin included.
 * @param numBins - Number of filters.
 * @param nFft - FFT size.
 * @param sampleRate - In Hz.
 * @param lowFreq - fmin in Hz.
 * @param highFreq - fmax in Hz.
 * @param slaneyNorm - Scale each filter by 2 / (right - left) (norm='slaney'); false for norm=None.
 * @returns The filters over FFT bins 0..nFft/2.
 */
export function slaneyMelBanks(
  numBins: number,
  nFft: number,
  sampleRate: number,
  lowFreq: number,
  highFreq: number,
  slaneyNorm = true,
): MelBanks {
  const fftBins = nFft / 2 + 1;
  const melLow = slaneyMel(lowFreq);
  const melHigh = slaneyMel(highFreq);
  const edges = new Float64Array(numBins + 2);
  for (let i = 0; i < numBins + 2; i++) edges[i] = slaneyMelToHz(melLow + ((melHigh - melLow) * i) / (numBins + 1));
  const dense: Float64Array[] = [];
  for (let m = 0; m < numBins; m++) {
    const left = edges[m]!;
    const center = edges[m + 1]!;
    const right = edges[m + 2]!;
    const norm = slaneyNorm ? 2 / (right - left) : 1;
    const row = new Float64Array(fftBins);
    for (let k = 0; k < fftBins; k++) {
      const hz = (k * sampleRate) / nFft;
      const w = Math.max(0, Math.min((hz - left) / (center - left), (right - hz) / (right - center)));
      row[k] = w * norm;
    }
    dense.push(row);
  }
  return pack(dense);
}
