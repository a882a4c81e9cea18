/**
 * Post-training int8 quantization of ONNX models: dynamic and static (calibrated QDQ) by module
 * path, mixed plans, validation against the float model and per-module sensitivity.
 * @packageDocumentation
 */
export { calibrate, type CalibrateOptions, type CalibrationData, type Feeds } from './calibrate.js';
export type { Calibrator, CalibratorSettings, RangeCollector } from './calibrators/calibrator.js';
export { entropyCalibrator } from './calibrators/entropy.js';
export { minmaxCalibrator } from './calibrators/minmax.js';
export { percentileCalibrator } from './calibrators/percentile.js';
export { CALIBRATOR_NAMES, CALIBRATORS, calibratorFor, DEFAULT_CALIBRATOR } from './calibrators/registry.js';
export { QuantizeError, quantizeErrorCodes, type QuantizeErrorCode } from './errors.js';
export { entropyRange, percentileRange, StreamingHistogram } from './histogram.js';
export type { NodeOutcome } from './outcome.js';
export { closestOpType, KNOWN_OP_TYPES } from './op-names.js';
export {
  checkSchema,
  PLAN_CALIBRATORS,
  PLAN_DYNAMIC_FORMATS,
  PLAN_MODES,
  planSchema,
  type PlanSchemaNode,
  type SchemaProblem,
} from './plan-schema.js';
export { planSchemaJson } from './plan-schema-file.js';
export {
  parsePlan,
  planFromFlags,
  validatePlan,
  nodeOptionsOf,
  ruleOps,
  withPlanOverrides,
  type CalibratorKind,
  type DynamicFormat,
  type PlanFlags,
  type PlanOverrides,
  type QuantMode,
  type PlanRewrites,
  type QuantPlan,
  type QuantRule,
} from './plan.js';
export {
  dequantizeUint8,
  quantizeSymmetricInt8,
  quantizeUint8,
  roundHalfEven,
  sqnr,
  uint8Params,
  type SymmetricWeights,
  type Uint8Params,
} from './quant-math.js';
export {
  calibrationTargets,
  quantizeModel,
  type QuantizeModelOptions,
  type QuantizeModelResult,
  type QuantizeProgress,
} from './quantize-model.js';
export type { Range } from './range.js';
export { quantizeModelFile, type QuantizeFileOptions, type QuantizeReport } from './quantize-file.js';
export { formatQuantizeReport, formatSensitivityReport } from './report.js';
export {
  sensitivityReport,
  type SensitivityEntry,
  type SensitivityOptions,
  type SensitivityProgress,
  type SensitivityReport,
} from './sensitivity.js';
export {
  assertLoads,
  compareOutputs,
  firstNonFinite,
  floatValues,
  opHistogram,
  outputSqnr,
  type NonFinite,
} from './validate.js';
export { fuseSkipLayerNorm } from './skip-layer-norm.js';
export {
  describeQuantized,
  QUANTIZATION_METADATA_KEY,
  quantizedState,
  type QuantizedState,
} from './ops/already-quantized.js';
export { ModelOps, type QuantizableNode } from './ops/model-ops.js';
export type {
  ModeSupport,
  NodeOptions,
  OpFamily,
  OpQuantizer,
  QuantizingMode,
  RewriteEnv,
  RewriteResult,
} from './ops/op-quantizer.js';
export {
  defaultOpsOf,
  describeDefaultOps,
  OP_QUANTIZERS,
  opQuantizerFor,
  QUANTIZABLE_OP_TYPES,
} from './ops/registry.js';
export { hasFloat16, upcastFloat16, type Float16Upcast } from './float16-upcast.js';
export { quantizationRecord, QUANTIZE_VERSION, type QuantizationRecord } from './metadata.js';
export { cloneModel } from './model-source.js';
export { OPSET } from './emit/opset-forms.js';
// The classes an op quantizer works with (types only: the registry is built in).
export type { DynamicChain, IntegerWeight } from './emit/dynamic-chain.js';
export type { QdqEmitter, QdqTensor } from './emit/qdq.js';
export type { GraphContext } from './graph-context.js';
export type { ConstWeight, QuantizedWeightNames, WeightCache } from './weights.js';
export { dequantizeBlockInt4, quantizeBlockInt4, type BlockInt4Weights } from './block-int4.js';
export { PLAN_DEFAULTS } from './defaults.js';
