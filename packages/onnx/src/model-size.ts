import { readFile, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { decodeModel } from './codec.js';

// A self-contained .onnx above this size is not parsed for external data: protobuf caps a
// single file at 2 GB, so models that need external data keep a small graph file.
const PARSE_LIMIT_BYTES = 256 * 1024 * 1024;

/**
 * The bytes a model takes on disk: its .onnx file plus every external-data file its
 * initializers point to (exports of models over 2 GB keep their weights there).
 * @param path - Model file.
 * @returns Total bytes and the external files counted.
 */
export async function modelDiskSize(path: string): Promise<{ bytes: number; externalFiles: string[] }> {
  const own = (await stat(path)).size;
  if (own > PARSE_LIMIT_BYTES) return { bytes: own, externalFiles: [] };
  let locations: Set<string>;
  try {
    const model = decodeModel(await readFile(path), { name: path });
    locations = new Set(
      (model.proto.graph?.initializer ?? []).flatMap((t) =>
        (t.external_data ?? [])
          .filter((e) => e.key === 'location' && e.value)
          .map((e) => resolve(dirname(path), e.value!)),
      ),
    );
  } catch {
    // onnxruntime reports unreadable models with a better message; the size is informative only.
    return { bytes: own, externalFiles: [] };
  }
  let bytes = own;
  const externalFiles: string[] = [];
  for (const file of locations) {
    const info = await stat(file).catch(() => undefined);
    if (info) {
      bytes += info.size;
      externalFiles.push(file);
    }
  }
  return { bytes, externalFiles };
}
