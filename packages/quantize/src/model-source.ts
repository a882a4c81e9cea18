import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeModel, PROTOBUF_LIMIT_BYTES, tensorBytes, writeModel, type OnnxModel } from '@asrq/onnx';

/** Deep copy of a decoded protobuf tree; tensor bytes (Uint8Array) and 64-bit integers (immutable) are shared. */
function cloneValue(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (ArrayBuffer.isView(value)) return value;
  if (Array.isArray(value)) return value.map(cloneValue);
  if (typeof (value as { toNumber?: unknown }).toNumber === 'function') return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = cloneValue(v);
  return out;
}

/**
 * A copy of a model that can be quantized without touching the original: every node, attribute
 * and tensor record is new, while tensor data is shared (quantization replaces data, never writes
 * into it). Works for models of any size, unlike re-decoding serialized bytes.
 * @param model - The model.
 * @returns The copy (same name and external-data record).
 */
export function cloneModel(model: OnnxModel): OnnxModel {
  return {
    proto: cloneValue(model.proto) as OnnxModel['proto'],
    name: model.name,
    ...(model.externalDataFiles ? { externalDataFiles: [...model.externalDataFiles] } : {}),
  };
}

/** Bytes of all initializer data. */
function initializerBytes(model: OnnxModel): number {
  let bytes = 0;
  for (const t of model.proto.graph?.initializer ?? []) bytes += t.raw_data?.byteLength ?? tensorBytes(t);
  return bytes;
}

/**
 * What to open an onnxruntime session on for an in-memory model: its serialized bytes, or, when
 * it would not fit in one protobuf message (2 GB), a file with external data written into
 * `scratch` (onnxruntime resolves the data file beside it; bytes alone would make it look in the
 * current directory).
 * @param model - The model.
 * @param scratch - A folder for the temporary file (the caller removes it).
 * @param name - File name inside `scratch`.
 * @param limit - Largest serialized size to pass as bytes (default protobuf's limit).
 * @returns Bytes or a file path.
 */
export async function sessionSource(
  model: OnnxModel,
  scratch: () => Promise<string>,
  name = 'model.onnx',
  limit = PROTOBUF_LIMIT_BYTES,
): Promise<Uint8Array | string> {
  if (initializerBytes(model) < limit - limit / 16) return encodeModel(model);
  const path = join(await scratch(), name);
  await writeModel(model, path, { externalDataThreshold: 1024 });
  return path;
}

/** A temporary folder made on first use and removed by {@link Scratch.dispose}. */
export class Scratch {
  private made: Promise<string> | undefined;

  constructor(private readonly prefix = 'asrq-quantize-') {}

  /** The folder (created on the first call). */
  readonly dir = (): Promise<string> => {
    this.made ??= mkdtemp(join(tmpdir(), this.prefix));
    return this.made;
  };

  /** Removes the folder if it was made. */
  async dispose(): Promise<void> {
    if (this.made) await rm(await this.made, { recursive: true, force: true });
  }
}
