/**
 * Block-wise 4-bit weight quantization in the layout of onnxruntime's `com.microsoft.MatMulNBits`:
 * each output column's K weights are cut into blocks of `blockSize`, each block gets one scale, and
 * values are stored as unsigned nibbles around an implicit zero point of 8 (two per byte, the
 * first in the low bits). Free of any ONNX or Node API.
 */

/** 4-bit weights as MatMulNBits takes them. */
export interface BlockInt4Weights {
  /** [N, kBlocks, blockSize / 2] bytes. */
  packed: Uint8Array;
  /** [N, kBlocks] scales. */
  scales: Float32Array;
  kBlocks: number;
}

const tinyScale = 1e-12;

/**
 * Quantizes a [K, N] row-major weight (x @ W) to symmetric 4-bit blocks along K. Each block's scale
 * is its largest-magnitude value divided by -8, so that value is exact (code 0) and the block uses
 * the whole range [-8, 7] (onnxruntime's own block quantizer does the same); zero-padded past K.
 *
 * @param data - Weight values, row-major [K, N].
 * @param k - Rows (input features).
 * @param n - Columns (output features).
 * @param blockSize - Values per block along K (a power of two, at least 16).
 * @returns Packed nibbles and scales.
 * @example
 * ```ts
 * const { packed, scales } = quantizeBlockInt4(w, 768, 3072, 32); // packed: 3072 x 24 x 16 bytes
 * ```
 */
export function quantizeBlockInt4(data: Float32Array, k: number, n: number, blockSize: number): BlockInt4Weights {
  const kBlocks = Math.ceil(k / blockSize);
  const blob = blockSize / 2;
  const packed = new Uint8Array(n * kBlocks * blob);
  const scales = new Float32Array(n * kBlocks);
  for (let col = 0; col < n; col++) {
    for (let b = 0; b < kBlocks; b++) {
      const start = b * blockSize;
      const end = Math.min(k, start + blockSize);
      let extreme = 0;
      for (let r = start; r < end; r++) {
        const v = data[r * n + col]!;
        if (Math.abs(v) > Math.abs(extreme)) extreme = v;
      }
      const scale = Math.abs(extreme) < tinyScale ? tinyScale : extreme / -8;
      scales[col * kBlocks + b] = scale;
      const base = (col * kBlocks + b) * blob;
      for (let i = 0; i < blockSize; i++) {
        const r = start + i;
        const q = r < end ? Math.min(15, Math.max(0, Math.round(data[r * n + col]! / scale) + 8)) : 8;
        packed[base + (i >> 1)]! |= i & 1 ? q << 4 : q;
      }
    }
  }
  return { packed, scales, kBlocks };
}

/**
 * The weight MatMulNBits computes with: the inverse of {@link quantizeBlockInt4}, for tests and SQNR.
 * @param w - Quantized weights.
 * @param k - Rows.
 * @param n - Columns.
 * @param blockSize - Block size used.
 * @returns Row-major [K, N] values.
 */
export function dequantizeBlockInt4(w: BlockInt4Weights, k: number, n: number, blockSize: number): Float32Array {
  const out = new Float32Array(k * n);
  const blob = blockSize / 2;
  for (let col = 0; col < n; col++)
    for (let r = 0; r < k; r++) {
      const b = Math.floor(r / blockSize);
      const i = r % blockSize;
      const byte = w.packed[(col * w.kBlocks + b) * blob + (i >> 1)]!;
      const q = i & 1 ? byte >> 4 : byte & 15;
      out[r * n + col] = (q - 8) * w.scales[col * w.kBlocks + b]!;
    }
  return out;
}
