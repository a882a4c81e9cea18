import { DEFAULT_CALIBRATOR } from './calibrators/registry.js';

/**
 * Every default a plan leaves unsaid, in one place: node options resolve from it, calibration
 * reads it, and the plan JSON Schema's `default:` values are written from it.
 */
export const PLAN_DEFAULTS = {
  /** One weight scale per output channel. */
  perChannel: true,
  /** Dynamic MatMul/Gemm pattern: measured slightly faster in onnxruntime-node 1.30 than DynamicQuantizeMatMul because MatMuls sharing an input share one DynamicQuantizeLinear. */
  dynamicFormat: 'MatMulInteger',
  /** With convAsMatMul: one activation range per utterance. */
  activationScale: 'tensor',
  /** Static rules' range estimator. */
  calibrator: DEFAULT_CALIBRATOR,
  /** Percentile of the percentile calibrator. */
  percentile: 99.999,
  /** Calibration samples (the SpeechBrain tutorial's 10). */
  calibrationN: 10,
  /** Seed that picks the calibration samples. */
  calibrationSeed: 0,
  /** A rule that matches nothing. */
  onNoMatch: 'error',
  /** Dynamic rules' weight precision. */
  weights: 'int8',
  /** 4-bit weights: values per scale along K. */
  blockSize: 32,
} as const;
