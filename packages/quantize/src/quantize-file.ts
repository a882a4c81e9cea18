import { realpath, rm } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { throwIfAborted } from '@asrq/core';
import { modelDiskSize, opsetVersion, readModel, upgradeOpset, type OnnxModel, type OpsetUpgrade } from '@asrq/onnx';
import { checkModelCompanions, copyModelCompanions } from '@asrq/runtime';
import type { Tensor } from 'onnxruntime-node';
import type { CalibrationData } from './calibrate.js';
import { QuantizeError } from './errors.js';
import type { Float16Upcast } from './float16-upcast.js';
import { describeQuantized, type QuantizedState } from './ops/already-quantized.js';
import type { NodeOutcome } from './outcome.js';
import type { QuantPlan } from './plan-types.js';
import { quantizeModel, type QuantizeModelResult, type QuantizeProgress } from './quantize-model.js';
import { checkOutputPath, publishModel, stageModel } from './stage-output.js';
import { assertLoads, compareOutputs, opHistogram } from './validate.js';

/** Options of {@link quantizeModelFile}. */
export interface QuantizeFileOptions {
  /** Calibration samples (required by static rules); `plan.calibration.n` limits how many are used. */
  calibration?: CalibrationData;
  /** A sample to run both models on before the output is put in place; its outputs' SQNR goes into the report. */
  validateWith?: Record<string, Tensor>;
  /**
   * Store initializers of at least this many bytes in `<output>.data` (ONNX external data).
   * Default: external data when the input had it or the output would exceed 2 GB, else one file.
   */
  externalDataThreshold?: number;
  /** Write the output even when the plan quantizes no node (default false: `QUANT_NOTHING_QUANTIZED`). */
  allowEmpty?: boolean;
  /** Upgrade the model's ai.onnx opset to this version first ({@link upgradeOpset}); never done without it. */
  opset?: number;
  onProgress?: (e: QuantizeProgress) => void;
  signal?: AbortSignal;
}

/** What {@link quantizeModelFile} did, for people (formatQuantizeReport) and tools (JSON). */
export interface QuantizeReport {
  input: string;
  output: string;
  plan: QuantPlan;
  rules: QuantizeModelResult['rules'];
  nodes: NodeOutcome[];
  opsBefore: Record<string, number>;
  opsAfter: Record<string, number>;
  bytesBefore: number;
  bytesAfter: number;
  calibrationSamples: number;
  /** SQNR (dB) of each float output against the input model on `validateWith`; empty without it. */
  sqnr: Record<string, number>;
  /** The output's ai.onnx opset: the input's, unless `opset` asked for an upgrade. */
  opset: number;
  /** The opset upgrade `opset` asked for, when it changed the model. */
  upgraded?: OpsetUpgrade;
  /** A float16 input: its float parts now run in float32, inputs and outputs stay float16. */
  float16?: Float16Upcast;
  /** The input was already quantized (so SQNR is against that quantized model, not a float one). */
  alreadyQuantized?: QuantizedState;
  /** The output's weights are in `<output>.data` beside it. */
  externalData: boolean;
  /** Rules that matched nothing in a plan with `onNoMatch: "warn"`. */
  warnings: string[];
  timings: { readMs: number; calibrateAndQuantizeMs: number; writeMs: number; validateMs: number };
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
 * Refuses an output that would replace one of the input's files: the .onnx itself or one of its
 * external-data files (as the output, or as the output's own `.data` file).
 */
async function refuseInputFiles(input: string, output: string, model?: OnnxModel): Promise<void> {
  const inputs = [input, ...(model?.externalDataFiles ?? [])];
  for (const target of [output, `${output}.data`])
    for (const file of inputs)
      if (await sameFile(file, target))
        throw new QuantizeError(
          'QUANT_OUTPUT_IS_INPUT',
          `Refusing to write ${target}: it is ${file === input ? 'the input model' : `the input's external-data file`} ${file}, which would be lost. Choose another output path (e.g. -o model.int8.onnx).`,
          { location: output },
        );
}

function nothingQuantized(input: string, result: QuantizeModelResult): QuantizeError {
  if (result.alreadyQuantized)
    return new QuantizeError(
      'QUANT_ALREADY_QUANTIZED',
      `${input} is already quantized (${describeQuantized(result.alreadyQuantized)}) and the plan finds nothing left to quantize; nothing was written. Quantize its float original instead, or bench it as it is.`,
      { location: input },
    );
  const perRule = result.rules
    .map((r, i) => {
      const outside = Object.entries(r.outsideOps ?? {})
        .map(([op, n]) => `${n} ${op}`)
        .join(', ');
      return `rule ${i + 1} (${r.mode} "${r.select}"): ${r.matched} node(s) by path${r.skipped > 0 ? `, ${r.skipped} skipped` : ''}${outside ? `, not taking ${outside} (not in its ops)` : ''}`;
    })
    .join('; ');
  const convHint = result.rules.some((r) => r.mode === 'dynamic' && r.outsideOps?.Conv)
    ? ' A dynamic rule takes Conv only with "convAsMatMul": true (1-D convolutions as int8 MatMul) or "ops": ["Conv"]; a static rule takes it with calibration.'
    : '';
  return new QuantizeError(
    'QUANT_NOTHING_QUANTIZED',
    `The plan quantizes no node of ${input} (${perRule}), so the output would be the float model under another name; nothing was written.${convHint} Check the rules' modes and ops (\`asrq inspect\` lists module paths and op types), or pass \`allowEmpty\` if that is what you want.`,
    { location: input, argument: 'allowEmpty' },
  );
}

/** Checks the staged model: SQNR against the input on `validateWith`, else that it loads. */
async function validateStaged(
  input: string,
  staged: string,
  output: string,
  options: QuantizeFileOptions,
): Promise<Record<string, number>> {
  if (options.validateWith) return compareOutputs(input, staged, options.validateWith, { testName: output });
  await assertLoads(staged, output);
  return {};
}

/**
 * Quantizes an ONNX model file according to a plan and writes the result only once it has been
 * checked: the model is written into a staging folder beside `output`, loaded by onnxruntime (and,
 * with `validateWith`, run next to the input and compared, NaN and infinity refused), and only
 * then moved into place. A failure or an abort leaves nothing at `output`. External data stays
 * external (and is used automatically above 2 GB). The files transcribe and bench read beside a
 * model (tokenizer, front-end settings) are copied beside the output; a different one already
 * there is refused before any work.
 *
 * @param input - Model path (never modified, nor its external-data files).
 * @param output - Quantized model path; must not be one of the input's files.
 * @param plan - Rules, from {@link parsePlan} or {@link planFromFlags}.
 * @param options - Calibration data, validation sample, progress, cancellation.
 * @returns The report.
 * @throws QuantizeError `QUANT_OUTPUT_IS_INPUT`, `QUANT_NO_MATCH`, `QUANT_NEEDS_CALIBRATION`,
 *   `QUANT_UNSUPPORTED_NODE`, `QUANT_OPSET_TOO_LOW`, `QUANT_VALIDATION_FAILED`, `QUANT_NON_FINITE`,
 *   `QUANT_NOTHING_QUANTIZED` / `QUANT_ALREADY_QUANTIZED` (no node was quantized and `allowEmpty`
 *   is not set); OnnxError `ONNX_*` for unreadable models.
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
  await refuseInputFiles(input, output);
  await checkOutputPath(output);
  // A tokenizer or front-end file of another model in the output folder would be used for this one.
  await checkModelCompanions(input, output);
  const t0 = performance.now();
  options.onProgress?.({ status: 'reading', path: input });
  const model = await readModel(input);
  await refuseInputFiles(input, output, model);
  const upgraded =
    options.opset !== undefined && options.opset !== opsetVersion(model)
      ? upgradeOpset(model, options.opset)
      : undefined;
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
    throw nothingQuantized(input, result);
  options.onProgress?.({ status: 'writing', path: output });
  const staged = await stageModel(model, output, options.externalDataThreshold);
  let sqnr: Record<string, number>;
  let externalData: boolean;
  const t3 = performance.now();
  try {
    options.onProgress?.({ status: 'validating' });
    sqnr = await validateStaged(input, staged, output, options);
    throwIfAborted(options.signal);
    externalData = await publishModel(staged, output);
  } finally {
    await rm(dirname(staged), { recursive: true, force: true });
  }
  const t4 = performance.now();
  await copyModelCompanions(input, output);
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
    bytesAfter: (await modelDiskSize(output)).bytes,
    calibrationSamples: result.calibrationSamples,
    sqnr,
    opset: result.opset,
    ...(upgraded ? { upgraded } : {}),
    ...(result.float16 ? { float16: result.float16 } : {}),
    ...(result.alreadyQuantized ? { alreadyQuantized: result.alreadyQuantized } : {}),
    externalData,
    warnings: result.warnings,
    timings: { readMs: t1 - t0, calibrateAndQuantizeMs: t2 - t1, writeMs: t3 - t2, validateMs: t4 - t3 },
  };
}
