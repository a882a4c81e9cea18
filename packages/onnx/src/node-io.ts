import { type FileHandle, open, readFile, realpath } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, normalize, resolve } from 'node:path';
import { writeFileAtomic } from '@asrq/core/node';
import { decodeModel, encodeModel } from './codec.js';
import { OnnxError } from './errors.js';
import { tensorBytes } from './tensor.js';
import type { GraphProto, OnnxModel, TensorProto } from './types.js';

function entry(tensor: TensorProto, key: string): string | undefined {
  return tensor.external_data?.find((e) => e.key === key)?.value;
}

/** Every tensor of a graph and its subgraphs: initializers and node attribute values. */
function graphTensors(graph: GraphProto | undefined, out: TensorProto[] = []): TensorProto[] {
  out.push(...(graph?.initializer ?? []));
  for (const node of graph?.node ?? [])
    for (const a of node.attribute ?? []) {
      if (a.t) out.push(a.t);
      out.push(...((a.tensors as TensorProto[] | undefined) ?? []));
      if (a.g) graphTensors(a.g, out);
      for (const sub of (a.graphs as GraphProto[] | undefined) ?? []) graphTensors(sub, out);
    }
  return out;
}

function allTensors(model: OnnxModel): TensorProto[] {
  return graphTensors(model.proto.graph);
}

/** Where one tensor's bytes sit in an external-data file. */
interface ExternalSlice {
  tensor: TensorProto;
  offset: number;
  length: number | undefined;
}

/** The external-data tensors of a model grouped by file (relative location), checked to stay inside `dir`. */
function externalSlices(model: OnnxModel, path: string): Map<string, ExternalSlice[]> {
  const byFile = new Map<string, ExternalSlice[]>();
  for (const tensor of allTensors(model)) {
    if (tensor.data_location !== 1) continue;
    const location = entry(tensor, 'location');
    if (!location || isAbsolute(location) || normalize(location).startsWith('..')) {
      throw new OnnxError(
        'ONNX_EXTERNAL_DATA',
        `${path}: tensor "${tensor.name ?? ''}" has external data location "${location ?? ''}"; it must be a relative path inside the model's directory.`,
        { location: path },
      );
    }
    const length = entry(tensor, 'length');
    const offset = Number(entry(tensor, 'offset') ?? 0);
    const size = length === undefined ? undefined : Number(length);
    if (!Number.isSafeInteger(offset) || (size !== undefined && !Number.isSafeInteger(size)))
      throw new OnnxError(
        'ONNX_EXTERNAL_DATA',
        `${path}: tensor "${tensor.name ?? ''}" has external data offset "${entry(tensor, 'offset') ?? ''}" and length "${length ?? ''}", which are not whole numbers. The model file is damaged; export it again.`,
        { location: path },
      );
    const slices = byFile.get(location) ?? byFile.set(location, []).get(location)!;
    slices.push({ tensor, offset, length: size });
  }
  return byFile;
}

/**
 * Reads each tensor's slice of one external-data file into its own buffer, through a file handle,
 * so data files larger than one Node buffer (2 GiB) are read too.
 */
async function readExternalFile(path: string, file: string, slices: ExternalSlice[]): Promise<void> {
  let handle: FileHandle;
  try {
    handle = await open(file, 'r');
  } catch (cause) {
    throw new OnnxError(
      'ONNX_EXTERNAL_DATA',
      `${path}: tensor "${slices[0]!.tensor.name ?? ''}" needs external data file ${file}, which cannot be read: ${(cause as Error).message}. Keep the data file next to the model.`,
      { cause, location: path },
    );
  }
  try {
    const size = (await handle.stat()).size;
    for (const { tensor, offset, length: declared } of slices) {
      const length = declared ?? size - offset;
      if (offset < 0 || length < 0 || offset + length > size) {
        throw new OnnxError(
          'ONNX_EXTERNAL_DATA',
          `${path}: tensor "${tensor.name ?? ''}": external data ${basename(file)} is ${size} bytes, shorter than offset ${offset} + length ${length}. The data file is truncated or belongs to another model.`,
          { location: path },
        );
      }
      const data = new Uint8Array(length);
      for (let done = 0; done < length; ) {
        const { bytesRead } = await handle.read(data, done, Math.min(length - done, 1 << 30), offset + done);
        if (bytesRead === 0) break;
        done += bytesRead;
      }
      tensor.raw_data = data;
      delete tensor.data_location;
      tensor.external_data = [];
    }
  } finally {
    await handle.close();
  }
}

/**
 * Reads an ONNX model file, resolving external-data tensors (paths relative to the model's
 * directory) into in-memory buffers, one per tensor (so data files over 2 GiB are read too).
 * Resolved tensors become ordinary in-file tensors; the files they came from are listed in
 * `model.externalDataFiles`, and {@link writeModel} writes such a model with external data again.
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
  const files: string[] = [];
  for (const [location, slices] of externalSlices(model, path)) {
    const file = join(dir, location);
    await readExternalFile(path, file, slices);
    files.push(file);
  }
  if (files.length > 0) model.externalDataFiles = files;
  return model;
}

/** Protobuf's limit on one serialised message: a .onnx file cannot be larger (onnxruntime refuses it). */
export const PROTOBUF_LIMIT_BYTES = 2 ** 31 - 1;

/** The external-data threshold ONNX's own tools use (onnx.save's `size_threshold`). */
export const DEFAULT_EXTERNAL_DATA_THRESHOLD = 1024;

/** Options of {@link writeModel}. */
export interface WriteModelOptions {
  /**
   * Tensors whose data has at least this many bytes go to `<file>.data` next to the model
   * (ONNX external data). Default: {@link DEFAULT_EXTERNAL_DATA_THRESHOLD} when the model was read
   * with external data or its tensors would not fit in one protobuf file; else everything in the
   * .onnx file. `Infinity` forces a single file.
   */
  externalDataThreshold?: number;
  /** The largest .onnx file to write without external data (default {@link PROTOBUF_LIMIT_BYTES}; lower it to test). */
  maxProtobufBytes?: number;
}

/** Bytes of the tensor data a model's protobuf would carry (initializers and Constant values). */
function tensorDataBytes(model: OnnxModel): number {
  let bytes = 0;
  for (const t of allTensors(model)) bytes += t.raw_data?.byteLength ?? tensorBytes(t);
  return bytes;
}

/**
 * The threshold a write uses: the explicit one, else external data when the model came with it
 * or would be too large for one protobuf file (graph and small tensors keep a margin of 1/16).
 */
function thresholdFor(model: OnnxModel, options: WriteModelOptions): number | undefined {
  if (options.externalDataThreshold !== undefined)
    return Number.isFinite(options.externalDataThreshold) ? options.externalDataThreshold : undefined;
  if ((model.externalDataFiles?.length ?? 0) > 0) return DEFAULT_EXTERNAL_DATA_THRESHOLD;
  const limit = options.maxProtobufBytes ?? PROTOBUF_LIMIT_BYTES;
  return tensorDataBytes(model) > limit - limit / 16 ? DEFAULT_EXTERNAL_DATA_THRESHOLD : undefined;
}

/** Moves initializers of at least `threshold` bytes to external data; returns the chunks of the data file (64-byte aligned). */
function externalize(initializers: TensorProto[], threshold: number, location: string) {
  const chunks: Uint8Array[] = [];
  let offset = 0;
  const tensors = initializers.map((tensor) => {
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
  return { tensors, chunks, bytes: offset };
}

/** Refuses a write that would replace a file the model's tensors were read from (the input's external data). */
async function checkNotSourceData(model: OnnxModel, targets: string[]): Promise<void> {
  const sources = new Set<string>();
  for (const f of model.externalDataFiles ?? []) sources.add(await realpath(f).catch(() => resolve(f)));
  for (const target of targets) {
    const real = await realpath(target).catch(() => resolve(target));
    if (sources.has(real) || sources.has(resolve(target))) {
      throw new OnnxError(
        'ONNX_WRITE_FAILED',
        `Refusing to write ${target}: it is the external-data file ${model.name} was read from, and replacing it would break that model. Write the output under another name or into another folder.`,
        { location: target },
      );
    }
  }
}

/**
 * Writes a model atomically (temporary file, then rename). Large initializers go to
 * `<basename>.data` beside it (64-byte aligned, written in chunks so it may exceed 2 GiB) when
 * `externalDataThreshold` says so, when the model was read with external data, or when it would be
 * too large for one protobuf file; the in-memory model is not changed.
 *
 * @param model - The model.
 * @param path - Output .onnx path.
 * @param options - External-data threshold.
 * @returns Resolves when the file(s) are in place.
 * @throws OnnxError `ONNX_WRITE_FAILED` when a file cannot be written, or when the .onnx or its
 *   data file is one of the files the model was read from.
 * @example
 * ```ts
 * await writeModel(model, 'out.onnx', { externalDataThreshold: 1024 });
 * ```
 */
export async function writeModel(model: OnnxModel, path: string, options: WriteModelOptions = {}): Promise<void> {
  const graph = model.proto.graph;
  const threshold = thresholdFor(model, options);
  const original = graph?.initializer;
  const location = `${basename(path)}.data`;
  await checkNotSourceData(model, [path, join(dirname(path), location)]);
  try {
    if (threshold !== undefined && graph && original) {
      const { tensors, chunks, bytes } = externalize(original, threshold, location);
      // No tensor reached the threshold: one self-contained file, no empty data file beside it.
      if (bytes > 0) {
        graph.initializer = tensors;
        await writeFileAtomic(join(dirname(path), location), chunks);
      }
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
