import type { AsrqError } from '@asrq/core';
import { AsrqRuntimeError } from './errors.js';

// ModelProto top-level field numbers (onnx.proto): graph = 7, metadata_props = 14.
const METADATA_PROPS = 14;

/**
 * Reads up to `length` bytes of a model at `position` (fewer at the end of the file).
 * @returns The bytes read.
 */
export type ModelByteReader = (position: number, length: number) => Promise<Uint8Array>;

/**
 * Reads a model's `metadata_props` (key/value strings) by walking only the top-level protobuf
 * fields and skipping the rest (the graph, the bulk of the file) by its length prefix.
 * Runtime-neutral: {@link readOnnxMetadata} reads a file through it, the web entry a fetched buffer.
 *
 * @param size - Bytes in the model.
 * @param read - Reads a byte range.
 * @param path - Model path or name, for error messages.
 * @returns The metadata as a plain record (empty when the model has none).
 * @throws AsrqError `RUNTIME_BAD_MODEL` when the bytes are not a protobuf ModelProto.
 */
export async function walkOnnxMetadata(
  size: number,
  read: ModelByteReader,
  path: string,
): Promise<Record<string, string>> {
  const metadata: Record<string, string> = {};
  let pos = 0;
  const readVarint = async (): Promise<number> => {
    const header = await read(pos, 10);
    let result = 0;
    let shift = 1;
    for (let i = 0; i < header.length; i++) {
      const byte = header[i]!;
      result += (byte & 0x7f) * shift;
      if ((byte & 0x80) === 0) {
        pos += i + 1;
        return result;
      }
      shift *= 128;
    }
    throw notAModel(path);
  };
  while (pos < size) {
    const key = await readVarint();
    const field = Math.floor(key / 8);
    const wire = key & 7;
    if (wire === 0) await readVarint();
    else if (wire === 1) pos += 8;
    else if (wire === 5) pos += 4;
    else if (wire === 2) {
      const length = await readVarint();
      if (pos + length > size) throw notAModel(path);
      if (field === METADATA_PROPS) {
        const [k, v] = parseStringPair(await read(pos, length));
        if (k !== undefined) metadata[k] = v ?? '';
      }
      pos += length;
    } else throw notAModel(path);
  }
  return metadata;
}

/**
 * Reads the `metadata_props` of a model held in memory (e.g. fetched in a browser).
 * @param bytes - The whole .onnx file.
 * @param name - Model name, for error messages.
 * @returns The metadata as a plain record.
 * @throws AsrqError `RUNTIME_BAD_MODEL` when the bytes are not a protobuf ModelProto.
 */
export function parseOnnxMetadata(bytes: Uint8Array, name = 'the model'): Promise<Record<string, string>> {
  return walkOnnxMetadata(bytes.length, async (position, length) => bytes.subarray(position, position + length), name);
}

function notAModel(path: string): AsrqError {
  return new AsrqRuntimeError(
    'RUNTIME_BAD_MODEL',
    `${path} is not an ONNX model (its protobuf structure is broken). Re-export it, or check that the file was fully copied.`,
  );
}

const utf8 = new TextDecoder();

/** StringStringEntryProto: key = 1, value = 2 (both length-delimited). */
function parseStringPair(bytes: Uint8Array): [string | undefined, string | undefined] {
  let pos = 0;
  let key: string | undefined;
  let value: string | undefined;
  while (pos < bytes.length) {
    const tag = bytes[pos++]!;
    let length = 0;
    let shift = 1;
    for (;;) {
      const byte = bytes[pos++]!;
      length += (byte & 0x7f) * shift;
      if ((byte & 0x80) === 0) break;
      shift *= 128;
    }
    const text = utf8.decode(bytes.subarray(pos, pos + length));
    if (tag === 0x0a) key = text;
    else if (tag === 0x12) value = text;
    pos += length;
  }
  return [key, value];
}
