import { encodeModel, makeTensor, type OnnxModel } from '@asrq/onnx';
import { InferenceSession, Tensor } from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { dequantizeBlockInt4, quantizeBlockInt4 } from '../src/block-int4.js';
import { emitMatMulNBits } from '../src/emit/nbits.js';
import { GraphContext } from '../src/graph-context.js';
import { quantizeModel, sqnr } from '../src/index.js';
import { buildModel, floatInfo, randomFloats } from './graph-builder.js';

const K = 80;
const N = 48;

/** x [B, 80] -> MatMul W [80, 48] -> y, and a Gemm(transB, alpha, C) head. */
function net(): OnnxModel {
  return buildModel({
    inputs: [floatInfo('x', ['batch', K])],
    outputs: [floatInfo('y', ['batch', N]), floatInfo('z', ['batch', 8])],
    initializers: [
      makeTensor('w', randomFloats(K * N, 41, 0.3), [K, N]),
      makeTensor('g', randomFloats(8 * N, 42, 0.3), [8, N]),
      makeTensor('c', randomFloats(8, 43, 0.1), [8]),
    ],
    nodes: [
      { op_type: 'MatMul', name: '/proj/MatMul', input: ['x', 'w'], output: ['y'] },
      {
        op_type: 'Gemm',
        name: '/head/Gemm',
        input: ['y', 'g', 'c'],
        output: ['z'],
        attribute: [
          { name: 'transB', type: 2, i: 1 },
          { name: 'alpha', type: 1, f: 0.5 },
        ],
      },
    ],
  });
}

const feeds = { x: new Tensor('float32', randomFloats(5 * K, 44), [5, K]) };

async function run(model: OnnxModel): Promise<Record<string, Float32Array>> {
  const s = await InferenceSession.create(encodeModel(model), { intraOpNumThreads: 1 });
  const out = await s.run(feeds);
  await s.release();
  return Object.fromEntries(Object.entries(out).map(([k, v]) => [k, v.data as Float32Array]));
}

describe('4-bit weights (MatMulNBits)', () => {
  it('onnxruntime computes with exactly the weights asrq packed (float compute)', async () => {
    const model = net();
    const ctx = new GraphContext(model);
    const w = randomFloats(K * N, 41, 0.3);
    model.proto.graph!.node = [];
    emitMatMulNBits(ctx, { name: '/proj/MatMul' }, 'x', { name: 'w', data: w, k: K, n: N }, 'y', {
      blockSize: 16,
      accuracyLevel: 0,
    });
    model.proto.graph!.output = [floatInfo('y', ['batch', N])];
    const got = (await run(model)).y!;
    const deq = dequantizeBlockInt4(quantizeBlockInt4(w, K, N, 16), K, N, 16);
    const x = feeds.x.data as Float32Array;
    for (let b = 0; b < 5; b++)
      for (let c = 0; c < N; c++) {
        let want = 0;
        for (let r = 0; r < K; r++) want += x[b * K + r]! * deq[r * N + c]!;
        expect(got[b * N + c]!).toBeCloseTo(want, 4);
      }
  });

  it('a dynamic rule with weights int4 turns MatMul and Gemm into MatMulNBits, close to float', async () => {
    const want = await run(net());
    const model = net();
    const result = await quantizeModel(model, {
      version: 1,
      rules: [{ select: '', mode: 'dynamic', weights: 'int4', blockSize: 16 }],
    });
    expect(result.outcomes.map((o) => o.status)).toEqual(['quantized', 'quantized']);
    expect(model.proto.graph!.node!.map((n) => n.op_type)).toEqual(['MatMulNBits', 'MatMulNBits']);
    const got = await run(model);
    expect(sqnr(want.y!, got.y!)).toBeGreaterThan(15);
    expect(sqnr(want.z!, got.z!)).toBeGreaterThan(12);
  });
});
