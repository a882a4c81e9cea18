import type { OpQuantizer } from './op-quantizer.js';

/**
 * A fused onnxruntime op asrq selects (so the report says why it stays float) but never rewrites.
 * @param opType - The op type.
 * @param reason - Why it stays float.
 * @returns The registry entry.
 */
export function keptFloat(opType: string, reason: string): OpQuantizer {
  return {
    opType,
    domain: 'com.microsoft',
    modes: {},
    floatReason: reason,
    family: () => undefined,
    calibrationTargets: () => [],
    rewrite: () => ({ status: 'skipped', reason }),
  };
}
