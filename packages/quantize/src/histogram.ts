/**
 * A fixed-size histogram over a symmetric range [-R, R] that doubles R when larger values arrive,
 * merging bin pairs: memory stays at `bins` counters no matter how many tensors stream through,
 * which is what keeps percentile and entropy calibration bounded.
 */
export class StreamingHistogram {
  readonly counts: Float64Array;
  /** Half-width of the covered range. */
  halfRange = 0;
  min = Number.POSITIVE_INFINITY;
  max = Number.NEGATIVE_INFINITY;
  total = 0;

  /** @param bins - Number of bins, a multiple of 4 (default 2048, like onnxruntime's percentile calibrator). */
  constructor(readonly bins = 2048) {
    if (bins % 4 !== 0) throw new RangeError('bins must be a multiple of 4');
    this.counts = new Float64Array(bins);
  }

  /** Adds values (NaN ignored). */
  add(values: Float32Array): void {
    let lo = Number.POSITIVE_INFINITY;
    let hi = Number.NEGATIVE_INFINITY;
    for (let i = 0; i < values.length; i++) {
      const v = values[i]!;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    if (!(lo <= hi)) return;
    this.min = Math.min(this.min, lo);
    this.max = Math.max(this.max, hi);
    const need = Math.max(Math.abs(lo), Math.abs(hi));
    if (this.halfRange === 0) this.halfRange = need > 0 ? need : 1e-8;
    while (need > this.halfRange) this.grow();
    const b = this.bins;
    const k = b / (2 * this.halfRange);
    const r = this.halfRange;
    for (let i = 0; i < values.length; i++) {
      const v = values[i]!;
      if (Number.isNaN(v)) continue;
      let idx = Math.floor((v + r) * k);
      if (idx >= b) idx = b - 1;
      else if (idx < 0) idx = 0;
      this.counts[idx]!++;
    }
    this.total += values.length;
  }

  private grow(): void {
    const b = this.bins;
    const merged = new Float64Array(b);
    // Old bin j covers the same values as new half-width bins b/2 + j, which pair up into new bin
    // b/4 + floor(j/2) once the width doubles.
    for (let j = 0; j < b; j++) merged[b / 4 + Math.floor(j / 2)]! += this.counts[j]!;
    this.counts.set(merged);
    this.halfRange *= 2;
  }

  /** Lower edge of bin `i`. */
  edge(i: number): number {
    return -this.halfRange + (i * 2 * this.halfRange) / this.bins;
  }

  /**
   * Value below which a fraction `q` of the observations lie (bin edge resolution).
   * @param q - Fraction in [0, 1].
   * @returns The quantile, clipped to the observed [min, max].
   */
  quantile(q: number): number {
    const target = q * this.total;
    let acc = 0;
    for (let i = 0; i < this.bins; i++) {
      acc += this.counts[i]!;
      if (acc >= target) return Math.min(this.max, Math.max(this.min, this.edge(i + 1)));
    }
    return this.max;
  }
}

/**
 * Range from a percentile: [quantile(1 - p), quantile(p)] of the observed values.
 * @param h - Histogram.
 * @param percentile - E.g. 99.999.
 * @returns min and max.
 */
export function percentileRange(h: StreamingHistogram, percentile: number): { min: number; max: number } {
  const p = percentile / 100;
  return { min: h.quantile(1 - p), max: h.quantile(p) };
}

/**
 * Range minimising the KL divergence between the distribution of |x| and its 128-level
 * quantization (the TensorRT entropy calibration), as a symmetric threshold clipped to the
 * observed min/max.
 *
 * @param h - Histogram.
 * @param quantizedBins - Levels the clipped distribution is squeezed into (default 128).
 * @returns min and max.
 */
export function entropyRange(h: StreamingHistogram, quantizedBins = 128): { min: number; max: number } {
  const half = h.bins / 2;
  const abs = new Float64Array(half);
  for (let j = 0; j < half; j++) abs[j] = h.counts[half + j]! + h.counts[half - 1 - j]!;
  let last = half;
  while (last > 0 && abs[last - 1] === 0) last--;
  if (last <= quantizedBins) return { min: h.min, max: h.max };
  let bestKl = Number.POSITIVE_INFINITY;
  let bestBins = last;
  const step = Math.max(1, Math.floor((last - quantizedBins) / 128));
  const p = new Float64Array(half);
  const q = new Float64Array(half);
  for (let i = quantizedBins; i <= last; i += step) {
    let outliers = 0;
    for (let j = i; j < half; j++) outliers += abs[j]!;
    for (let j = 0; j < i; j++) p[j] = abs[j]!;
    p[i - 1]! += outliers;
    // Squeeze bins [0, i) into quantizedBins groups, then spread each group's mass evenly over its non-empty bins.
    for (let g = 0; g < quantizedBins; g++) {
      const start = Math.floor((g * i) / quantizedBins);
      const end = Math.floor(((g + 1) * i) / quantizedBins);
      let sum = 0;
      let nonZero = 0;
      for (let j = start; j < end; j++) {
        sum += abs[j]!;
        if (abs[j] !== 0) nonZero++;
      }
      for (let j = start; j < end; j++) q[j] = abs[j] !== 0 ? sum / nonZero : 0;
    }
    let pSum = 0;
    let qSum = 0;
    for (let j = 0; j < i; j++) {
      pSum += p[j]!;
      qSum += q[j]!;
    }
    let kl = 0;
    for (let j = 0; j < i; j++) {
      const pj = p[j]! / pSum;
      if (pj === 0) continue;
      const qj = q[j]! / qSum;
      kl += qj === 0 ? pj * 20 : pj * Math.log(pj / qj);
    }
    if (kl < bestKl) {
      bestKl = kl;
      bestBins = i;
    }
  }
  const threshold = (bestBins * h.halfRange) / half;
  return { min: Math.max(h.min, -threshold), max: Math.min(h.max, threshold) };
}
