import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeModel, makeTensor, writeModel, type OnnxModel } from '@asrq/onnx';
import { InferenceSession, Tensor } from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { quantizeModel, quantizeModelFile, sqnr, type QuantPlan } from '../src/index.js';
import { buildModel, floatInfo, randomFloats } from './graph-builder.js';
import { checkModel, onnxChecker } from './onnx-checker.js';

/** The IR version torch and onnx pair with each opset. */
const IR_OF: Record<number, number> = { 11: 6, 12: 7, 13: 7, 14: 7, 15: 8, 16: 8, 17: 8, 18: 8, 19: 9, 20: 9, 21: 10 };
const OPSETS = Object.keys(IR_OF).map(Number);

/** x [B, 8, T] -> Conv1d(8 -> 16, k 3, stride 2, pad 1, bias) -> Relu -> Transpose -> MatMul [16, 12] -> y [B, T', 12]. */
function convNet(opset: number): OnnxModel {
  return buildModel({
    opset,
    irVersion: IR_OF[opset]!,
    inputs: [floatInfo('x', ['batch', 8, 'time'])],
    outputs: [floatInfo('y', ['batch', 'frames', 12])],
    initializers: [
      makeTensor('conv.weight', randomFloats(16 * 8 * 3, 11, 0.4), [16, 8, 3]),
      makeTensor('conv.bias', randomFloats(16, 12, 0.1), [16]),
      makeTensor('proj.weight', randomFloats(16 * 12, 13, 0.4), [16, 12]),
    ],
    nodes: [
      {
        op_type: 'Conv',
        name: '/encoder/conv/Conv',
        input: ['x', 'conv.weight', 'conv.bias'],
        output: ['c'],
        attribute: [
          { name: 'kernel_shape', type: 7, ints: [3] },
          { name: 'strides', type: 7, ints: [2] },
          { name: 'pads', type: 7, ints: [1, 1] },
        ],
      },
      { op_type: 'Relu', name: '/encoder/act/Relu', input: ['c'], output: ['r'] },
      {
        op_type: 'Transpose',
        name: '/encoder/Transpose',
        input: ['r'],
        output: ['t'],
        attribute: [{ name: 'perm', type: 7, ints: [0, 2, 1] }],
      },
      { op_type: 'MatMul', name: '/proj/MatMul', input: ['t', 'proj.weight'], output: ['y'] },
    ],
  });
}

/** Loud and quiet frames (the case per-row ranges are for). */
function feeds(seed: number): Record<string, Tensor> {
  const x = randomFloats(2 * 8 * 40, seed);
  for (let i = 0; i < x.length; i++) if (i % 40 < 10) x[i]! *= 30;
  return { x: new Tensor('float32', x, [2, 8, 40]) };
}

const PLANS: Record<string, QuantPlan> = {
  'dynamic, conv as MatMul, per-row ranges': {
    version: 1,
    rules: [{ select: '', mode: 'dynamic', convAsMatMul: true, activationScale: 'row' }],
  },
  'dynamic, conv as MatMul, per-utterance range': {
    version: 1,
    rules: [{ select: '', mode: 'dynamic', convAsMatMul: true }],
  },
  'dynamic ConvInteger + DynamicQuantizeMatMul': {
    version: 1,
    rules: [{ select: '', mode: 'dynamic', ops: ['Conv', 'MatMul'], format: 'DynamicQuantizeMatMul' }],
  },
  'static per tensor': { version: 1, rules: [{ select: '', mode: 'static', perChannel: false }] },
};

async function run(model: OnnxModel | string, f: Record<string, Tensor>): Promise<Float32Array> {
  const options = { intraOpNumThreads: 1 };
  const s =
    typeof model === 'string'
      ? await InferenceSession.create(model, options)
      : await InferenceSession.create(encodeModel(model), options);
  const out = await s.run(f);
  await s.release();
  return out.y!.data as Float32Array;
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'asrq-opsets-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('every form is written as the model opset has it', () => {
  for (const [name, plan] of Object.entries(PLANS)) {
    it(`${name}: valid, runs, and gives the same outputs at opsets ${OPSETS.join(', ')}`, async () => {
      const calibration = [feeds(1), feeds(2)];
      let reference: Float32Array | undefined;
      for (const opset of OPSETS) {
        const model = convNet(opset);
        const want = await run(model, feeds(7));
        const result = await quantizeModel(model, plan, { calibration });
        expect(
          result.outcomes.every((o) => o.status === 'quantized'),
          `${opset}`,
        ).toBe(true);
        expect(result.opset).toBe(opset);
        expect(model.proto.opset_import!.find((o) => !o.domain)!.version, 'the opset is never changed').toBe(opset);
        expect(Number(model.proto.ir_version), 'nor the IR version').toBe(IR_OF[opset]);
        const path = join(dir, `${name.replace(/\W+/g, '-')}-${opset}.onnx`);
        await writeModel(model, path);
        const got = await run(path, feeds(7));
        expect(sqnr(want, got), `opset ${opset}`).toBeGreaterThan(25);
        // The same arithmetic in another spelling: bit-identical results across opsets.
        reference ??= got;
        expect(Array.from(got), `opset ${opset} vs ${OPSETS[0]}`).toEqual(Array.from(reference));
        if (onnxChecker && opset <= onnxChecker.maxOpset) expect(checkModel(path), `onnx.checker at ${opset}`).toBe('');
      }
    });
  }

  it(
    onnxChecker
      ? `onnx ${onnxChecker.version} from ${onnxChecker.python} checks opsets up to ${onnxChecker.maxOpset}`
      : 'onnx.checker skipped: no python with onnx (Debian python3-onnx, or ASRQ_PYTHON)',
    () => {
      if (onnxChecker) expect(onnxChecker.maxOpset).toBeGreaterThanOrEqual(17);
    },
  );

  it('per-row ranges spell QuantizeLinear out below opset 13, and Shape ranges below 15', async () => {
    const plan = PLANS['dynamic, conv as MatMul, per-row ranges']!;
    const ops = async (opset: number): Promise<string[]> => {
      const model = convNet(opset);
      await quantizeModel(model, plan);
      return model.proto.graph!.node!.map((n) => n.op_type ?? '');
    };
    expect(await ops(11)).toEqual(expect.arrayContaining(['Round', 'Clip', 'Cast']));
    expect(await ops(11)).not.toContain('QuantizeLinear');
    expect(await ops(13)).toContain('QuantizeLinear');
    const shapeRanged = (m: OnnxModel) =>
      m.proto.graph!.node!.filter((n) => n.op_type === 'Shape' && n.attribute?.some((a) => a.name === 'end'));
    const m14 = convNet(14);
    await quantizeModel(m14, plan);
    expect(shapeRanged(m14)).toHaveLength(0);
    const m15 = convNet(15);
    await quantizeModel(m15, plan);
    expect(shapeRanged(m15)).toHaveLength(1);
  });

  it('refuses a form the opset lacks before changing anything, naming rule, op, opsets and what to do', async () => {
    const model = convNet(12);
    const before = encodeModel(model);
    const plan: QuantPlan = { version: 1, rules: [{ select: 'encoder', mode: 'static' }] };
    await expect(quantizeModel(model, plan, { calibration: [feeds(1)] })).rejects.toMatchObject({
      code: 'QUANT_OPSET_TOO_LOW',
      message: expect.stringMatching(
        /Rule 1 \(static "encoder"\) quantizes Conv .*needs ai\.onnx opset 13 .*has opset 12.*"perChannel": false/s,
      ),
    });
    expect(Buffer.from(encodeModel(model)).equals(Buffer.from(before))).toBe(true);
    // With one scale per tensor the same rule works at opset 12.
    const ok = await quantizeModel(
      convNet(12),
      { version: 1, rules: [{ select: 'encoder', mode: 'static', perChannel: false }] },
      { calibration: [feeds(1)] },
    );
    expect(ok.outcomes[0]!.status).toBe('quantized');
  });

  it('with opset asked for (--opset), upgrades first and then quantizes per channel', async () => {
    const input = join(dir, 'upgrade-12.onnx');
    await writeModel(convNet(12), input);
    const output = join(dir, 'upgrade-12.int8.onnx');
    const report = await quantizeModelFile(
      input,
      output,
      { version: 1, rules: [{ select: 'encoder', mode: 'static' }] },
      {
        calibration: [feeds(1)],
        validateWith: feeds(3),
        opset: 13,
      },
    );
    expect(report.upgraded).toMatchObject({ from: 12, to: 13, irVersion: { from: 7, to: 7 } });
    expect(report.opset).toBe(13);
    expect(report.sqnr.y).toBeGreaterThan(25);
    if (onnxChecker) expect(checkModel(output)).toBe('');
  });
});
