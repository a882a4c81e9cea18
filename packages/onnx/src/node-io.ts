import { readFile } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, normalize, resolve } from 'node:path';
import { writeFileAtomic } from '@asrq/core/node';
import { decodeModel, encodeModel } from './codec.js';
import { OnnxError } from './errors.js';
import type { OnnxModel, TensorProto } from './types.js';

function entry(tensor: TensorProto, key: string): string | undefined {
  return tensor.external_data?.find((e) => e.key === key)?.value;
}

function allTensors(model: OnnxModel): TensorProto[] {
  const graph = model.proto.graph;
  const out: TensorProto[] = [...(graph?.initializer ?? [])];
  for (const node of graph?.node ?? []) for (const a of node.attribute ?? []) if (a.t) out.push(a.t);
  return out;
}

/**
 * Reads an ONNX model file, resolving external-data tensors (paths relative to the model's
 * directory) into in-memory views. Resolved tensors become ordinary in-file tensors; write them out
 * again as external data with `writeModel(..., { externalDataThreshold })`.
 *
 * @param path - The .onnx file.
 * @returns The decoded model, named by `path`.
 * @throws OnnxError `ONNX_READ_FAILED` (file unreadable), `ONNX_NOT_A_MODEL`, `ONNX_EXTERNAL_DATA`
 *   (an external file is missing, escapes the model directory, or is shorter than declared).
 * @example
 * ```ts
 * const model = await readModel('model.onnx');
 * console.log(model.proto.graph?.node?.length);
 * ```
 */
export async function readModel(path: string): Promise<OnnxModel> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (cause) {
    throw new OnnxError(
      'ONNX_READ_FAILED',
      `Cannot read ONNX model ${path}: ${(cause as Error).message}. Check the path.`,
      { cause, location: path },
    );
  }
  const model = decodeModel(bytes, { name: path });
  const dir = dirname(resolve(path));
  const files = new Map<string, Uint8Array>();
  for (const tensor of allTensors(model)) {
    if (tensor.data_location !== 1) continue;
    const location = entry(tensor, 'location');
    const where = `${path}: tensor "${tensor.name ?? ''}"`;
    if (!location || isAbsolute(location) || normalize(location).startsWith('..')) {
      throw new OnnxError(
        'ONNX_EXTERNAL_DATA',
        `${where} has external data location "${location ?? ''}"; it must be a relative path inside the model's directory.`,
        { location: path },
      );
    }
    let data = files.get(location);
    if (!data) {
      try {
        data = await readFile(join(dir, location));
      } catch (cause) {
        throw new OnnxError(
          'ONNX_EXTERNAL_DATA',
          `${where} needs external data file ${join(dir, location)}, which cannot be read: ${(cause as Error).message}. Keep the data file next to the model.`,
          { cause, location: path },
        );
      }
      files.set(location, data);
    }
    const offset = Number(entry(tensor, 'offset') ?? 0);
    const length = entry(tensor, 'length') === undefined ? data.byteLength - offset : Number(entry(tensor, 'length'));
    if (offset + length > data.byteLength) {
      throw new OnnxError(
        'ONNX_EXTERNAL_DATA',
        `${where}: external data ${location} is ${data.byteLength} bytes, shorter than offset ${offset} + length ${length}. The data file is truncated or belongs to another model.`,
        { location: path },
      );
    }
    tensor.raw_data = data.subarray(offset, offset + length);
    delete tensor.data_location;
    tensor.external_data = [];
  }
  return model;
}

/** Options of {@link writeModel}. */
export interface WriteModelOptions {
  /**
   * Tensors whose data has at least this many bytes go to `<file>.data` next to the model
   * (ONNX external data). Default: everything in the .onnx file.
   */
  externalDataThreshold?: number;
}

/**
 * Writes a model atomically (temporary file, then rename). With `externalDataThreshold`, large
 * initializers are stored in `<basename>.data` beside it, 64-byte aligned, and the model refers to
 * them; the in-memory model is not changed.
 *
 * @param model - The model.
 * @param path - Output .onnx path.
 * @param options - External-data threshold.
 * @returns Resolves when the file(s) are in place.
 * @throws OnnxError `ONNX_WRITE_FAILED` when a file cannot be written.
 * @example
 * ```ts
 * await writeModel(model, 'out.onnx', { externalDataThreshold: 1024 });
 * ```
 */
export async function writeModel(model: OnnxModel, path: string, options: WriteModelOptions = {}): Promise<void> {
  const graph = model.proto.graph;
  const threshold = options.externalDataThreshold;
  const original = graph?.initializer;
  try {
    if (threshold !== undefined && graph && original) {
      const location = `${basename(path)}.data`;
      const chunks: Uint8Array[] = [];
      let offset = 0;
      graph.initializer = original.map((tensor) => {
        const raw = tensor.raw_data;
        if (!raw || raw.byteLength < threshold) return tensor;
        const pad = (64 - (offset % 64)) % 64;
        if (pad) chunks.push(new Uint8Array(pad));
        offset += pad;
        chunks.push(raw);
        const { raw_data: _inFile, ...rest } = tensor;
        const external: TensorProto = {
          ...rest,
          data_location: 1,
          external_data: [
            { key: 'location', value: location },
            { key: 'offset', value: String(offset) },
            { key: 'length', value: String(raw.byteLength) },
          ],
        };
        offset += raw.byteLength;
        return external;
      });
      const data = new Uint8Array(offset);
      let at = 0;
      for (const c of chunks) {
        data.set(c, at);
        at += c.byteLength;
      }
      await writeFileAtomic(join(dirname(path), location), data);
    }
    await writeFileAtomic(path, encodeModel(model));
  } catch (cause) {
    if (OnnxError.isInstance(cause)) throw cause;
    throw new OnnxError('ONNX_WRITE_FAILED', `Cannot write ONNX model ${path}: ${(cause as Error).message}.`, {
      cause,
      location: path,
    });
  } finally {
    if (graph && original) graph.initializer = original;
  }
}
