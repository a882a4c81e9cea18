/**
 * The plan's types, in a file of their own that imports nothing but the calibrator names, so the
 * op quantizers and emitters can name them without importing plan validation.
 */
import type { CalibratorKind } from './calibrators/registry.js';

/** Activation range estimator of static quantization (the names in `src/calibrators/registry.ts`). */
export type { CalibratorKind };

/** How a rule quantizes the nodes it selects. */
export type QuantMode = 'dynamic' | 'static' | 'float';
/** Operator pattern of dynamic MatMul/Gemm quantization. */
export type DynamicFormat = 'DynamicQuantizeMatMul' | 'MatMulInteger';

/** One rule: which nodes (by module path prefix or glob) get which treatment. */
export interface QuantRule {
  /** Module path prefix (`encoder.enc`) or glob (`encoder.**.attention`); "" or `**` selects all. */
  select: string;
  mode: QuantMode;
  /** Per-output-channel weight scales (default true). */
  perChannel?: boolean;
  /** Static mode range estimator (default plan.calibration.calibrator, else `minmax`). */
  calibrator?: CalibratorKind;
  /** Op types this rule applies to. Defaults: dynamic MatMul+Gemm, static Conv+MatMul+Gemm, float all. */
  ops?: string[];
  /**
   * Dynamic mode operator pattern (default plan.dynamicFormat, else MatMulInteger: measured slightly
   * faster in onnxruntime-node 1.30 because MatMuls sharing an input share one DynamicQuantizeLinear).
   */
  format?: DynamicFormat;
  /**
   * Dynamic mode: also select Conv and rewrite each 1-D, ungrouped, multi-channel Conv as im2col +
   * MatMulInteger (per-utterance activation range, the fast int8 GEMM) instead of leaving it float.
   */
  convAsMatMul?: boolean;
  /**
   * With convAsMatMul: one activation range per utterance (`tensor`, default) or one per output
   * frame (`row`: symmetric int8 per row of the im2col columns, for activations whose scale varies
   * over time; the product is then not fused by onnxruntime).
   */
  activationScale?: 'tensor' | 'row';
  /**
   * Dynamic mode: weight precision of MatMul/Gemm. `int8` (default) runs the int8 GEMM; `int4`
   * stores 4-bit blocks along K and runs onnxruntime's `com.microsoft.MatMulNBits` (a quarter of the
   * float size, half of int8's), computing with int8 activations.
   */
  weights?: 'int8' | 'int4';
  /** With `weights: "int4"`: values per scale along K (a power of two from 16 to 256). */
  blockSize?: number;
}

/**
 * A quantization plan: rules applied to every node, the last matching rule wins (so put broad
 * rules first and exceptions such as `float` for `encoder.ctc_lin` after them).
 */
export interface QuantPlan {
  version: 1;
  rules: QuantRule[];
  /** The model family and module names the plan was written for (free text, shown when a rule matches nothing). */
  family?: string;
  /** A rule whose selector matches no node: `error` (default) or `warn` (shared plans with optional modules). */
  onNoMatch?: 'error' | 'warn';
  calibration?: {
    /** Calibration samples to use (the first n the iterable yields; default 10 like the seed). */
    n?: number;
    /** Seed the caller uses to pick the samples (recorded for reproducibility; default 0). */
    seed?: number;
    /** Percentile for the percentile calibrator (default 99.999). */
    percentile?: number;
    /** Default calibrator of static rules. */
    calibrator?: CalibratorKind;
  };
  /** Default dynamic operator pattern. */
  dynamicFormat?: DynamicFormat;
  /** Graph rewrites applied after quantization (each keeps the float result; see their tests). */
  rewrites?: PlanRewrites;
}

/** Optional graph rewrites of a plan. */
export interface PlanRewrites {
  /** Fuse Add + LayerNormalization into com.microsoft.SkipLayerNormalization (see skip-layer-norm.ts). */
  skipLayerNorm?: boolean;
}
