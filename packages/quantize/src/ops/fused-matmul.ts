import { keptFloat } from './kept-float.js';

/** onnxruntime's FusedMatMul: a MatMul with transposes and a scale folded in, in optimized graphs mostly attention scores. */
export const fusedMatMulQuantizer = keptFloat(
  'FusedMatMul',
  'com.microsoft FusedMatMul (a MatMul with transposes folded in, in optimized graphs the attention scores); asrq keeps it float',
);
