import { toNumber, type OnnxModel } from './types.js';

/**
 * The version of an operator set a model imports: for the default domain (`''`, also spelt
 * `ai.onnx`) the ONNX opset every standard node of the graph is interpreted at.
 * @param model - The model.
 * @param domain - Operator-set domain (default the standard ONNX domain).
 * @returns The imported version, or undefined when the model does not import the domain.
 * @example
 * ```ts
 * opsetVersion(await readModel('model.onnx')); // 17
 * opsetVersion(model, 'com.microsoft'); // 1 for onnxruntime-optimized graphs, else undefined
 * ```
 */
export function opsetVersion(model: OnnxModel, domain = ''): number | undefined {
  const wanted = domain === 'ai.onnx' ? '' : domain;
  for (const o of model.proto.opset_import ?? []) {
    const d = o.domain === 'ai.onnx' ? '' : (o.domain ?? '');
    if (d === wanted) return toNumber(o.version);
  }
  return undefined;
}
