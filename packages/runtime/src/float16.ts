// float32 <-> IEEE 754 binary16 bit patterns, for models exported in fp16 (onnxruntime takes and
// returns float16 tensors as Uint16Array bits where the platform has no Float16Array).

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/**
 * The binary16 bit pattern nearest to a float32 value, ties to even, as numpy's `astype(float16)`
 * and onnxruntime's Cast do: overflow gives infinity, values below half the smallest subnormal
 * give zero (keeping the sign), NaN stays NaN (quiet, payload dropped).
 * @param value - A number (rounded to float32 first).
 * @returns The 16-bit pattern.
 * @example
 * ```ts
 * float16Bits(1); // 0x3c00
 * float16Bits(65520); // 0x7c00 (rounds to infinity)
 * ```
 */
export function float16Bits(value: number): number {
  f32[0] = value;
  const x = u32[0]!;
  const sign = (x >>> 16) & 0x8000;
  const exponent = (x >>> 23) & 0xff;
  const mantissa = x & 0x7fffff;
  if (exponent === 0xff) return sign | (mantissa ? 0x7e00 : 0x7c00);
  // Unbiased exponent e: binary16 normals cover e in [-14, 15], subnormals go down to 2^-24.
  const e = exponent - 127;
  if (e > 15) return sign | 0x7c00;
  if (e >= -14) {
    // Keep 10 of the 23 mantissa bits, rounding the 13 dropped ones to nearest, ties to even; a
    // carry out of the mantissa moves into the exponent, which is the right result (up to infinity).
    const half = ((e + 15) << 10) | (mantissa >>> 13);
    const rest = mantissa & 0x1fff;
    return sign | (half + (rest > 0x1000 || (rest === 0x1000 && half & 1) ? 1 : 0));
  }
  if (e < -25) return sign;
  // Subnormal: the full 24-bit significand shifted so that one unit is 2^-24.
  const significand = mantissa | 0x800000;
  const shift = -e - 1; // 14..24: significand * 2^(e-23) / 2^-24 = significand >> (-e - 1)
  const kept = significand >>> shift;
  const dropped = significand & ((1 << shift) - 1);
  const halfway = 1 << (shift - 1);
  return sign | (kept + (dropped > halfway || (dropped === halfway && kept & 1) ? 1 : 0));
}

/**
 * The value of a binary16 bit pattern.
 * @param bits - The 16-bit pattern.
 * @returns Its value (exact in a double).
 * @example
 * ```ts
 * float16Value(0x3c00); // 1
 * ```
 */
export function float16Value(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >>> 10) & 0x1f;
  const mantissa = bits & 0x3ff;
  if (exponent === 0) return sign * mantissa * 2 ** -24;
  if (exponent === 0x1f) return mantissa ? Number.NaN : sign * Number.POSITIVE_INFINITY;
  return sign * (1 + mantissa / 1024) * 2 ** (exponent - 15);
}

/**
 * Float32 values as binary16 bit patterns (what a float16 model input takes).
 * @param values - The values.
 * @returns One pattern per value.
 */
export function toFloat16Bits(values: Float32Array): Uint16Array {
  const out = new Uint16Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = float16Bits(values[i]!);
  return out;
}

/**
 * A float16 tensor's data as float32: Uint16Array bit patterns (onnxruntime without Float16Array)
 * or a Float16Array (browsers that have one) alike.
 * @param data - The tensor's data.
 * @returns The values.
 */
export function float16ToFloat32(data: ArrayLike<number>): Float32Array {
  if (!(data instanceof Uint16Array)) return Float32Array.from(data);
  const out = new Float32Array(data.length);
  for (let i = 0; i < data.length; i++) out[i] = float16Value(data[i]!);
  return out;
}
