import { realpath } from 'node:fs/promises';
import { resolve } from 'node:path';
import { modelDiskSize, readModel, writeModel } from '@asrq/onnx';
import type { Tensor } from 'onnxruntime-node';
import type { CalibrationData } from './calibrate.js';
import { QuantizeError } from './errors.js';
import type { NodeOutcome } from './outcome.js';
import type { QuantPlan } from './plan.js';
import { quantizeModel, type QuantizeProgress } from './quantize-model.js';
import { assertLoads, compareOutputs, opHistogram } from './validate.js';

/** Options of {@link quantizeModelFile}. */
export interface QuantizeFileOptions {
  /** Calibration samples (required by static rules); `plan.calibration.n` limits how many are used. */
  calibration?: CalibrationData;
  /** A sample to run both models on after writing; its outputs' SQNR goes into the report. */
  validateWith?: Record<string, Tensor>;
  /** Store initializers of at least this many bytes in `<output>.data` (ONNX external data). */
  externalDataThreshold?: number;
  /** Write the output even when the plan quantizes no node (default false: `QUANT_NOTHING_QUANTIZED`). */
  allowEmpty?: boolean;
  onProgress?: (e: QuantizeProgress) => void;
  signal?: AbortSignal;
}

/** What {@link quantizeModelFile} did, for people (formatQuantizeReport) and tools (JSON). */
export interface QuantizeReport {
  input: string;
  output: string;
  plan: QuantPlan;
  rules: Array<{ select: string; mode: string; matched: number; quantized: number; skipped: number }>;
  nodes: NodeOutcome[];
  opsBefore: Record<string, number>;
  opsAfter: Record<string, number>;
  bytesBefore: number;
  bytesAfter: number;
  calibrationSamples: number;
  /** SQNR (dB) of each float output against the float model on `validateWith`; empty without it. */
  sqnr: Record<string, number>;
  timings: { readMs: number; calibrateAndQuantizeMs: number; writeMs: number; validateMs: number };
}

function nothingQuantized(
  input: string,
  rules: Array<{ select: string; mode: string; matched: number; skipped: number }>,
): QuantizeError {
  const perRule = rules
    .map(
      (r, i) =>
        `rule ${i + 1} (${r.mode} "${r.select}"): ${r.matched} node(s) by path${r.skipped > 0 ? `, ${r.skipped} skipped` : ''}`,
    )
    .join('; ');
  return new QuantizeError(
    'QUANT_NOTHING_QUANTIZED',
    `The plan quantizes no node of ${input} (${perRule}), so the output would be the float model under another name; nothing was written. Check the rules' modes and ops (\`asrq inspect\` lists module paths and op types), or pass --allow-empty (allowEmpty) if that is what you want.`,
    { location: input },
  );
}

async function sameFile(a: string, b: string): Promise<boolean> {
  if (resolve(a) === resolve(b)) return true;
  try {
    return (await realpath(a)) === (await realpath(b));
  } catch {
    return false;
  }
}

/**
 * Quantizes an ONNX model file according to a plan, writes the result atomically, checks that
 * onnxruntime loads it, and (with `validateWith`) reports the output SQNR against the float model.
 *
 * @param input - Float model path (never modified).
 * @param output - Quantized model path; must differ from `input`.
 * @param plan - Rules, from {@link parsePlan} or {@link planFromFlags}.
 * @param options - Calibration data, validation sample, progress, cancellation.
 * @returns The report.
 * @throws QuantizeError `QUANT_OUTPUT_IS_INPUT`, `QUANT_NO_MATCH`, `QUANT_NEEDS_CALIBRATION`,
 *   `QUANT_UNSUPPORTED_NODE`, `QUANT_VALIDATION_FAILED`, `QUANT_NOTHING_QUANTIZED` (no node was
 *   quantized and `allowEmpty` is not set; nothing is written); OnnxError `ONNX_*` for unreadable models.
 * @example
 * ```ts
 * const report = await quantizeModelFile('model.onnx', 'model.int8.onnx', parsePlan(text), { calibration: feeds, validateWith: sample });
 * console.log(formatQuantizeReport(report));
 * ```
 */
export async function quantizeModelFile(
  input: string,
  output: string,
  plan: QuantPlan,
  options: QuantizeFileOptions = {},
): Promise<QuantizeReport> {
  if (await sameFile(input, output)) {
    throw new QuantizeError(
      'QUANT_OUTPUT_IS_INPUT',
      `Refusing to overwrite the input model ${input}; choose another output path (e.g. -o model.int8.onnx).`,
      { location: output },
    );
  }
  const t0 = performance.now();
  options.onProgress?.({ status: 'reading', path: input });
  const model = await readModel(input);
  const opsBefore = opHistogram(model.proto.graph?.node ?? []);
  const bytesBefore = (await modelDiskSize(input)).bytes;
  const t1 = performance.now();
  const result = await quantizeModel(model, plan, {
    ...(options.calibration ? { calibration: options.calibration } : {}),
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  });
  const t2 = performance.now();
  if (!options.allowEmpty && !result.outcomes.some((o) => o.status === 'quantized'))
    throw nothingQuantized(input, result.rules);
  options.onProgress?.({ status: 'writing', path: output });
  await writeModel(
    model,
    output,
    options.externalDataThreshold === undefined ? {} : { externalDataThreshold: options.externalDataThreshold },
  );
  const bytesAfter = (await modelDiskSize(output)).bytes;
  const t3 = performance.now();
  options.onProgress?.({ status: 'validating' });
  let sqnr: Record<string, number> = {};
  if (options.validateWith) sqnr = await compareOutputs(input, output, options.validateWith);
  else await assertLoads(output);
  const t4 = performance.now();
  options.onProgress?.({ status: 'done' });
  return {
    input,
    output,
    plan,
    rules: result.rules,
    nodes: result.outcomes,
    opsBefore,
    opsAfter: opHistogram(model.proto.graph?.node ?? []),
    bytesBefore,
    bytesAfter,
    calibrationSamples: result.calibrationSamples,
    sqnr,
    timings: { readMs: t1 - t0, calibrateAndQuantizeMs: t2 - t1, writeMs: t3 - t2, validateMs: t4 - t3 },
  };
}
