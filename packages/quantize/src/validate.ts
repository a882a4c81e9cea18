import { float16ToFloat32 } from '@asrq/runtime';
import type { InferenceSession, Tensor } from 'onnxruntime-node';
import { QuantizeError } from './errors.js';
import { sqnr } from './quant-math.js';
import { COMPARISON_SESSION, openQuantizeSession } from './sessions.js';

/**
 * Op type histogram of an ONNX graph (`MatMul: 45`, `DynamicQuantizeMatMul: 44`).
 * @param nodes - graph.node.
 * @returns Counts per op type, prefixed by domain for non-default domains.
 */
export function opHistogram(nodes: ReadonlyArray<{ op_type?: string; domain?: string }>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const n of nodes) {
    const key = n.domain && n.domain !== 'ai.onnx' ? `${n.domain}.${n.op_type}` : (n.op_type ?? '');
    out[key] = (out[key] ?? 0) + 1;
  }
  return out;
}

/**
 * The values of a float32 or float16 output as float32, or undefined for other types.
 * @param tensor - An onnxruntime tensor.
 * @returns Its values.
 */
export function floatValues(tensor: Tensor): Float32Array | undefined {
  if (tensor.type === 'float32') return tensor.data as Float32Array;
  if (tensor.type === 'float16') return float16ToFloat32(tensor.data as Uint16Array);
  return undefined;
}

/** Where the first NaN or infinity of an output is, as a frame (second dim) of a row (first dim). */
export interface NonFinite {
  output: string;
  /** The value found: NaN, Infinity or -Infinity. */
  value: number;
  row: number;
  frame: number;
}

/**
 * The first non-finite value among a run's float outputs, or undefined when all are finite.
 * @param outputs - Output tensors by name.
 * @returns Its output, row and frame (for [B, T, ...] outputs).
 */
export function firstNonFinite(outputs: Record<string, Tensor>): NonFinite | undefined {
  for (const [output, tensor] of Object.entries(outputs)) {
    const values = floatValues(tensor);
    if (!values) continue;
    const i = values.findIndex((v) => !Number.isFinite(v));
    if (i < 0) continue;
    const dims = tensor.dims.map(Number);
    const perRow = dims.slice(1).reduce((a, b) => a * b, 1) || 1;
    const perFrame = dims.slice(2).reduce((a, b) => a * b, 1) || 1;
    return { output, value: values[i]!, row: Math.floor(i / perRow), frame: Math.floor((i % perRow) / perFrame) };
  }
  return undefined;
}

/**
 * Throws `QUANT_NON_FINITE` when a run produced NaN or infinity.
 * @param outputs - The run's outputs.
 * @param model - The model's name (path).
 * @param advice - What to do, for this model's role.
 * @throws QuantizeError `QUANT_NON_FINITE` naming the model, output, row and frame.
 */
export function assertFinite(outputs: Record<string, Tensor>, model: string, advice: string): void {
  const bad = firstNonFinite(outputs);
  if (!bad) return;
  throw new QuantizeError(
    'QUANT_NON_FINITE',
    `${model} gives ${bad.value} in output "${bad.output}" at frame ${bad.frame} (row ${bad.row}) of the validation sample. ${advice}`,
    { location: model },
  );
}

/**
 * SQNR of every float (float32 or float16) output of `test` against `reference`.
 * @param reference - Reference outputs.
 * @param test - Outputs to compare.
 * @returns dB per output name.
 */
export function outputSqnr(reference: Record<string, Tensor>, test: Record<string, Tensor>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [name, tensor] of Object.entries(reference)) {
    const want = floatValues(tensor);
    const got = test[name] ? floatValues(test[name]!) : undefined;
    if (want && got) out[name] = sqnr(want, got);
  }
  return out;
}

async function runReference(session: InferenceSession, path: string, feeds: Record<string, Tensor>) {
  try {
    return await session.run(feeds);
  } catch (cause) {
    const shapes = Object.entries(feeds)
      .map(([k, v]) => `${k} [${v.dims.join(', ')}] ${v.type}`)
      .join(', ');
    throw new QuantizeError(
      'QUANT_VALIDATION_FAILED',
      `The input model ${path} fails to run on the validation sample (${shapes}): ${(cause as Error).message}. If its inputs have a fixed shape, give samples of that shape (or re-export with dynamic axes); \`validateWith\` gives other samples.`,
      { cause, location: path, argument: 'validateWith' },
    );
  }
}

/**
 * Runs two models (by path) on the same feeds and returns the SQNR of each float output of the
 * second against the first, after checking that neither gives NaN or infinity.
 *
 * @param referencePath - The float model.
 * @param testPath - The quantized model.
 * @param feeds - One sample.
 * @param options - `testName`: how messages call the test model (e.g. its final path while it is staged).
 * @returns SQNR in dB per float output name.
 * @throws QuantizeError `QUANT_VALIDATION_FAILED` when a model does not load or run,
 *   `QUANT_NON_FINITE` when one gives NaN or infinity (naming it, the output and the frame).
 * @example
 * ```ts
 * const db = await compareOutputs('model.onnx', 'model.int8.onnx', feeds); // { log_probs: 27.3 }
 * ```
 */
export async function compareOutputs(
  referencePath: string,
  testPath: string,
  feeds: Record<string, Tensor>,
  options: { testName?: string } = {},
): Promise<Record<string, number>> {
  const name = options.testName ?? testPath;
  const reference = await openQuantizeSession(referencePath, COMPARISON_SESSION);
  let test: InferenceSession;
  try {
    test = await openQuantizeSession(testPath, COMPARISON_SESSION);
  } catch (cause) {
    await reference.release();
    throw new QuantizeError(
      'QUANT_VALIDATION_FAILED',
      `The quantized model ${name} does not load in onnxruntime: ${(cause as Error).message}`,
      { cause, location: name },
    );
  }
  try {
    const want = await runReference(reference, referencePath, feeds);
    assertFinite(want, `The input model ${referencePath}`, 'Check the validation audio and the model itself.');
    let got: Record<string, Tensor>;
    try {
      got = await test.run(feeds);
    } catch (cause) {
      throw new QuantizeError(
        'QUANT_VALIDATION_FAILED',
        `The quantized model ${name} loads but fails to run: ${(cause as Error).message}`,
        { cause, location: name },
      );
    }
    assertFinite(
      got,
      `The quantized model ${name}`,
      'A quantized range overflows: run `asrq sensitivity` to find the module and keep it float (mode float).',
    );
    return outputSqnr(want, got);
  } finally {
    await reference.release();
    await test.release();
  }
}

/**
 * Checks that a model loads in onnxruntime-node (session creation runs ORT's graph checks and
 * fusions).
 * @param path - Model file.
 * @param name - How messages call it (default `path`).
 * @returns Resolves when it loads.
 * @throws QuantizeError `QUANT_VALIDATION_FAILED` when it does not load.
 */
export async function assertLoads(path: string, name = path): Promise<void> {
  try {
    const s = await openQuantizeSession(path, COMPARISON_SESSION);
    await s.release();
  } catch (cause) {
    throw new QuantizeError(
      'QUANT_VALIDATION_FAILED',
      `The quantized model ${name} does not load in onnxruntime: ${(cause as Error).message}`,
      { cause, location: name },
    );
  }
}
