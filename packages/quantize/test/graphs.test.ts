import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataType, decodeModel, encodeModel, floatData, makeTensor, writeModel, type OnnxModel } from '@asrq/onnx';
import { InferenceSession, Tensor } from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { calibrate, quantizeModel, quantizeModelFile, sqnr, type QuantPlan } from '../src/index.js';
import { buildModel, floatInfo, randomFloats } from './graph-builder.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'asrq-quantize-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const hasPythonOnnx = spawnSync('/usr/bin/python3', ['-c', 'import onnx'], { stdio: 'ignore' }).status === 0;

function checkWithOnnxChecker(path: string): void {
  const r = spawnSync(
    '/usr/bin/python3',
    ['-c', 'import onnx,sys; onnx.checker.check_model(onnx.load(sys.argv[1]), full_check=True)', path],
    { encoding: 'utf8' },
  );
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
}

/**
 * x[B,16] -> MatMul(W1) -> h ; h -> MatMul(W1 shared) -> h2 ; MatMul(h, h2^T-like activation) left alone;
 * Gemm(h2, W2, transB=1, alpha, bias) -> y.
 */
function linearGraph(): OnnxModel {
  const w1 = makeTensor('W1', randomFloats(16 * 16, 1, 0.5), [16, 16]);
  const w2 = makeTensor('W2', randomFloats(8 * 16, 2, 0.5), [8, 16]);
  const bias = makeTensor('C', randomFloats(8, 3, 0.1), [8]);
  const perm = makeTensor('perm_unused', Int32Array.of(0), [1]);
  return buildModel({
    inputs: [floatInfo('x', ['batch', 16])],
    outputs: [floatInfo('y', ['batch', 8]), floatInfo('scores', ['batch', 'batch'])],
    initializers: [w1, w2, bias, perm],
    nodes: [
      { op_type: 'MatMul', name: '/block/first/MatMul', input: ['x', 'W1'], output: ['h'] },
      { op_type: 'MatMul', name: '/block/second/MatMul', input: ['h', 'W1'], output: ['h2'] },
      { op_type: 'Transpose', name: '/block/attn/Transpose', input: ['h2'], output: ['h2t'] },
      { op_type: 'MatMul', name: '/block/attn/MatMul', input: ['h', 'h2t'], output: ['scores'] },
      {
        op_type: 'Gemm',
        name: '/head/Gemm',
        input: ['h2', 'W2', 'C'],
        output: ['y'],
        attribute: [
          { name: 'transB', type: 2, i: 1 },
          { name: 'alpha', type: 1, f: 0.5 },
        ],
      },
    ],
  });
}

async function run(model: OnnxModel, feeds: Record<string, Tensor>): Promise<Record<string, Float32Array>> {
  const s = await InferenceSession.create(encodeModel(model), { intraOpNumThreads: 1 });
  const out = await s.run(feeds);
  await s.release();
  return Object.fromEntries(Object.entries(out).map(([k, v]) => [k, v.data as Float32Array]));
}

const xFeeds = (seed: number): Record<string, Tensor> => ({
  x: new Tensor('float32', randomFloats(4 * 16, seed), [4, 16]),
});
const reload = (m: OnnxModel): OnnxModel => decodeModel(encodeModel(m));

describe('dynamic quantization on hand-built graphs', () => {
  for (const format of ['MatMulInteger', 'DynamicQuantizeMatMul'] as const) {
    it(`quantizes constant-weight MatMul and Gemm(transB) with ${format}, leaves activation MatMul alone`, async () => {
      const model = linearGraph();
      const want = await run(model, xFeeds(9));
      const q = reload(model);
      const result = await quantizeModel(q, {
        version: 1,
        rules: [{ select: '', mode: 'dynamic', ops: ['MatMul', 'Gemm'], format }],
      });
      const byNode = Object.fromEntries(result.outcomes.map((o) => [o.node, o]));
      expect(byNode['/block/first/MatMul']!.status).toBe('quantized');
      expect(byNode['/head/Gemm']!.status).toBe('quantized');
      expect(byNode['/block/attn/MatMul']).toMatchObject({ status: 'skipped' });
      expect(byNode['/block/attn/MatMul']!.reason).toContain('not a constant');
      const ops = q.proto.graph!.node!.map((n) => n.op_type);
      expect(ops.filter((o) => o === 'MatMul')).toHaveLength(1);
      expect(ops).not.toContain('Gemm');
      // Shared weight W1 is quantized once; the float copy is gone.
      const inits = q.proto.graph!.initializer!.map((t) => t.name);
      expect(inits.filter((n) => n?.startsWith('W1_quantized'))).toHaveLength(1);
      expect(inits).not.toContain('W1');
      expect(q.proto.graph!.initializer!.find((t) => t.name === 'W1_quantized')!.data_type).toBe(DataType.INT8);
      // Per-channel: one scale per output column.
      expect(floatData(q.proto.graph!.initializer!.find((t) => t.name === 'W1_scale')!)).toHaveLength(16);
      const got = await run(q, xFeeds(9));
      expect(sqnr(want.y!, got.y!)).toBeGreaterThan(25);
      expect(sqnr(want.scores!, got.scores!)).toBeGreaterThan(25);
      // Untouched parts survive: metadata, producer, IR version; one entry records asrq's version and the plan.
      expect(q.proto.metadata_props![0]).toEqual({ key: 'purpose', value: 'test' });
      expect(q.proto.metadata_props).toHaveLength(2);
      expect(q.proto.metadata_props![1]!.key).toBe('asrq.quantization');
      const record = JSON.parse(q.proto.metadata_props![1]!.value!);
      expect(record).toMatchObject({
        opset: 17,
        plan: { version: 1, rules: [{ select: '', mode: 'dynamic', format }] },
      });
      expect(record.asrq).toMatch(/^\d+\.\d+\.\d+/);
      expect(q.proto.producer_name).toBe('asrq-test');
      expect(Number(q.proto.ir_version)).toBe(8);
    });
  }

  it('per-tensor mode stores one scale', async () => {
    const q = reload(linearGraph());
    await quantizeModel(q, { version: 1, rules: [{ select: 'block', mode: 'dynamic', perChannel: false }] });
    const scale = q.proto.graph!.initializer!.find((t) => t.name === 'W1_scale')!;
    expect(scale.dims).toEqual([]);
  });

  it('leaves Gemm with transA=1 to static rules: a dynamic rule skips it with the reason', async () => {
    const m = linearGraph();
    m.proto.graph!.node![4]!.attribute!.push({ name: 'transA', type: 2, i: 1 });
    const dynamic = await quantizeModel(m, { version: 1, rules: [{ select: 'head', mode: 'dynamic' }] });
    expect(dynamic.outcomes[0]).toMatchObject({
      node: '/head/Gemm',
      status: 'skipped',
      reason: expect.stringContaining('transA=1'),
    });
    const s = linearGraph();
    s.proto.graph!.node![4]!.attribute!.push({ name: 'transA', type: 2, i: 1 });
    const ranges = new Map([['h2', { min: -2, max: 2 }]]);
    const quantized = await quantizeModel(s, { version: 1, rules: [{ select: 'head', mode: 'static' }] }, { ranges });
    expect(quantized.outcomes[0]).toMatchObject({ node: '/head/Gemm', status: 'quantized' });
  });

  it('names a selector that matches nothing and points to asrq inspect', async () => {
    await expect(
      quantizeModel(linearGraph(), { version: 1, rules: [{ select: 'encoder.ctc_lin', mode: 'dynamic' }] }),
    ).rejects.toMatchObject({
      code: 'QUANT_NO_MATCH',
      message: expect.stringMatching(/encoder\.ctc_lin.*asrq inspect/s),
    });
  });
});

/** x[1,4,32] -> Conv(k3, bias) -> Relu -> Transpose -> MatMul(W) -> y. */
function convGraph(): OnnxModel {
  return buildModel({
    inputs: [floatInfo('x', [1, 4, 32])],
    outputs: [floatInfo('y', [1, 30, 6])],
    initializers: [
      makeTensor('convW', randomFloats(8 * 4 * 3, 11, 0.5), [8, 4, 3]),
      makeTensor('convB', randomFloats(8, 12, 0.2), [8]),
      makeTensor('W', randomFloats(8 * 6, 13, 0.5), [8, 6]),
    ],
    nodes: [
      {
        op_type: 'Conv',
        name: '/fe/conv/Conv',
        input: ['x', 'convW', 'convB'],
        output: ['c'],
        attribute: [{ name: 'kernel_shape', type: 7, ints: [3] }],
      },
      { op_type: 'Relu', name: '/fe/act/Relu', input: ['c'], output: ['r'] },
      {
        op_type: 'Transpose',
        name: '/fe/Transpose',
        input: ['r'],
        output: ['rt'],
        attribute: [{ name: 'perm', type: 7, ints: [0, 2, 1] }],
      },
      { op_type: 'MatMul', name: '/proj/MatMul', input: ['rt', 'W'], output: ['y'] },
    ],
  });
}

const convFeeds = (seed: number): Record<string, Tensor> => ({
  x: new Tensor('float32', randomFloats(4 * 32, seed), [1, 4, 32]),
});

describe('static quantization on hand-built graphs', () => {
  it('observes exact min/max of known tensors during calibration', async () => {
    const model = convGraph();
    const samples = [convFeeds(1), convFeeds(2), convFeeds(3)];
    const ranges = await calibrate(model, ['x'], samples, { calibrators: new Map([['x', 'minmax']]) });
    const all = samples.flatMap((f) => Array.from(f.x!.data as Float32Array));
    expect(ranges.get('x')).toEqual({ min: Math.min(...all), max: Math.max(...all) });
    // The model itself is not changed by calibration.
    expect(model.proto.graph!.output).toHaveLength(1);
  });

  it('percentile and entropy calibration stay inside the observed range', async () => {
    const model = convGraph();
    const samples = [convFeeds(1), convFeeds(2)];
    const calibrators = new Map([
      ['x', 'percentile' as const],
      ['c', 'entropy' as const],
    ]);
    const ranges = await calibrate(model, ['x', 'c'], samples, { calibrators, percentile: 99 });
    const minmax = await calibrate(model, ['x', 'c'], samples, { calibrators: new Map() });
    for (const t of ['x', 'c']) {
      expect(ranges.get(t)!.min).toBeGreaterThanOrEqual(minmax.get(t)!.min);
      expect(ranges.get(t)!.max).toBeLessThanOrEqual(minmax.get(t)!.max);
      expect(ranges.get(t)!.max).toBeGreaterThan(0);
    }
    // The 99th percentile clips the extremes of uniform input noticeably.
    expect(ranges.get('x')!.max).toBeLessThan(minmax.get('x')!.max);
  });

  it('writes QDQ (int8 per-channel weights, int32 bias) that runs close to float', async () => {
    const model = convGraph();
    const want = await run(model, convFeeds(4));
    const q = reload(model);
    const plan: QuantPlan = { version: 1, rules: [{ select: '', mode: 'static' }] };
    const result = await quantizeModel(q, plan, {
      calibration: [convFeeds(1), convFeeds(2), convFeeds(3), convFeeds(4)],
    });
    expect(result.outcomes.every((o) => o.status === 'quantized')).toBe(true);
    expect(result.calibrationSamples).toBe(4);
    const dqs = q.proto.graph!.node!.filter((n) => n.op_type === 'DequantizeLinear');
    const weightDq = dqs.find((n) => n.input![0] === 'convW_quantized')!;
    expect(weightDq.attribute).toEqual([{ name: 'axis', type: 2, i: 0 }]);
    expect(q.proto.graph!.initializer!.find((t) => t.name === 'convB_quantized')!.data_type).toBe(DataType.INT32);
    const got = await run(q, convFeeds(4));
    expect(sqnr(want.y!, got.y!)).toBeGreaterThan(20);
  });

  it('quantizes Gemm(transB, alpha, bias) statically with an int32 bias', async () => {
    const q = reload(linearGraph());
    await quantizeModel(
      q,
      { version: 1, rules: [{ select: 'head', mode: 'static' }] },
      { calibration: [xFeeds(1), xFeeds(2), xFeeds(3)] },
    );
    const gemm = q.proto.graph!.node!.find((n) => n.op_type === 'Gemm')!;
    expect(gemm.input!.map((i) => q.proto.graph!.node!.find((n) => n.output?.includes(i))?.op_type)).toEqual([
      'DequantizeLinear',
      'DequantizeLinear',
      'DequantizeLinear',
    ]);
    expect(q.proto.graph!.initializer!.find((t) => t.name === 'C_quantized')!.data_type).toBe(DataType.INT32);
    const weightDq = q.proto.graph!.node!.find((n) => n.input?.[0] === 'W2_quantized')!;
    expect(weightDq.attribute).toEqual([{ name: 'axis', type: 2, i: 0 }]);
    const got = await run(q, xFeeds(2));
    const want = await run(linearGraph(), xFeeds(2));
    expect(sqnr(want.y!, got.y!)).toBeGreaterThan(20);
  });

  it('quantizes activation x activation MatMul statically', async () => {
    const q = reload(linearGraph());
    const result = await quantizeModel(
      q,
      { version: 1, rules: [{ select: 'block.attn', mode: 'static' }] },
      { calibration: [xFeeds(1), xFeeds(2)] },
    );
    expect(result.outcomes).toEqual([expect.objectContaining({ node: '/block/attn/MatMul', status: 'quantized' })]);
    const got = await run(q, xFeeds(1));
    const want = await run(linearGraph(), xFeeds(1));
    expect(sqnr(want.scores!, got.scores!)).toBeGreaterThan(20);
  });

  it('asks for calibration data when a static rule has none', async () => {
    await expect(
      quantizeModel(convGraph(), { version: 1, rules: [{ select: 'fe', mode: 'static' }] }),
    ).rejects.toMatchObject({ code: 'QUANT_NEEDS_CALIBRATION' });
  });

  it('quantizes Conv dynamically with ConvInteger only when asked', async () => {
    const q = reload(convGraph());
    const r = await quantizeModel(q, { version: 1, rules: [{ select: '', mode: 'dynamic' }] });
    expect(r.outcomes.map((o) => o.opType)).toEqual(['MatMul']);
    const q2 = reload(convGraph());
    await quantizeModel(q2, { version: 1, rules: [{ select: '', mode: 'dynamic', ops: ['Conv', 'MatMul'] }] });
    expect(q2.proto.graph!.node!.map((n) => n.op_type)).toContain('ConvInteger');
    const got = await run(q2, convFeeds(5));
    const want = await run(convGraph(), convFeeds(5));
    expect(sqnr(want.y!, got.y!)).toBeGreaterThan(20);
  });
});

const filePlans: Record<string, QuantPlan> = {
  dynamic: { version: 1, rules: [{ select: '', mode: 'dynamic', ops: ['MatMul', 'Conv'] }] },
  dqmm: { version: 1, rules: [{ select: '', mode: 'dynamic', format: 'DynamicQuantizeMatMul' }] },
  static: { version: 1, rules: [{ select: '', mode: 'static' }], calibration: { n: 2 } },
  mixed: {
    version: 1,
    rules: [
      { select: 'fe', mode: 'static' },
      { select: 'proj', mode: 'dynamic' },
    ],
  },
};

async function quantizeAllModes(): Promise<string[]> {
  const input = join(dir, 'conv.onnx');
  await writeModel(convGraph(), input);
  const outputs: string[] = [];
  for (const [name, plan] of Object.entries(filePlans)) {
    const output = join(dir, `conv.${name}.onnx`);
    const report = await quantizeModelFile(input, output, plan, {
      calibration: [convFeeds(1), convFeeds(2), convFeeds(3)],
      validateWith: convFeeds(6),
    });
    expect(report.sqnr.y, name).toBeGreaterThan(20);
    expect(report.opsBefore.Conv).toBe(1);
    if (name === 'static') expect(report.calibrationSamples).toBe(2);
    outputs.push(output);
  }
  return outputs;
}

describe('quantizeModelFile', () => {
  it('never overwrites its input', async () => {
    const input = join(dir, 'conv-input.onnx');
    await writeModel(convGraph(), input);
    const before = await readFile(input);
    await expect(quantizeModelFile(input, input, filePlans.dynamic!)).rejects.toMatchObject({
      code: 'QUANT_OUTPUT_IS_INPUT',
    });
    await expect(quantizeModelFile(input, join(dir, '.', 'conv-input.onnx'), filePlans.dynamic!)).rejects.toMatchObject(
      { code: 'QUANT_OUTPUT_IS_INPUT' },
    );
    expect((await readFile(input)).equals(before)).toBe(true);
  });

  it('writes models of every mode that load and run in onnxruntime close to float', async () => {
    expect(await quantizeAllModes()).toHaveLength(4);
  });

  it.skipIf(!hasPythonOnnx)(
    'writes models of every mode that pass onnx.checker (skipped without /usr/bin/python3 + onnx, Debian python3-onnx)',
    async () => {
      for (const output of await quantizeAllModes()) checkWithOnnxChecker(output);
    },
  );
});
