import type { OpQuantizer } from './op-quantizer.js';

/**
 * A fused onnxruntime op asrq selects (so the report says why it stays float) but never rewrites.
 * @param opType - The op type.
 * @param reason - Why it stays float.
 * @returns The registry entry.
 */
function keptFloat(opType: string, reason: string): OpQuantizer {
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

/** onnxruntime's MultiHeadAttention: Q, K and V arrive already projected (those MatMuls are quantized on their own). */
export const multiHeadAttentionQuantizer = keptFloat(
  'MultiHeadAttention',
  'fused attention over activations only (its Q/K/V projections are separate MatMuls, quantized by the same rule); kept float',
);

/** onnxruntime's FusedMatMul: a MatMul with transposes and a scale folded in, in optimized graphs mostly attention scores. */
export const fusedMatMulQuantizer = keptFloat(
  'FusedMatMul',
  'com.microsoft FusedMatMul (a MatMul with transposes folded in, in optimized graphs the attention scores); asrq keeps it float',
);
