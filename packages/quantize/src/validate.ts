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
 * Runs two models (by path) on the same feeds and returns the SQNR of each float output of the
 * second against the first.
 *
 * @param referencePath - The float model.
 * @param testPath - The quantized model.
 * @param feeds - One sample.
 * @returns SQNR in dB per float output name.
 * @throws QuantizeError `QUANT_VALIDATION_FAILED` when the test model does not load or run.
 * @example
 * ```ts
 * const db = await compareOutputs('model.onnx', 'model.int8.onnx', feeds); // { log_probs: 27.3 }
 * ```
 */
export async function compareOutputs(
  referencePath: string,
  testPath: string,
  feeds: Record<string, Tensor>,
): Promise<Record<string, number>> {
  const reference = await openQuantizeSession(referencePath, COMPARISON_SESSION);
  let test: InferenceSession;
  try {
    test = await openQuantizeSession(testPath, COMPARISON_SESSION);
  } catch (cause) {
    await reference.release();
    throw new QuantizeError(
      'QUANT_VALIDATION_FAILED',
      `The quantized model ${testPath} does not load in onnxruntime: ${(cause as Error).message}`,
      { cause, location: testPath },
    );
  }
  try {
    const want = await reference.run(feeds);
    let got: Record<string, Tensor>;
    try {
      got = await test.run(feeds);
    } catch (cause) {
      throw new QuantizeError(
        'QUANT_VALIDATION_FAILED',
        `The quantized model ${testPath} loads but fails to run: ${(cause as Error).message}`,
        { cause, location: testPath },
      );
    }
    const out: Record<string, number> = {};
    for (const [name, tensor] of Object.entries(want)) {
      if (tensor.type !== 'float32') continue;
      const other = got[name];
      if (other) out[name] = sqnr(tensor.data as Float32Array, other.data as Float32Array);
    }
    return out;
  } finally {
    await reference.release();
    await test.release();
  }
}

/**
 * Checks that a model loads in onnxruntime-node (session creation runs ORT's graph checks and
 * fusions).
 * @param path - Model file.
 * @throws QuantizeError `QUANT_VALIDATION_FAILED` when it does not load.
 */
export async function assertLoads(path: string): Promise<void> {
  try {
    const s = await openQuantizeSession(path, COMPARISON_SESSION);
    await s.release();
  } catch (cause) {
    throw new QuantizeError(
      'QUANT_VALIDATION_FAILED',
      `The quantized model ${path} does not load in onnxruntime: ${(cause as Error).message}`,
      { cause, location: path },
    );
  }
}
