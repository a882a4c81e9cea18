import type { RewriteEnv } from './op-quantizer.js';

/**
 * Why static quantization cannot go ahead for want of ranges: no tensor to calibrate, or one that
 * calibration never saw.
 * @param env - The rewrite environment.
 * @param targets - The node's calibration targets.
 * @returns The reason, or undefined when every range is there.
 */
export function missingRange(env: RewriteEnv, targets: string[]): string | undefined {
  if (targets.length === 0) return 'nothing to calibrate: its weight is not a constant float tensor';
  const missing = targets.find((t) => !env.qdq.range(t));
  return missing ? `no calibrated range for tensor "${missing}" (it was not observed during calibration)` : undefined;
}
