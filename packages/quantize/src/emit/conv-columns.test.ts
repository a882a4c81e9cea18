import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readModel, writeModel, type NodeProto } from '@asrq/onnx';
import { InferenceSession, Tensor } from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultCorpusDir } from '@asrq/fixtures';
import { listCorpus, readFlac } from '../../test/corpus.js';
import { buildModel, floatInfo, makeTensor, randomFloats } from '../../test/graph-builder.js';
import { planConvAsMatMul, rewriteConvAsFloatMatMul } from './conv-columns.js';
import { GraphContext } from '../graph-context.js';
import { validatePlan } from '../plan.js';
import { sqnr } from '../quant-math.js';
import { quantizeModel } from '../quantize-model.js';

const base = fileURLToPath(new URL('../../../fixtures/zoo/hf-wav2vec2-base/model.onnx', import.meta.url));

/** 1.3 s of a deterministic chirp plus noise, normalised like Wav2Vec2FeatureExtractor does. */
function audio(n = 20800): Float32Array {
  const x = new Float32Array(n);
  let s = 7;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    x[i] = Math.sin((i * (0.02 + i * 1e-6)) % (2 * Math.PI)) + (s / 2 ** 32 - 0.5) * 0.3;
  }
  let mean = 0;
  for (const v of x) mean += v / n;
  let sq = 0;
  for (const v of x) sq += (v - mean) ** 2 / n;
  return x.map((v) => (v - mean) / Math.sqrt(sq + 1e-7));
}

async function run(path: string, samples: Float32Array): Promise<Float32Array> {
  const session = await InferenceSession.create(path, { intraOpNumThreads: 1 });
  const out = await session.run({ input_values: new Tensor('float32', samples, [1, samples.length]) });
  await session.release();
  return out.logits!.data as Float32Array;
}

let dir: string;
let reference: Float32Array;
const samples = audio();
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'asrq-conv-matmul-'));
  reference = await run(base, samples);
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('Conv1d as im2col + MatMul (tiny hf-wav2vec2-base)', () => {
  it('float rewrite gives the Conv output: the 6 multi-channel feature convs become MatMul, the first and the grouped positional conv stay', async () => {
    const model = await readModel(base);
    const ctx = new GraphContext(model);
    const convs = model.proto.graph!.node!.filter((n) => n.op_type === 'Conv');
    const removed = new Set<NodeProto>();
    const skipped: string[] = [];
    for (const node of convs) {
      const shape = planConvAsMatMul(ctx, node);
      if ('reason' in shape) {
        skipped.push(node.name!);
        continue;
      }
      rewriteConvAsFloatMatMul(ctx, node, shape);
      removed.add(node);
    }
    model.proto.graph!.node = model.proto.graph!.node!.filter((n) => !removed.has(n));
    ctx.dropUnusedInitializers();
    ctx.sortTopologically();
    expect(removed.size).toBe(6);
    expect(skipped).toEqual([
      '/wav2vec2/feature_extractor/conv_layers.0/conv/Conv',
      '/wav2vec2/encoder/pos_conv_embed/conv/Conv',
    ]);
    const out = join(dir, 'float-im2col.onnx');
    await writeModel(model, out);
    const rewritten = await run(out, samples);
    expect(rewritten.length).toBe(reference.length);
    let maxDiff = 0;
    for (let i = 0; i < reference.length; i++) maxDiff = Math.max(maxDiff, Math.abs(rewritten[i]! - reference[i]!));
    expect(maxDiff).toBeLessThan(1e-4);
  });

  it('int8: convAsMatMul quantizes the 6 convs with MatMulInteger, keeps output SQNR above 25 dB and leaves no ConvInteger', async () => {
    const model = await readModel(base);
    const plan = validatePlan({ version: 1, rules: [{ select: '', mode: 'dynamic', convAsMatMul: true }] });
    const result = await quantizeModel(model, plan);
    const convOutcomes = result.outcomes.filter((o) => o.opType === 'Conv');
    expect(convOutcomes.filter((o) => o.status === 'quantized')).toHaveLength(6);
    expect(convOutcomes.filter((o) => o.status === 'skipped')).toHaveLength(2);
    const ops = model.proto.graph!.node!.map((n) => n.op_type);
    expect(ops).not.toContain('ConvInteger');
    expect(ops.filter((o) => o === 'Conv')).toHaveLength(2);
    // Symmetric int8 weights: one scalar zero point per MatMulInteger, as onnxruntime's quantizer writes (scales stay per channel).
    const inits = new Map(model.proto.graph!.initializer!.map((t) => [t.name, t]));
    const zeroPoints = model.proto
      .graph!.node!.filter((n) => n.op_type === 'MatMulInteger')
      .map((n) => inits.get(n.input![3]!)?.dims?.length);
    expect(zeroPoints.length).toBe(20);
    expect(zeroPoints.every((rank) => rank === 0)).toBe(true);
    const out = join(dir, 'int8-im2col.onnx');
    await writeModel(model, out);
    const db = sqnr(reference, await run(out, samples));
    // Measured 32.6 dB on this fixture and input (every weight MatMul int8 too; the float rewrite differs by 1.4e-6 at most).
    expect(db).toBeGreaterThan(25);
  });
});

describe('per-row activation ranges (activationScale: row)', () => {
  it('beat one range per utterance on real speech (tiny base, a bundled utterance)', async () => {
    // Speech and pauses: one utterance-wide range leaves the quiet frames only a few levels.
    const speech = await readFlac((await listCorpus(defaultCorpusDir))[0]!.path);
    let mean = 0;
    for (const v of speech) mean += v / speech.length;
    let variance = 0;
    for (const v of speech) variance += (v - mean) ** 2 / speech.length;
    const normalized = speech.map((v) => (v - mean) / Math.sqrt(variance + 1e-7));
    const feeds = { input_values: new Tensor('float32', normalized, [1, normalized.length]) };
    const runFeeds = async (path: string): Promise<Float32Array> => {
      const session = await InferenceSession.create(path, { intraOpNumThreads: 1 });
      const out = (await session.run(feeds)).logits!.data as Float32Array;
      await session.release();
      return out;
    };
    const reference = await runFeeds(base);
    const db: Record<string, number> = {};
    for (const activationScale of ['tensor', 'row'] as const) {
      const model = await readModel(base);
      const plan = validatePlan({
        version: 1,
        rules: [{ select: 'wav2vec2.feature_extractor', mode: 'dynamic', convAsMatMul: true, activationScale }],
      });
      const result = await quantizeModel(model, plan);
      expect(result.outcomes.filter((o) => o.status === 'quantized')).toHaveLength(6);
      const out = join(dir, `bursty-${activationScale}.onnx`);
      await writeModel(model, out);
      db[activationScale] = sqnr(reference, await runFeeds(out));
    }
    // Measured: tensor 21.8 dB, row 35.6 dB on this utterance (only the six convs int8).
    expect(db.row!).toBeGreaterThan(db.tensor! + 6);
    expect(db.row!).toBeGreaterThan(30);
  });

  it('is refused without convAsMatMul', () => {
    expect(() =>
      validatePlan({ version: 1, rules: [{ select: '', mode: 'dynamic', activationScale: 'row' }] }),
    ).toThrow(/activationScale: applies to rules with convAsMatMul/u);
  });
});

describe('Conv1d as im2col + MatMul on a padded, strided conv with bias', () => {
  // [1, 8, 37] -> Conv(k=3, stride 2, pads 2/1) -> [1, 5, 19]: padding and an odd length exercise every Slice bound.
  const model = () =>
    buildModel({
      nodes: [
        {
          op_type: 'Conv',
          name: '/enc/conv/Conv',
          input: ['x', 'w', 'b'],
          output: ['y'],
          attribute: [
            { name: 'kernel_shape', type: 7, ints: [3] },
            { name: 'strides', type: 7, ints: [2] },
            { name: 'pads', type: 7, ints: [2, 1] },
          ],
        },
      ],
      inputs: [floatInfo('x', [1, 8, 'T'])],
      outputs: [floatInfo('y', [1, 5, 'U'])],
      initializers: [
        makeTensor('w', randomFloats(5 * 8 * 3, 11, 0.5), [5, 8, 3]),
        makeTensor('b', randomFloats(5, 12, 0.5), [5]),
      ],
    });
  const x = new Tensor('float32', randomFloats(8 * 37, 13), [1, 8, 37]);

  it('float rewrite equals the Conv; int8 keeps SQNR above 30 dB', async () => {
    const original = join(dir, 'padded.onnx');
    await writeModel(model(), original);
    const reference = (await (await InferenceSession.create(original)).run({ x })).y!.data as Float32Array;
    expect(reference.length).toBe(5 * 19);
    const m = model();
    const ctx = new GraphContext(m);
    const conv = m.proto.graph!.node![0]!;
    const shape = planConvAsMatMul(ctx, conv);
    expect('reason' in shape).toBe(false);
    if ('reason' in shape) return;
    rewriteConvAsFloatMatMul(ctx, conv, shape);
    m.proto.graph!.node = m.proto.graph!.node!.filter((n) => n !== conv);
    ctx.sortTopologically();
    const rewritten = join(dir, 'padded-float.onnx');
    await writeModel(m, rewritten);
    const session = await InferenceSession.create(rewritten);
    const got = (await session.run({ x })).y!;
    expect(got.dims).toEqual([1, 5, 19]);
    let maxDiff = 0;
    for (let i = 0; i < reference.length; i++)
      maxDiff = Math.max(maxDiff, Math.abs((got.data as Float32Array)[i]! - reference[i]!));
    expect(maxDiff).toBeLessThan(1e-5);
    const q = model();
    await quantizeModel(q, validatePlan({ version: 1, rules: [{ select: '', mode: 'dynamic', convAsMatMul: true }] }));
    const quantized = join(dir, 'padded-int8.onnx');
    await writeModel(q, quantized);
    const qs = await InferenceSession.create(quantized);
    expect(sqnr(reference, (await qs.run({ x })).y!.data as Float32Array)).toBeGreaterThan(30);
  });
});
