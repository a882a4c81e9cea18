import { open } from 'node:fs/promises';
import { walkOnnxMetadata } from './onnx-metadata-walk.js';
import { AsrqRuntimeError } from './errors.js';

/**
 * Reads a model's `metadata_props` (key/value strings) without loading its weights: only the
 * top-level protobuf fields are walked and the graph (the bulk of the file) is skipped by
 * its length prefix, so this is cheap even for multi-gigabyte wav2vec2-large exports.
 *
 * @param path - ONNX model file.
 * @returns The metadata as a plain record (empty when the model has none).
 * @throws AsrqError `RUNTIME_BAD_MODEL` when the file is not a protobuf ModelProto.
 */
export async function readOnnxMetadata(path: string): Promise<Record<string, string>> {
  const handle = await open(path, 'r').catch((cause: unknown) => {
    throw new AsrqRuntimeError(
      'RUNTIME_MODEL_NOT_FOUND',
      `Cannot open model ${path}: ${(cause as Error).message}. Check the path.`,
      { cause },
    );
  });
  try {
    const { size } = await handle.stat();
    return await walkOnnxMetadata(
      size,
      async (position, length) => {
        const buffer = Buffer.alloc(length);
        const { bytesRead } = await handle.read(buffer, 0, length, position);
        return buffer.subarray(0, bytesRead);
      },
      path,
    );
  } finally {
    await handle.close();
  }
}
