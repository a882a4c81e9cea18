import { open } from 'node:fs/promises';
import { AsrqError } from '@asrq/core';

// ModelProto top-level field numbers (onnx.proto): graph = 7, metadata_props = 14.
const METADATA_PROPS = 14;

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
    throw new AsrqError('RUNTIME_MODEL_NOT_FOUND', `Cannot open model ${path}: ${(cause as Error).message}. Check the --model path.`, { cause });
  });
  try {
    const { size } = await handle.stat();
    const header = Buffer.alloc(20);
    const metadata: Record<string, string> = {};
    let pos = 0;
    const readVarint = async (): Promise<number> => {
      const { bytesRead } = await handle.read(header, 0, 10, pos);
      let result = 0;
      let shift = 1;
      for (let i = 0; i < bytesRead; i++) {
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
          const entry = Buffer.alloc(length);
          await handle.read(entry, 0, length, pos);
          const [k, v] = parseStringPair(entry);
          if (k !== undefined) metadata[k] = v ?? '';
        }
        pos += length;
      } else throw notAModel(path);
    }
    return metadata;
  } finally {
    await handle.close();
  }
}

function notAModel(path: string): AsrqError {
  return new AsrqError('RUNTIME_BAD_MODEL', `${path} is not an ONNX model (its protobuf structure is broken). Re-export it, or check that the file was fully copied.`);
}

/** StringStringEntryProto: key = 1, value = 2 (both length-delimited). */
function parseStringPair(bytes: Buffer): [string | undefined, string | undefined] {
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
    const text = bytes.toString('utf8', pos, pos + length);
    if (tag === 0x0a) key = text;
    else if (tag === 0x12) value = text;
    pos += length;
  }
  return [key, value];
}
