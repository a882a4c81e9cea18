import { OnnxError } from './errors.js';
import { toNumber, type TensorProto } from './types.js';

/** onnx.TensorProto.DataType values used by asrq (the full enum has more). */
export const DataType = {
  FLOAT: 1,
  UINT8: 2,
  INT8: 3,
  UINT16: 4,
  INT16: 5,
  INT32: 6,
  INT64: 7,
  STRING: 8,
  BOOL: 9,
  FLOAT16: 10,
  DOUBLE: 11,
  UINT32: 12,
  UINT64: 13,
} as const;

const elementBytes: Record<number, number> = {
  1: 4,
  2: 1,
  3: 1,
  4: 2,
  5: 2,
  6: 4,
  7: 8,
  9: 1,
  10: 2,
  11: 8,
  12: 4,
  13: 8,
};

/**
 * Size in bytes of one element of an ONNX data type.
 * @param dataType - onnx.TensorProto.DataType value.
 * @returns Bytes per element, or 0 for variable-size types (strings) and unknown types.
 */
export function elementSize(dataType: number): number {
  return elementBytes[dataType] ?? 0;
}

/**
 * The shape of a tensor as numbers.
 * @param tensor - A TensorProto.
 * @returns Its dims.
 */
export function tensorDims(tensor: TensorProto): number[] {
  return (tensor.dims ?? []).map(toNumber);
}

/**
 * Number of elements of a tensor (product of its dims; 1 for a scalar).
 * @param tensor - A TensorProto.
 * @returns Element count.
 */
export function tensorSize(tensor: TensorProto): number {
  return tensorDims(tensor).reduce((a, b) => a * b, 1);
}

/**
 * Bytes a tensor's data occupies (raw or typed fields), used for parameter byte counts.
 * @param tensor - A TensorProto.
 * @returns Data bytes.
 */
export function tensorBytes(tensor: TensorProto): number {
  if (tensor.raw_data && tensor.raw_data.byteLength > 0) return tensor.raw_data.byteLength;
  return tensorSize(tensor) * elementSize(tensor.data_type ?? 0);
}

function alignedView(raw: Uint8Array, bytesPerElement: number): ArrayBuffer | SharedArrayBuffer | Uint8Array {
  if (raw.byteOffset % bytesPerElement === 0) return raw;
  // Buffer#slice is a view, so copy through the Uint8Array constructor to get an aligned copy.
  return new Uint8Array(raw);
}

/**
 * Reads a float tensor's values. Aligned raw data is viewed, not copied.
 * @param tensor - A FLOAT TensorProto (raw_data or float_data).
 * @returns Its values in row-major order.
 * @throws OnnxError `ONNX_UNSUPPORTED` when the tensor is not FLOAT or still points to external data.
 * @example
 * ```ts
 * const w = floatData(initializer); // Float32Array of dims product length
 * ```
 */
export function floatData(tensor: TensorProto): Float32Array {
  if (tensor.data_type !== DataType.FLOAT) {
    throw new OnnxError(
      'ONNX_UNSUPPORTED',
      `Tensor "${tensor.name ?? ''}" has data type ${tensor.data_type}, expected FLOAT (1).`,
    );
  }
  if (tensor.data_location === 1) {
    throw new OnnxError(
      'ONNX_UNSUPPORTED',
      `Tensor "${tensor.name ?? ''}" still refers to external data; load the model with readModel() so the data is resolved.`,
    );
  }
  const n = tensorSize(tensor);
  const raw = tensor.raw_data;
  if (raw && raw.byteLength > 0) {
    const view = alignedView(raw, 4) as Uint8Array;
    return new Float32Array(view.buffer, view.byteOffset, n);
  }
  return Float32Array.from(tensor.float_data ?? []);
}

/**
 * Reads an int64 tensor's values (shapes, axes).
 * @param tensor - An INT64 TensorProto.
 * @returns Its values as a BigInt64Array.
 * @throws OnnxError `ONNX_UNSUPPORTED` when the tensor is not INT64.
 */
export function int64Data(tensor: TensorProto): BigInt64Array {
  if (tensor.data_type !== DataType.INT64) {
    throw new OnnxError(
      'ONNX_UNSUPPORTED',
      `Tensor "${tensor.name ?? ''}" has data type ${tensor.data_type}, expected INT64 (7).`,
    );
  }
  const n = tensorSize(tensor);
  const raw = tensor.raw_data;
  if (raw && raw.byteLength > 0) {
    const view = alignedView(raw, 8) as Uint8Array;
    return new BigInt64Array(view.buffer, view.byteOffset, n);
  }
  return BigInt64Array.from((tensor.int64_data ?? []).map((v) => BigInt(toNumber(v))));
}

type TypedData = Float32Array | Int8Array | Uint8Array | Int32Array | BigInt64Array;

const typeOfArray = (data: TypedData): number => {
  if (data instanceof Float32Array) return DataType.FLOAT;
  if (data instanceof Int8Array) return DataType.INT8;
  if (data instanceof Uint8Array) return DataType.UINT8;
  if (data instanceof Int32Array) return DataType.INT32;
  return DataType.INT64;
};

/**
 * Builds a TensorProto holding `data` as raw little-endian bytes (a view, no copy).
 * @param name - Tensor name.
 * @param data - Values; the typed array's class fixes the ONNX data type.
 * @param dims - Shape; defaults to 1-D of data.length. Use [] for a scalar.
 * @returns The new TensorProto.
 * @example
 * ```ts
 * const scale = makeTensor('w_scale', Float32Array.of(0.02), []);
 * ```
 */
export function makeTensor(name: string, data: TypedData, dims: number[] = [data.length]): TensorProto {
  return {
    name,
    data_type: typeOfArray(data),
    dims,
    raw_data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
  };
}
