import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readModel, writeModel } from '@asrq/onnx';
import { InferenceSession, Tensor } from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parsePlan, quantizeModel, sqnr } from '../src/index.js';

const root = new URL('../../../', import.meta.url);
const zoo = (family: string): string => fileURLToPath(new URL(`packages/fixtures/zoo/${family}/model.onnx`, root));

/** Deterministic values in [-1, 1). */
function noise(n: number, seed: number): Float32Array {
  const x = new Float32Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    x[i] = (s / 2 ** 32) * 2 - 1;
  }
  return x;
}

/** 1.5 s of normalised chirp + noise for wav2vec2 (as its feature extractor normalises), or 150 frames of per-feature normalised features for NeMo. */
function feedsFor(family: string): Record<string, Tensor> {
  if (family.startsWith('nemo')) {
    const frames = 150;
    const feats = noise(80 * frames, 3).map((v, i) => v * 1.7 + Math.sin(i * 0.01));
    return {
      audio_signal: new Tensor('float32', feats, [1, 80, frames]),
      length: new Tensor('int64', BigInt64Array.of(BigInt(frames)), [1]),
    };
  }
  const n = 24000;
  const x = noise(n, 5).map((v, i) => Math.sin(i * (0.01 + i * 4e-7)) + 0.2 * v);
  const feeds: Record<string, Tensor> = { input_values: new Tensor('float32', x, [1, n]) };
  if (family.includes('large')) feeds.attention_mask = new Tensor('int64', new BigInt64Array(n).fill(1n), [1, n]);
  return feeds;
}

async function run(path: string, feeds: Record<string, Tensor>): Promise<Float32Array> {
  const session = await InferenceSession.create(path, { intraOpNumThreads: 1 });
  const out = await session.run(feeds);
  const data = out[session.outputNames[0]!]!.data as Float32Array;
  await session.release();
  return data;
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'asrq-zoo-plans-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

// Measured on these fixtures and inputs (random weights): wav2vec2-base 34.7 dB, base-matmul-only 46.8,
// large 33.9, large-matmul-only 44.0, conformer 62.9 (its output is log-softmax, whose large common
// offsets inflate SQNR). The bounds sit a few dB lower so an onnxruntime update does not break them.
describe.each([
  { plan: 'wav2vec2-base', family: 'hf-wav2vec2-base', bound: 31, convs: 6, floatOps: { Conv: 2 } },
  { plan: 'wav2vec2-base-matmul-only', family: 'hf-wav2vec2-base', bound: 40, convs: 0, floatOps: { Conv: 8 } },
  { plan: 'wav2vec2-large', family: 'hf-wav2vec2-large-lv60', bound: 29, convs: 6, floatOps: { Conv: 2 } },
  { plan: 'wav2vec2-large-matmul-only', family: 'hf-wav2vec2-large-lv60', bound: 38, convs: 0, floatOps: { Conv: 8 } },
  { plan: 'conformer-ctc', family: 'nemo-conformer-ctc', bound: 50, convs: 4, floatOps: { Conv: 5 } },
])('plan $plan (examples/plans) on the tiny $family', ({ plan, family, bound, convs, floatOps }) => {
  it(`quantizes (${convs} convs as int8 MatMul), runs, and keeps output SQNR above ${bound} dB`, async () => {
    const file = fileURLToPath(new URL(`examples/plans/${plan}.json`, root));
    const parsed = parsePlan(await readFile(file, 'utf8'), { name: file });
    const model = await readModel(zoo(family));
    const result = await quantizeModel(model, parsed);
    expect(result.outcomes.filter((o) => o.opType === 'Conv' && o.status === 'quantized')).toHaveLength(convs);
    const ops = model.proto.graph!.node!.map((n) => n.op_type);
    for (const [op, count] of Object.entries(floatOps)) expect(ops.filter((o) => o === op)).toHaveLength(count);
    const out = join(dir, `${plan}.onnx`);
    await writeModel(model, out);
    const feeds = feedsFor(family);
    const db = sqnr(await run(zoo(family), feeds), await run(out, feeds));
    expect(db).toBeGreaterThan(bound);
  });
});
