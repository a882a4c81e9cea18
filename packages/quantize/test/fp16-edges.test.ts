import { DataType, encodeModel, makeTensor, readModel, writeModel, type OnnxModel, type TensorProto } from '@asrq/onnx';
import { toFloat16Bits } from '@asrq/runtime';
import { InferenceSession, Tensor } from 'onnxruntime-node';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  ModelOps,
  quantizedState,
  quantizeModel,
  sensitivityReport,
  upcastFloat16,
  type QuantPlan,
} from '../src/index.js';
import { defaultModelPath } from '@asrq/fixtures';
import { buildModel, floatInfo, randomFloats } from './graph-builder.js';
import { useTempDirs } from '@asrq/test-temp';

const { tempDir } = useTempDirs();

const H = DataType.FLOAT16;
const half = (name: string, values: Float32Array, dims: number[]): TensorProto => ({
  name,
  data_type: H,
  dims,
  raw_data: new Uint8Array(toFloat16Bits(values).buffer),
});
const x16 = (seed: number, rows = 3): Tensor =>
  new Tensor('float16', toFloat16Bits(randomFloats(rows * 8, seed)), [rows, 8]);

async function runs(model: OnnxModel, feeds: Record<string, Tensor>): Promise<Record<string, Tensor>> {
  const s = await InferenceSession.create(encodeModel(model), { intraOpNumThreads: 1 });
  try {
    return await s.run(feeds);
  } finally {
    await s.release();
  }
}

describe('float16 graphs of every shape run after the upcast', () => {
  it('an initializer listed as a graph input (torch keep_initializers_as_inputs)', async () => {
    const model = buildModel({
      inputs: [floatInfo('x', ['b', 8], H), floatInfo('w', [8, 4], H)],
      outputs: [floatInfo('y', ['b', 4], H)],
      initializers: [half('w', randomFloats(32, 1), [8, 4])],
      nodes: [{ op_type: 'MatMul', name: '/m/MatMul', input: ['x', 'w'], output: ['y'] }],
    });
    upcastFloat16(model);
    expect((await runs(model, { x: x16(2) })).y!.type).toBe('float16');
    expect(model.proto.graph!.input![1]!.type!.tensor_type!.elem_type).toBe(DataType.FLOAT);
  });

  it('a graph input that is also a graph output passes through', async () => {
    const model = buildModel({
      inputs: [floatInfo('x', ['b', 8], H)],
      outputs: [floatInfo('x', ['b', 8], H), floatInfo('y', ['b', 4], H)],
      initializers: [half('w', randomFloats(32, 1), [8, 4])],
      nodes: [{ op_type: 'MatMul', name: '/m/MatMul', input: ['x', 'w'], output: ['y'] }],
    });
    upcastFloat16(model);
    const out = await runs(model, { x: x16(3) });
    expect(out.x!.type).toBe('float16');
    expect(out.y!.type).toBe('float16');
  });

  it('a subgraph (If) that computes on an outer float16 tensor', async () => {
    const branch = (name: string, scale: number) => ({
      name,
      node: [{ op_type: 'Mul', name: `${name}_mul`, input: ['x', `${name}_s`], output: [`${name}_out`] }],
      initializer: [half(`${name}_s`, Float32Array.of(scale), [])],
      output: [floatInfo(`${name}_out`, ['b', 8], H)],
    });
    const model = buildModel({
      inputs: [floatInfo('x', ['b', 8], H), floatInfo('c', [], DataType.BOOL)],
      outputs: [floatInfo('y', ['b', 8], H)],
      initializers: [],
      nodes: [
        {
          op_type: 'If',
          name: '/if/If',
          input: ['c'],
          output: ['y'],
          attribute: [
            { name: 'then_branch', type: 5, g: branch('then', 2) },
            { name: 'else_branch', type: 5, g: branch('else', 3) },
          ],
        },
      ],
    });
    upcastFloat16(model);
    const out = await runs(model, { x: x16(4), c: new Tensor('bool', [true], []) });
    expect(out.y!.type).toBe('float16');
  });

  it('upcasting twice changes nothing the second time', () => {
    const model = buildModel({
      inputs: [floatInfo('x', ['b', 8], H)],
      outputs: [floatInfo('y', ['b', 4], H)],
      initializers: [half('w', randomFloats(32, 1), [8, 4])],
      nodes: [{ op_type: 'MatMul', name: '/m/MatMul', input: ['x', 'w'], output: ['y'] }],
    });
    expect(upcastFloat16(model)).toBeDefined();
    expect(upcastFloat16(model)).toBeUndefined();
  });
});

/** x [b, 8] fp16 -> MatMul w1 [8, 8] -> Gemm w2 [8, 4] -> y, opset 12. */
function net16(opset = 17): OnnxModel {
  return buildModel({
    opset,
    irVersion: 7,
    inputs: [floatInfo('x', ['b', 8], H)],
    outputs: [floatInfo('y', ['b', 4], H)],
    initializers: [half('w1', randomFloats(64, 5, 0.4), [8, 8]), half('w2', randomFloats(32, 6, 0.4), [8, 4])],
    nodes: [
      { op_type: 'MatMul', name: '/l1/MatMul', input: ['x', 'w1'], output: ['h'] },
      { op_type: 'Gemm', name: '/l2/Gemm', input: ['h', 'w2'], output: ['y'] },
    ],
  });
}

describe('float16 and the checks made before the upcast', () => {
  it('a per-channel static rule below opset 13 is refused before anything changes', async () => {
    const model = net16(12);
    const before = encodeModel(model);
    let calibrated = 0;
    const samples = (function* () {
      for (let i = 0; i < 3; i++) {
        calibrated++;
        yield { x: x16(i) };
      }
    })();
    await expect(
      quantizeModel(model, { version: 1, rules: [{ select: '', mode: 'static' }] }, { calibration: samples }),
    ).rejects.toMatchObject({
      code: 'QUANT_OPSET_TOO_LOW',
    });
    expect(calibrated).toBe(0);
    expect(Buffer.from(encodeModel(model)).equals(Buffer.from(before))).toBe(true);
  });

  it('the planner sees float16 weights as weights (families and modes as for float32)', () => {
    const families = new ModelOps(net16()).quantizableNodes().map((n) => [n.node.name, n.family]);
    expect(families).toEqual([
      ['/l1/MatMul', 'weight-matmul'],
      ['/l2/Gemm', 'weight-matmul'],
    ]);
  });

  it('static sensitivity of a float16 model calibrates once, with the names its variants use', async () => {
    const dir = await tempDir('asrq-fp16-sens-');
    const path = join(dir, 'net16.onnx');
    await writeModel(net16(), path);
    let calibrated = 0;
    const calibration = {
      *[Symbol.iterator]() {
        for (let i = 0; i < 2; i++) {
          calibrated++;
          yield { x: x16(10 + i) };
        }
      },
    };
    const plan: QuantPlan = { version: 1, rules: [{ select: '', mode: 'static' }], calibration: { n: 2 } };
    const report = await sensitivityReport(path, plan, { sample: { x: x16(20) }, calibration });
    expect(report.entries.map((e) => e.module)).toEqual(['l1', 'l2']);
    expect(calibrated).toBe(2);
  });
});

describe('quantizedState', () => {
  it('is undefined for a float model (the bundled one)', async () => {
    expect(quantizedState(await readModel(defaultModelPath))).toBeUndefined();
  });
});

describe('4-bit Gemm', () => {
  it('takes a [1, N] C as MatMulNBits bias [N]', async () => {
    const model = buildModel({
      inputs: [floatInfo('x', ['b', 32])],
      outputs: [floatInfo('y', ['b', 16])],
      initializers: [
        makeTensor('w', randomFloats(32 * 16, 7, 0.4), [32, 16]),
        makeTensor('c', randomFloats(16, 8, 0.1), [1, 16]),
      ],
      nodes: [{ op_type: 'Gemm', name: '/g/Gemm', input: ['x', 'w', 'c'], output: ['y'] }],
    });
    const feeds = { x: new Tensor('float32', randomFloats(2 * 32, 9), [2, 32]) };
    await quantizeModel(model, {
      version: 1,
      rules: [{ select: '', mode: 'dynamic', weights: 'int4', blockSize: 16 }],
    });
    expect(model.proto.graph!.node!.map((n) => n.op_type)).toEqual(['MatMulNBits']);
    const out = await runs(model, feeds);
    expect(out.y!.dims).toEqual([2, 16]);
  });
});
