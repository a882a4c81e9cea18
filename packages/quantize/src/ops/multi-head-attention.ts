import { keptFloat } from './kept-float.js';

/** onnxruntime's MultiHeadAttention: Q, K and V arrive already projected (those MatMuls are quantized on their own). */
export const multiHeadAttentionQuantizer = keptFloat(
  'MultiHeadAttention',
  'fused attention over activations only (its Q/K/V projections are separate MatMuls, quantized by the same rule); kept float',
);
