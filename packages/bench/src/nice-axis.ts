/** Round numbers an axis may end at, per power of ten. */
const STEPS = [1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10];

/**
 * The end of a plot axis from zero that holds `value` with a little room: the smallest round
 * number (1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8 times a power of ten) at least 5 % above it, so the
 * data fills most of the axis (at most about 1.4 times the largest value).
 * @param value - Largest value to show.
 * @returns The axis maximum (1 when `value` is not positive).
 * @example niceAxisMax(0.0121) // 0.015
 */
export function niceAxisMax(value: number): number {
  if (!(value > 0) || !Number.isFinite(value)) return 1;
  const target = value * 1.05;
  const magnitude = 10 ** Math.floor(Math.log10(target));
  const step = STEPS.find((s) => s * magnitude >= target * (1 - 1e-12)) ?? 10;
  return Number((step * magnitude).toPrecision(12));
}
