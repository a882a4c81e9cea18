/**
 * ONNX model I/O (protobuf, external data), the module tree rebuilt from PyTorch node names,
 * model inspection and node selection by module path, glob and op type.
 * @packageDocumentation
 */
export { decodeModel, encodeModel } from './codec.js';
export { OnnxError, onnxErrorCodes, type OnnxErrorCode } from './errors.js';
export { formatInspection, inspectModel, type ModelInspection, type ValueSummary } from './inspect.js';
export { formatBytes, formatModuleTree, moduleTree, type ModuleNode } from './module-tree.js';
export { foldModuleTree } from './module-tree-fold.js';
export { globMatcher, isGlob, isInModule, modulePathOf } from './module-path.js';
export { modelDiskSize } from './model-size.js';
export {
  DEFAULT_EXTERNAL_DATA_THRESHOLD,
  PROTOBUF_LIMIT_BYTES,
  readModel,
  writeModel,
  type WriteModelOptions,
} from './node-io.js';
export { opsetVersion } from './opset.js';
export { OPSET_UPGRADE_RANGE, upgradeOpset, type OpsetUpgrade } from './opset-upgrade.js';
export { selectNodes, type NodeSelector, type SelectedNode } from './select.js';
export {
  DataType,
  elementSize,
  floatData,
  int64Data,
  makeTensor,
  tensorBytes,
  tensorDims,
  tensorSize,
} from './tensor.js';
export {
  toNumber,
  type AttributeProto,
  type Dimension,
  type GraphProto,
  type Int64,
  type ModelProto,
  type NodeProto,
  type OnnxModel,
  type OperatorSetId,
  type StringStringEntry,
  type TensorProto,
  type TypeProto,
  type ValueInfo,
} from './types.js';
