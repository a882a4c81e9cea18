import type { BitReader } from './bit-reader.js';

/** A damaged frame; the decoder adds the file, frame index and byte offset. */
export class FrameError extends Error {}

/**
 * Throws a {@link FrameError}.
 * @param detail - What is wrong with the frame.
 */
export function fail(detail: string): never {
  throw new FrameError(detail);
}

function readResidual(r: BitReader, out: Float64Array, blockSize: number, order: number): void {
  const method = r.readBits(2);
  if (method > 1) fail(`reserved residual coding method ${method}`);
  const paramBits = method === 0 ? 4 : 5;
  const escapeCode = method === 0 ? 15 : 31;
  const partitionOrder = r.readBits(4);
  const partitions = 1 << partitionOrder;
  const perPartition = blockSize >> partitionOrder;
  if (perPartition * partitions !== blockSize || perPartition < order) {
    fail(`residual partition order ${partitionOrder} does not fit block size ${blockSize}`);
  }
  let index = order;
  for (let p = 0; p < partitions; p++) {
    const count = p === 0 ? perPartition - order : perPartition;
    const k = r.readBits(paramBits);
    if (k === escapeCode) {
      const bits = r.readBits(5);
      for (let i = 0; i < count; i++) out[index + i] = r.readSigned(bits);
    } else {
      r.readRice(out, index, count, k);
    }
    index += count;
  }
}

function restoreFixed(s: Float64Array, n: number, order: number): void {
  switch (order) {
    case 0:
      return;
    case 1:
      for (let i = 1; i < n; i++) s[i] = s[i]! + s[i - 1]!;
      return;
    case 2:
      for (let i = 2; i < n; i++) s[i] = s[i]! + 2 * s[i - 1]! - s[i - 2]!;
      return;
    case 3:
      for (let i = 3; i < n; i++) s[i] = s[i]! + 3 * (s[i - 1]! - s[i - 2]!) + s[i - 3]!;
      return;
    case 4:
      for (let i = 4; i < n; i++) s[i] = s[i]! + 4 * (s[i - 1]! + s[i - 3]!) - 6 * s[i - 2]! - s[i - 4]!;
      return;
    default:
      fail(`reserved fixed predictor order ${order}`);
  }
}

function restoreLpc(s: Float64Array, n: number, coefs: Float64Array, order: number, shift: number): void {
  // Exact in doubles: |coef| < 2^15 and |sample| <= 2^32 over at most 32 taps stays below 2^53,
  // and scaling by 2^-shift then flooring is the encoder's arithmetic shift. Being exact, the
  // sum may be taken in any order.
  const scale = 2 ** -shift;
  // Orders up to 12 run unrolled from sample 8 or 12 on (unused coefficients are zero).
  const width = order <= 8 ? 8 : order <= 12 ? 12 : n;
  let i = order;
  for (; i < width && i < n; i++) {
    let sum = 0;
    for (let j = 0; j < order; j++) sum += coefs[j]! * s[i - 1 - j]!;
    s[i] = s[i]! + Math.floor(sum * scale);
  }
  if (i >= n) return;
  if (width === 8) restoreLpc8(s, i, n, coefs, scale);
  else restoreLpc12(s, i, n, coefs, scale);
}

// The decoder's hottest loops. The history lives in locals and the newest sample is added last,
// so only one multiply-add waits for the sample just written.
function restoreLpc8(s: Float64Array, from: number, n: number, coefs: Float64Array, scale: number): void {
  const [c0, c1, c2, c3, c4, c5, c6, c7] = coefs as unknown as number[];
  let x1 = s[from - 1]!,
    x2 = s[from - 2]!,
    x3 = s[from - 3]!,
    x4 = s[from - 4]!,
    x5 = s[from - 5]!,
    x6 = s[from - 6]!,
    x7 = s[from - 7]!,
    x8 = s[from - 8]!;
  for (let i = from; i < n; i++) {
    const older = c7! * x8 + c6! * x7 + (c5! * x6 + c4! * x5) + (c3! * x4 + c2! * x3 + c1! * x2);
    const v = s[i]! + Math.floor((older + c0! * x1) * scale);
    s[i] = v;
    x8 = x7;
    x7 = x6;
    x6 = x5;
    x5 = x4;
    x4 = x3;
    x3 = x2;
    x2 = x1;
    x1 = v;
  }
}

function restoreLpc12(s: Float64Array, from: number, n: number, coefs: Float64Array, scale: number): void {
  const [c0, c1, c2, c3, c4, c5, c6, c7, c8, c9, c10, c11] = coefs as unknown as number[];
  let x1 = s[from - 1]!,
    x2 = s[from - 2]!,
    x3 = s[from - 3]!,
    x4 = s[from - 4]!,
    x5 = s[from - 5]!,
    x6 = s[from - 6]!,
    x7 = s[from - 7]!,
    x8 = s[from - 8]!,
    x9 = s[from - 9]!,
    x10 = s[from - 10]!,
    x11 = s[from - 11]!,
    x12 = s[from - 12]!;
  for (let i = from; i < n; i++) {
    const older =
      c11! * x12 +
      c10! * x11 +
      (c9! * x10 + c8! * x9) +
      (c7! * x8 + c6! * x7) +
      (c5! * x6 + c4! * x5) +
      (c3! * x4 + c2! * x3 + c1! * x2);
    const v = s[i]! + Math.floor((older + c0! * x1) * scale);
    s[i] = v;
    x12 = x11;
    x11 = x10;
    x10 = x9;
    x9 = x8;
    x8 = x7;
    x7 = x6;
    x6 = x5;
    x5 = x4;
    x4 = x3;
    x3 = x2;
    x2 = x1;
    x1 = v;
  }
}

/**
 * Reads one subframe (constant, verbatim, fixed or LPC predictor) into `out` as exact integers.
 * @param r - Positioned at the subframe.
 * @param out - Receives `blockSize` samples.
 * @param blockSize - Samples in the frame.
 * @param bps - Bits per sample of this channel (one more for a side channel).
 * @param coefs - Scratch for LPC coefficients (32 values).
 * @throws FrameError on reserved codes or orders that do not fit; EndOfDataError when the bytes end.
 */
export function readSubframe(
  r: BitReader,
  out: Float64Array,
  blockSize: number,
  bps: number,
  coefs: Float64Array,
): void {
  if (r.readBits(1) !== 0) fail('subframe padding bit is set');
  const type = r.readBits(6);
  const wasted = r.readBits(1) === 1 ? r.readUnary() + 1 : 0;
  const bits = bps - wasted;
  if (bits <= 0) fail(`${wasted} wasted bits in a ${bps}-bit subframe`);
  if (type === 0) {
    out.fill(r.readSigned(bits), 0, blockSize);
  } else if (type === 1) {
    for (let i = 0; i < blockSize; i++) out[i] = r.readSigned(bits);
  } else if (type >= 8 && type <= 12) {
    const order = type - 8;
    if (order > blockSize) fail(`predictor order ${order} exceeds block size ${blockSize}`);
    for (let i = 0; i < order; i++) out[i] = r.readSigned(bits);
    readResidual(r, out, blockSize, order);
    restoreFixed(out, blockSize, order);
  } else if (type >= 32) {
    const order = type - 31;
    if (order > blockSize) fail(`LPC order ${order} exceeds block size ${blockSize}`);
    for (let i = 0; i < order; i++) out[i] = r.readSigned(bits);
    const precision = r.readBits(4) + 1;
    if (precision === 16) fail('invalid LPC coefficient precision');
    const shift = r.readSigned(5);
    if (shift < 0) fail('negative LPC shift');
    coefs.fill(0);
    for (let j = 0; j < order; j++) coefs[j] = r.readSigned(precision);
    readResidual(r, out, blockSize, order);
    restoreLpc(out, blockSize, coefs, order, shift);
  } else {
    fail(`reserved subframe type ${type}`);
  }
  if (wasted > 0) {
    const scale = 2 ** wasted;
    for (let i = 0; i < blockSize; i++) out[i] = out[i]! * scale;
  }
}
