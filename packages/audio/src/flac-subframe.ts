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
  // and scaling by 2^-shift then flooring is the encoder's arithmetic shift.
  const scale = 2 ** -shift;
  let i = order;
  if (order <= 12) {
    // Unrolled with the coefficients in locals (unused ones are zero): the decoder's hottest loop.
    const width = order <= 8 ? 8 : 12;
    for (; i < width && i < n; i++) {
      let sum = 0;
      for (let j = 0; j < order; j++) sum += coefs[j]! * s[i - 1 - j]!;
      s[i] = s[i]! + Math.floor(sum * scale);
    }
    const c0 = coefs[0]!,
      c1 = coefs[1]!,
      c2 = coefs[2]!,
      c3 = coefs[3]!,
      c4 = coefs[4]!,
      c5 = coefs[5]!;
    const c6 = coefs[6]!,
      c7 = coefs[7]!,
      c8 = coefs[8]!,
      c9 = coefs[9]!,
      c10 = coefs[10]!,
      c11 = coefs[11]!;
    if (width === 8) {
      for (; i < n; i++) {
        const sum =
          c0 * s[i - 1]! +
          c1 * s[i - 2]! +
          c2 * s[i - 3]! +
          c3 * s[i - 4]! +
          (c4 * s[i - 5]! + c5 * s[i - 6]! + c6 * s[i - 7]! + c7 * s[i - 8]!);
        s[i] = s[i]! + Math.floor(sum * scale);
      }
    } else {
      for (; i < n; i++) {
        const sum =
          c0 * s[i - 1]! +
          c1 * s[i - 2]! +
          c2 * s[i - 3]! +
          c3 * s[i - 4]! +
          (c4 * s[i - 5]! + c5 * s[i - 6]! + c6 * s[i - 7]! + c7 * s[i - 8]!) +
          (c8 * s[i - 9]! + c9 * s[i - 10]! + c10 * s[i - 11]! + c11 * s[i - 12]!);
        s[i] = s[i]! + Math.floor(sum * scale);
      }
    }
    return;
  }
  for (; i < n; i++) {
    let sum = 0;
    for (let j = 0; j < order; j++) sum += coefs[j]! * s[i - 1 - j]!;
    s[i] = s[i]! + Math.floor(sum * scale);
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
