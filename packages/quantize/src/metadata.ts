import { createRequire } from 'node:module';
import { opsetVersion, type OnnxModel } from '@asrq/onnx';
import { QUANTIZATION_METADATA_KEY } from './ops/already-quantized.js';
import type { QuantPlan } from './plan-types.js';

/** The version of @asrq/quantize (read from its package.json, in src/ and dist/ alike). */
export const QUANTIZE_VERSION: string = (createRequire(import.meta.url)('../package.json') as { version: string })
  .version;

/** What asrq records in a quantized model's metadata under `asrq.quantization`. */
export interface QuantizationRecord {
  /** The @asrq/quantize version that wrote the model. */
  asrq: string;
  /** The model's ai.onnx opset (unchanged by quantization). */
  opset: number | undefined;
  plan: QuantPlan;
  /** The record of an earlier asrq quantization of the input, when there was one. */
  previous?: unknown;
}

/**
 * Adds (or replaces) the one metadata entry asrq writes: `asrq.quantization`, a JSON
 * {@link QuantizationRecord}. Every other metadata entry, the producer and the IR version stay as
 * the input had them.
 * @param model - The quantized model (modified in place).
 * @param plan - The plan it was quantized with.
 */
export function recordQuantization(model: OnnxModel, plan: QuantPlan): void {
  model.proto.metadata_props ??= [];
  const props = model.proto.metadata_props;
  const old = props.find((e) => e.key === QUANTIZATION_METADATA_KEY);
  const record: QuantizationRecord = { asrq: QUANTIZE_VERSION, opset: opsetVersion(model), plan };
  if (old?.value) {
    try {
      record.previous = JSON.parse(old.value);
    } catch {
      record.previous = old.value;
    }
  }
  const value = JSON.stringify(record);
  if (old) old.value = value;
  else props.push({ key: QUANTIZATION_METADATA_KEY, value });
}

/**
 * Reads asrq's quantization record from a model, if it has one.
 * @param model - A model.
 * @returns The record, or undefined (not quantized by asrq, or unreadable).
 */
export function quantizationRecord(model: OnnxModel): QuantizationRecord | undefined {
  const value = model.proto.metadata_props?.find((e) => e.key === QUANTIZATION_METADATA_KEY)?.value;
  if (!value) return undefined;
  try {
    return JSON.parse(value) as QuantizationRecord;
  } catch {
    return undefined;
  }
}
