import { OnnxError } from './errors.js';
import { modelProtoType } from './schema.js';
import { toNumber, type ModelProto, type OnnxModel } from './types.js';

/**
 * Decodes ONNX model bytes. Tensor data stays as views into `bytes` (big weights are not copied),
 * so keep `bytes` unmodified while the model is in use. External-data tensors are left pointing at
 * their files; `readModel` resolves them.
 *
 * @param bytes - Serialised onnx.ModelProto.
 * @param options - `name` for error messages (e.g. the file path).
 * @returns The decoded model.
 * @throws OnnxError `ONNX_NOT_A_MODEL` when the bytes are not a protobuf ModelProto with a graph.
 * @example
 * ```ts
 * const model = decodeModel(await readFile('model.onnx'), { name: 'model.onnx' });
 * ```
 */
export function decodeModel(bytes: Uint8Array, options: { name?: string } = {}): OnnxModel {
  const name = options.name ?? '<bytes>';
  let proto: ModelProto;
  try {
    proto = modelProtoType().decode(bytes) as unknown as ModelProto;
  } catch (cause) {
    throw new OnnxError(
      'ONNX_NOT_A_MODEL',
      `${name}: not an ONNX model (protobuf decoding failed: ${(cause as Error).message}). Check that the file is a complete .onnx export.`,
      { cause, location: name },
    );
  }
  // Absent int64 fields decode to a Long zero (truthy), so compare the value.
  if (!proto.graph || toNumber(proto.ir_version) <= 0) {
    throw new OnnxError(
      'ONNX_NOT_A_MODEL',
      `${name}: not an ONNX model (no graph or IR version). Check that the file is a complete .onnx export.`,
      { location: name },
    );
  }
  return { proto, name };
}

/**
 * Serialises a model to ONNX bytes. Every field that was decoded is written back, including
 * fields asrq does not interpret (functions, training info, value_info, doc strings).
 *
 * @param model - The model to encode.
 * @returns The protobuf bytes.
 * @example
 * ```ts
 * const bytes = encodeModel(model);
 * ```
 */
export function encodeModel(model: OnnxModel): Uint8Array {
  return modelProtoType()
    .encode(model.proto as never)
    .finish();
}
