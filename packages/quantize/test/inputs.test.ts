import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataType, encodeModel, makeTensor, readModel, writeModel, type OnnxModel, type TensorProto } from '@asrq/onnx';
import { float16ToFloat32, toFloat16Bits as float32ToFloat16 } from '@asrq/runtime';
import { InferenceSession, Tensor } from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  formatQuantizeReport,
  quantizeModel,
  quantizeModelFile,
  sensitivityReport,
  sqnr,
  type QuantPlan,
} from '../src/index.js';
import { buildModel, floatInfo, randomFloats } from './graph-builder.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'asrq-inputs-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const DYNAMIC: QuantPlan = { version: 1, rules: [{ select: '', mode: 'dynamic' }] };

function half(name: string, values: Float32Array, dims: number[]): TensorProto {
  const bits = float32ToFloat16(values);
  return { name, data_type: DataType.FLOAT16, dims, raw_data: new Uint8Array(bits.buffer) };
}

/** An fp16 export as optimum writes it: fp16 weights, inputs and outputs, one Cast to float16 inside. */
function fp16Net(): OnnxModel {
  return buildModel({
    inputs: [floatInfo('x', ['batch', 16], DataType.FLOAT16)],
    outputs: [floatInfo('y', ['batch', 8], DataType.FLOAT16)],
    initializers: [
      half('w1', randomFloats(16 * 12, 21, 0.4), [16, 12]),
      half('b1', randomFloats(12, 22, 0.1), [12]),
      half('w2', randomFloats(12 * 8, 23, 0.4), [12, 8]),
      makeTensor('scale', Float32Array.of(0.5), []),
    ],
    nodes: [
      { op_type: 'MatMul', name: '/l1/MatMul', input: ['x', 'w1'], output: ['h'] },
      { op_type: 'Add', name: '/l1/Add', input: ['h', 'b1'], output: ['hb'] },
      { op_type: 'Relu', name: '/l1/Relu', input: ['hb'], output: ['r'] },
      {
        op_type: 'Cast',
        name: '/l1/Cast',
        input: ['scale'],
        output: ['scale16'],
        attribute: [{ name: 'to', type: 2, i: DataType.FLOAT16 }],
      },
      { op_type: 'Mul', name: '/l1/Mul', input: ['r', 'scale16'], output: ['rs'] },
      { op_type: 'MatMul', name: '/l2/MatMul', input: ['rs', 'w2'], output: ['y'] },
    ],
  });
}

const fp16Feeds = (seed: number): Record<string, Tensor> => ({
  x: new Tensor('float16', float32ToFloat16(randomFloats(4 * 16, seed)), [4, 16]),
});

async function runFloats(model: OnnxModel | string, feeds: Record<string, Tensor>): Promise<Record<string, Tensor>> {
  const options = { intraOpNumThreads: 1 };
  const s =
    typeof model === 'string'
      ? await InferenceSession.create(model, options)
      : await InferenceSession.create(encodeModel(model), options);
  try {
    return await s.run(feeds);
  } finally {
    await s.release();
  }
}

describe('float16 exports', () => {
  it('quantize: weights int8, float parts float32, inputs and outputs still float16, close to the fp16 model', async () => {
    const input = join(dir, 'fp16.onnx');
    await writeModel(fp16Net(), input);
    const output = join(dir, 'fp16.int8.onnx');
    const report = await quantizeModelFile(input, output, DYNAMIC, { validateWith: fp16Feeds(3) });
    expect(report.nodes.map((n) => n.status)).toEqual(['quantized', 'quantized']);
    expect(report.float16).toEqual({ tensors: 3, nodes: 1, inputs: ['x'], outputs: ['y'] });
    expect(report.sqnr.y).toBeGreaterThan(25);
    expect(formatQuantizeReport(report)).toContain('float16 model: 3 float16 tensors made float32');
    const out = await readModel(output);
    const g = out.proto.graph!;
    expect(g.input![0]!.type!.tensor_type!.elem_type).toBe(DataType.FLOAT16);
    expect(g.output![0]!.type!.tensor_type!.elem_type).toBe(DataType.FLOAT16);
    expect(g.initializer!.filter((t) => t.data_type === DataType.FLOAT16)).toHaveLength(0);
    const got = await runFloats(output, fp16Feeds(4));
    const want = await runFloats(input, fp16Feeds(4));
    expect(got.y!.type).toBe('float16');
    const db = sqnr(float16ToFloat32(want.y!.data as Uint16Array), float16ToFloat32(got.y!.data as Uint16Array));
    expect(db).toBeGreaterThan(25);
  });

  it('static rules calibrate a float16 model and sensitivity compares float16 outputs', async () => {
    const model = fp16Net();
    const result = await quantizeModel(
      model,
      { version: 1, rules: [{ select: '', mode: 'static' }] },
      {
        calibration: [fp16Feeds(1), fp16Feeds(2)],
      },
    );
    expect(result.outcomes.map((o) => o.status)).toEqual(['quantized', 'quantized']);
    const input = join(dir, 'fp16-s.onnx');
    await writeModel(fp16Net(), input);
    const report = await sensitivityReport(input, DYNAMIC, { sample: fp16Feeds(5) });
    expect(report.entries.map((e) => e.module)).toEqual(['l1', 'l2']);
    for (const e of report.entries) expect(e.sqnr.y).toBeGreaterThan(25);
    expect(Number.isFinite(report.full.sqnr.y!)).toBe(true);
  });
});

/** x -> MatMul(W) -> Log -> y: Log of a negative product gives NaN. */
function nanNet(): OnnxModel {
  return buildModel({
    inputs: [floatInfo('x', [1, 'time', 4])],
    outputs: [floatInfo('y', [1, 'time', 4])],
    initializers: [makeTensor('w', Float32Array.from([1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1]), [4, 4])],
    nodes: [
      { op_type: 'MatMul', name: '/m/MatMul', input: ['x', 'w'], output: ['p'] },
      { op_type: 'Log', name: '/m/Log', input: ['p'], output: ['y'] },
    ],
  });
}

describe('validation before the output exists', () => {
  it('NaN from the input model is an error naming it, the output and the frame; nothing is written', async () => {
    const input = join(dir, 'nan.onnx');
    await writeModel(nanNet(), input);
    const x = new Float32Array(12).fill(1);
    x[9] = -1; // frame 2
    const output = join(dir, 'nan.int8.onnx');
    await expect(
      quantizeModelFile(input, output, DYNAMIC, { validateWith: { x: new Tensor('float32', x, [1, 3, 4]) } }),
    ).rejects.toMatchObject({
      code: 'QUANT_NON_FINITE',
      message: expect.stringMatching(/nan\.onnx gives NaN in output "y" at frame 2 \(row 0\)/),
    });
    expect(existsSync(output)).toBe(false);
    expect((await readdir(dir)).filter((f) => f.includes('staged'))).toEqual([]);
  });

  it('a failing validation leaves nothing at the output path, and neither does an abort during it', async () => {
    const input = join(dir, 'ok.onnx');
    await writeModel(nanNet(), input);
    const output = join(dir, 'ok.int8.onnx');
    // The wrong input rank: the input model itself cannot run on the sample.
    await expect(
      quantizeModelFile(input, output, DYNAMIC, {
        validateWith: { x: new Tensor('float32', new Float32Array(4).fill(1), [4]) },
      }),
    ).rejects.toMatchObject({ code: 'QUANT_VALIDATION_FAILED', message: expect.stringContaining('x [4] float32') });
    expect(existsSync(output)).toBe(false);
    const controller = new AbortController();
    await expect(
      quantizeModelFile(input, output, DYNAMIC, {
        validateWith: { x: new Tensor('float32', new Float32Array(12).fill(1), [1, 3, 4]) },
        signal: controller.signal,
        onProgress: (e) => {
          if (e.status === 'validating') controller.abort();
        },
      }),
    ).rejects.toMatchObject({ code: 'ABORTED' });
    expect(existsSync(output)).toBe(false);
    expect((await readdir(dir)).filter((f) => f.includes('staged'))).toEqual([]);
    // And without a problem, it is there.
    await quantizeModelFile(input, output, DYNAMIC);
    expect(existsSync(output)).toBe(true);
  });
});

describe('already quantized models', () => {
  it('a second pass finds nothing left, says why, and writes nothing', async () => {
    const input = join(dir, 'q1.onnx');
    await writeModel(nanNet(), input);
    await quantizeModelFile(input, join(dir, 'q2.onnx'), DYNAMIC);
    await expect(quantizeModelFile(join(dir, 'q2.onnx'), join(dir, 'q3.onnx'), DYNAMIC)).rejects.toMatchObject({
      code: 'QUANT_ALREADY_QUANTIZED',
      message: expect.stringMatching(
        /already quantized \(1 DynamicQuantizeLinear, 1 MatMulInteger; metadata asrq\.quantization/,
      ),
    });
    expect(existsSync(join(dir, 'q3.onnx'))).toBe(false);
  });

  it('nodes fed by DequantizeLinear (a QDQ model) are skipped with the reason', async () => {
    const model = buildModel({
      inputs: [floatInfo('x', [2, 4])],
      outputs: [floatInfo('y', [2, 4])],
      initializers: [
        makeTensor('wq', new Int8Array(16).fill(3), [4, 4]),
        makeTensor('ws', Float32Array.of(0.1), []),
        makeTensor('wz', new Int8Array(1), []),
      ],
      nodes: [
        { op_type: 'DequantizeLinear', name: '/m/dq', input: ['wq', 'ws', 'wz'], output: ['w'] },
        { op_type: 'MatMul', name: '/m/MatMul', input: ['x', 'w'], output: ['y'] },
      ],
    });
    const result = await quantizeModel(model, DYNAMIC);
    expect(result.outcomes[0]).toMatchObject({
      status: 'skipped',
      reason: expect.stringContaining('already quantized'),
    });
    expect(result.alreadyQuantized?.ops).toEqual({ DequantizeLinear: 1 });
  });
});

describe('onnxruntime-optimized graphs', () => {
  /** com.microsoft Attention with a packed [16, 48] weight, as onnxruntime's transformers optimizer writes it. */
  function attentionNet(): OnnxModel {
    const model = buildModel({
      inputs: [floatInfo('x', [1, 'seq', 16])],
      outputs: [floatInfo('y', [1, 'seq', 16])],
      initializers: [
        makeTensor('qkv_w', randomFloats(16 * 48, 31, 0.4), [16, 48]),
        makeTensor('qkv_b', randomFloats(48, 32, 0.1), [48]),
      ],
      nodes: [
        {
          op_type: 'Attention',
          domain: 'com.microsoft',
          name: '/layers.0/attention/Attention',
          input: ['x', 'qkv_w', 'qkv_b'],
          output: ['y'],
          attribute: [{ name: 'num_heads', type: 2, i: 4 }],
        },
      ],
    });
    model.proto.opset_import!.push({ domain: 'com.microsoft', version: 1 });
    return model;
  }

  it('Attention becomes QAttention and stays close to float; MultiHeadAttention is kept with a reason', async () => {
    const feeds = { x: new Tensor('float32', randomFloats(7 * 16, 33), [1, 7, 16]) };
    const want = await runFloats(attentionNet(), feeds);
    const model = attentionNet();
    const result = await quantizeModel(model, DYNAMIC);
    expect(result.outcomes[0]!.status).toBe('quantized');
    expect(model.proto.graph!.node!.map((n) => n.op_type)).toEqual(['DynamicQuantizeLinear', 'QAttention']);
    const got = await runFloats(model, feeds);
    expect(sqnr(want.y!.data as Float32Array, got.y!.data as Float32Array)).toBeGreaterThan(25);
    const mha = buildModel({
      inputs: [floatInfo('q', [1, 'seq', 16]), floatInfo('k', [1, 'seq', 16]), floatInfo('v', [1, 'seq', 16])],
      outputs: [floatInfo('y', [1, 'seq', 16])],
      initializers: [],
      nodes: [
        {
          op_type: 'MultiHeadAttention',
          domain: 'com.microsoft',
          name: '/layers.0/attention/MultiHeadAttention',
          input: ['q', 'k', 'v'],
          output: ['y'],
          attribute: [{ name: 'num_heads', type: 2, i: 4 }],
        },
      ],
    });
    const kept = await quantizeModel(mha, DYNAMIC);
    expect(kept.outcomes[0]).toMatchObject({ status: 'skipped', reason: expect.stringContaining('kept float') });
  });
});

describe('external data', () => {
  /** x [B, 64] -> MatMul [64, 64]: a weight still over 1 KB in int8. */
  const wideNet = (): OnnxModel =>
    buildModel({
      inputs: [floatInfo('x', ['batch', 64])],
      outputs: [floatInfo('y', ['batch', 64])],
      initializers: [makeTensor('w', randomFloats(64 * 64, 51, 0.3), [64, 64])],
      nodes: [{ op_type: 'MatMul', name: '/m/MatMul', input: ['x', 'w'], output: ['y'] }],
    });
  const wideFeeds = { x: new Tensor('float32', randomFloats(2 * 64, 52), [2, 64]) };

  it('an input with external data gives an output with external data; its data file is never the output', async () => {
    const input = join(dir, 'ext', 'model.onnx');
    await writeModel(wideNet(), input, { externalDataThreshold: 64 });
    const before = await readFile(`${input}.data`);
    await expect(quantizeModelFile(input, `${input}.data`, DYNAMIC)).rejects.toMatchObject({
      code: 'QUANT_OUTPUT_IS_INPUT',
      message: expect.stringContaining("the input's external-data file"),
    });
    const report = await quantizeModelFile(input, join(dir, 'ext', 'int8.onnx'), DYNAMIC, { validateWith: wideFeeds });
    expect(report.externalData).toBe(true);
    expect(existsSync(join(dir, 'ext', 'int8.onnx.data'))).toBe(true);
    expect((await readFile(`${input}.data`)).equals(before)).toBe(true);
    const report2 = await sensitivityReport(input, DYNAMIC, { sample: wideFeeds });
    expect(report2.entries).toHaveLength(1);
  });

  it('a single-file output replaces an earlier one with external data and removes its stale data file', async () => {
    const input = join(dir, 'ext2', 'model.onnx');
    await writeModel(wideNet(), input);
    const output = join(dir, 'ext2', 'out.onnx');
    expect((await quantizeModelFile(input, output, DYNAMIC, { externalDataThreshold: 64 })).externalData).toBe(true);
    expect(existsSync(`${output}.data`)).toBe(true);
    expect((await quantizeModelFile(input, output, DYNAMIC)).externalData).toBe(false);
    expect(existsSync(`${output}.data`)).toBe(false);
    // Tensors all under the threshold: no empty data file either.
    const small = join(dir, 'ext2', 'small.onnx');
    expect((await quantizeModelFile(input, small, DYNAMIC, { externalDataThreshold: 1e9 })).externalData).toBe(false);
    expect(existsSync(`${small}.data`)).toBe(false);
  });

  it('an output path that is a folder is refused before any work, naming it', async () => {
    const input = join(dir, 'ext3', 'model.onnx');
    await writeModel(wideNet(), input);
    await expect(quantizeModelFile(input, join(dir, 'ext3'), DYNAMIC)).rejects.toMatchObject({
      code: 'ONNX_WRITE_FAILED',
      message: expect.stringContaining('it is a folder'),
    });
  });
});

describe('shared plans', () => {
  it('onNoMatch warn turns a rule that matches nothing into a warning naming the family', async () => {
    const plan: QuantPlan = {
      version: 1,
      family: 'test nets: modules l1, l2',
      onNoMatch: 'warn',
      rules: [
        { select: '', mode: 'dynamic' },
        { select: 'decoder', mode: 'float' },
      ],
    };
    const result = await quantizeModel(fp16Net(), plan);
    expect(result.warnings).toEqual([
      expect.stringMatching(/Rule 2 \(float "decoder"\) matches no node.*written for: test nets/),
    ]);
    await expect(quantizeModel(fp16Net(), { ...plan, onNoMatch: 'error' })).rejects.toMatchObject({
      code: 'QUANT_NO_MATCH',
    });
  });
});
