// Powers of ten that doubles hold exactly: one multiplication or division by them is correctly
// rounded, so the result equals what Number() gives for the same text.
const EXACT_POWERS = Array.from({ length: 23 }, (_, i) => 10 ** i);
const MAX_EXACT_MANTISSA = 2 ** 53;

/**
 * Parses a decimal number (`-1.2345`, `0`, `-3.1e-05`) from ASCII bytes without making a string.
 * Succeeds only when the result is guaranteed to equal `Number(text)` (at most 15 significant
 * digits and a net power of ten within 10^±22); otherwise returns false and the caller falls
 * back to `Number()`.
 *
 * @param bytes - Buffer.
 * @param start - First byte of the number.
 * @param end - Byte after it.
 * @param out - Receives the value in out[0].
 * @returns Whether the fast path applied.
 */
export function parseDecimal(bytes: Uint8Array, start: number, end: number, out: Float64Array): boolean {
  let i = start;
  let negative = false;
  if (bytes[i] === 45 /* - */) {
    negative = true;
    i++;
  } else if (bytes[i] === 43 /* + */) i++;
  let mantissa = 0;
  let digits = 0;
  let scale = 0;
  let any = false;
  while (i < end) {
    const d = bytes[i]! - 48;
    if (d < 0 || d > 9) break;
    if (mantissa !== 0 || d !== 0) digits++;
    mantissa = mantissa * 10 + d;
    any = true;
    i++;
  }
  if (i < end && bytes[i] === 46 /* . */) {
    i++;
    while (i < end) {
      const d = bytes[i]! - 48;
      if (d < 0 || d > 9) break;
      if (mantissa !== 0 || d !== 0) digits++;
      mantissa = mantissa * 10 + d;
      scale--;
      any = true;
      i++;
    }
  }
  if (!any || digits > 15 || mantissa >= MAX_EXACT_MANTISSA) return false;
  if (i < end && (bytes[i] === 101 || bytes[i] === 69) /* e E */) {
    i++;
    let expNegative = false;
    if (bytes[i] === 45) {
      expNegative = true;
      i++;
    } else if (bytes[i] === 43) i++;
    let exponent = 0;
    let expDigits = 0;
    while (i < end) {
      const d = bytes[i]! - 48;
      if (d < 0 || d > 9) break;
      exponent = exponent * 10 + d;
      if (++expDigits > 4) return false;
      i++;
    }
    if (expDigits === 0) return false;
    scale += expNegative ? -exponent : exponent;
  }
  if (i !== end) return false;
  let value: number;
  if (scale === 0 || mantissa === 0) value = mantissa;
  else if (scale > 0 && scale <= 22) value = mantissa * EXACT_POWERS[scale]!;
  else if (scale < 0 && scale >= -22) value = mantissa / EXACT_POWERS[-scale]!;
  else return false;
  out[0] = negative ? -value : value;
  return true;
}
