import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readModel, writeModel } from '@asrq/onnx';
import { InferenceSession, Tensor } from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validatePlan } from './plan.js';
import { sqnr } from './quant-math.js';
import { quantizeModel } from './quantize-model.js';
import { fuseSkipLayerNorm } from './skip-layer-norm.js';

const zoo = (family: string): string =>
  fileURLToPath(new URL(`../../fixtures/zoo/${family}/model.onnx`, import.meta.url));

function audio(n: number): Float32Array {
  const x = new Float32Array(n);
  for (let i = 0; i < n; i++) x[i] = Math.sin(i * 0.031) * 0.8 + Math.sin(i * 0.0071 + 1) * 0.5;
  return x;
}

async function run(path: string, feeds: Record<string, Tensor>): Promise<Float32Array> {
  const session = await InferenceSession.create(path, { intraOpNumThreads: 1 });
  const out = await session.run(feeds);
  await session.release();
  return out[session.outputNames[0]!]!.data as Float32Array;
}

function feedsFor(family: string): Record<string, Tensor> {
  const x = audio(16000);
  const feeds: Record<string, Tensor> = { input_values: new Tensor('float32', x, [1, x.length]) };
  if (family.includes('large'))
    feeds.attention_mask = new Tensor('int64', new BigInt64Array(x.length).fill(1n), [1, x.length]);
  return feeds;
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'asrq-skip-ln-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('fuseSkipLayerNorm', () => {
  // Post-LN (base: the sum feeds only the LayerNorm) and pre-LN (large-lv60: the sum is also the next residual).
  it.each([
    ['hf-wav2vec2-base', 5],
    ['hf-wav2vec2-large-lv60', 5],
  ])('%s: %i fusions, float output unchanged', async (family, expected) => {
    const model = await readModel(zoo(family));
    const fused = fuseSkipLayerNorm(model);
    expect(fused).toBe(expected);
    expect(model.proto.graph!.node!.filter((n) => n.op_type === 'SkipLayerNormalization')).toHaveLength(expected);
    const out = join(dir, `${family}.onnx`);
    await writeModel(model, out);
    const feeds = feedsFor(family);
    const reference = await run(zoo(family), feeds);
    const rewritten = await run(out, feeds);
    let maxDiff = 0;
    for (let i = 0; i < reference.length; i++) maxDiff = Math.max(maxDiff, Math.abs(rewritten[i]! - reference[i]!));
    expect(maxDiff).toBeLessThan(1e-4);
  });

  it('runs after quantization when a plan asks for it', async () => {
    const model = await readModel(zoo('hf-wav2vec2-base'));
    const result = await quantizeModel(
      model,
      validatePlan({ version: 1, rules: [{ select: '', mode: 'dynamic' }], rewrites: { skipLayerNorm: true } }),
    );
    expect(result.rewrites.skipLayerNorm).toBe(5);
    const out = join(dir, 'int8-skip.onnx');
    await writeModel(model, out);
    const feeds = feedsFor('hf-wav2vec2-base');
    expect(sqnr(await run(zoo('hf-wav2vec2-base'), feeds), await run(out, feeds))).toBeGreaterThan(25);
  });

  it('rejects unknown rewrites in a plan', () => {
    expect(() =>
      validatePlan({ version: 1, rules: [{ select: '', mode: 'dynamic' }], rewrites: { packQKV: true } }),
    ).toThrow(/rewrites\.packQKV/u);
  });
});
