/**
 * Plain TypeScript views of the ONNX protobuf messages (field names as in onnx.proto).
 * Decoded 64-bit integers arrive as `Long` objects (exact) or numbers; read them with `toNumber`.
 * Only the fields asrq reads or writes are typed; every other field survives a round trip untouched.
 */

/** A 64-bit protobuf integer as protobufjs decodes it (exact `Long`), or a plain number when built in JS. */
export type Int64 = number | { low: number; high: number; unsigned: boolean; toNumber(): number };

/** onnx.StringStringEntryProto. */
export interface StringStringEntry {
  key?: string;
  value?: string;
}

/** onnx.OperatorSetIdProto. */
export interface OperatorSetId {
  domain?: string;
  version?: Int64;
}

/** onnx.TensorProto (a weight, a constant or an attribute value). */
export interface TensorProto {
  dims?: Int64[];
  data_type?: number;
  float_data?: number[];
  int32_data?: number[];
  int64_data?: Int64[];
  double_data?: number[];
  uint64_data?: Int64[];
  string_data?: Uint8Array[];
  name?: string;
  doc_string?: string;
  /** Little-endian element bytes; after decoding, a view into the model's bytes (no copy). */
  raw_data?: Uint8Array;
  external_data?: StringStringEntry[];
  /** 0 = DEFAULT (in the file), 1 = EXTERNAL. */
  data_location?: number;
  [field: string]: unknown;
}

/** onnx.TensorShapeProto.Dimension. */
export interface Dimension {
  dim_value?: Int64;
  dim_param?: string;
  denotation?: string;
}

/** onnx.TypeProto (only tensor types are interpreted by asrq). */
export interface TypeProto {
  tensor_type?: { elem_type?: number; shape?: { dim?: Dimension[] } };
  denotation?: string;
  [field: string]: unknown;
}

/** onnx.ValueInfoProto. */
export interface ValueInfo {
  name?: string;
  type?: TypeProto;
  doc_string?: string;
  [field: string]: unknown;
}

/** onnx.AttributeProto. */
export interface AttributeProto {
  name?: string;
  /** onnx.AttributeProto.AttributeType: 1 FLOAT, 2 INT, 3 STRING, 4 TENSOR, 5 GRAPH, 6 FLOATS, 7 INTS, 8 STRINGS. */
  type?: number;
  f?: number;
  i?: Int64;
  s?: Uint8Array;
  t?: TensorProto;
  g?: GraphProto;
  floats?: number[];
  ints?: Int64[];
  strings?: Uint8Array[];
  [field: string]: unknown;
}

/** onnx.NodeProto. */
export interface NodeProto {
  input?: string[];
  output?: string[];
  name?: string;
  op_type?: string;
  domain?: string;
  attribute?: AttributeProto[];
  doc_string?: string;
  [field: string]: unknown;
}

/** onnx.GraphProto. */
export interface GraphProto {
  // Absent and undefined are the same to the codec: code that saves a field and puts it back may restore undefined.
  node?: NodeProto[] | undefined;
  name?: string | undefined;
  initializer?: TensorProto[] | undefined;
  doc_string?: string | undefined;
  input?: ValueInfo[] | undefined;
  output?: ValueInfo[] | undefined;
  value_info?: ValueInfo[] | undefined;
  [field: string]: unknown;
}

/** onnx.ModelProto. */
export interface ModelProto {
  ir_version?: Int64;
  producer_name?: string;
  producer_version?: string;
  domain?: string;
  model_version?: Int64;
  doc_string?: string;
  graph?: GraphProto;
  opset_import?: OperatorSetId[];
  metadata_props?: StringStringEntry[];
  [field: string]: unknown;
}

/** A decoded model: the protobuf tree plus where it came from. */
export interface OnnxModel {
  /** The ModelProto tree. Edit it in place or build a new one; `encodeModel` serialises it. */
  proto: ModelProto;
  /** A name for messages (usually the file path). */
  name: string;
  /**
   * Absolute paths of the external-data files `readModel` resolved (empty or absent when every
   * tensor was inside the .onnx file). Writers use it to keep external data and never overwrite these.
   */
  externalDataFiles?: string[];
}

/**
 * Reads a protobuf 64-bit integer as a JS number.
 * @param value - A decoded int64 (Long or number); undefined reads as 0.
 * @returns The value as a number (exact below 2^53).
 * @example
 * ```ts
 * const rank = (tensor.dims ?? []).map(toNumber);
 * ```
 */
export function toNumber(value: Int64 | undefined | null): number {
  if (value === undefined || value === null) return 0;
  return typeof value === 'number' ? value : value.toNumber();
}
