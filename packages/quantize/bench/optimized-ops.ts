/**
 * What onnxruntime's session optimizer makes of a model: loads it with graphOptimizationLevel
 * 'all' and optimizedModelFilePath, then prints the op histogram of the optimized graph (fusions
 * such as MatMulIntegerToFloat, DynamicQuantizeMatMul, SkipLayerNormalization, Attention show up
 * here), plus a few quantization details of the stored file (scale / zero-point shapes).
 *
 *   pnpm exec tsx --conditions=@asrq/source packages/quantize/bench/optimized-ops.ts a.onnx [b.onnx ...]
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { readModel, tensorDims } from '@asrq/onnx';
import { InferenceSession } from 'onnxruntime-node';
import { opHistogram } from '../src/index.js';

/**
 * The op histogram after onnxruntime's optimizations ('all' level, CPU).
 * @param path - Model file.
 * @returns op type (domain-qualified when not ONNX) -> count.
 */
export async function optimizedHistogram(path: string): Promise<Record<string, number>> {
  const dir = await mkdtemp(join(tmpdir(), 'asrq-optimized-'));
  const out = join(dir, `${basename(path, '.onnx')}.optimized.onnx`);
  const session = await InferenceSession.create(path, {
    intraOpNumThreads: 1,
    graphOptimizationLevel: 'all',
    optimizedModelFilePath: out,
  });
  await session.release();
  const model = await readModel(out);
  return opHistogram(model.proto.graph!.node!);
}

/**
 * Shapes of the scale and zero-point inputs of the integer products of a stored model.
 * @param path - Model file.
 * @returns Counts per "op: B scale dims / B zero point dims".
 */
export async function quantParamShapes(path: string): Promise<Record<string, number>> {
  const model = await readModel(path);
  const g = model.proto.graph!;
  const inits = new Map((g.initializer ?? []).map((t) => [t.name ?? '', t]));
  const dims = (name: string | undefined): string => {
    const t = name ? inits.get(name) : undefined;
    return t ? `[${tensorDims(t).join(',')}]` : name ? 'computed' : 'none';
  };
  const counts: Record<string, number> = {};
  const scaleOf = new Map<string, string>();
  for (const n of g.node ?? [])
    if (n.op_type === 'Mul' && n.input?.length === 2) scaleOf.set(n.output![0]!, dims(n.input[1]));
  for (const n of g.node ?? []) {
    let key: string | undefined;
    if (n.op_type === 'MatMulInteger') key = `MatMulInteger: B zero point ${dims(n.input?.[3])}`;
    if (n.op_type === 'DynamicQuantizeMatMul')
      key = `DynamicQuantizeMatMul: B scale ${dims(n.input?.[2])}, zero point ${dims(n.input?.[3])}`;
    if (key) counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const path of process.argv.slice(2)) {
    console.log(`## ${path}`);
    console.log('stored file:', JSON.stringify(opHistogram((await readModel(path)).proto.graph!.node!)));
    console.log('quantization parameters:', JSON.stringify(await quantParamShapes(path)));
    console.log('after onnxruntime optimization (all):', JSON.stringify(await optimizedHistogram(path)));
  }
}
