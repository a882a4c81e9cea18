import { fileURLToPath } from 'node:url';
import { readModel } from '@asrq/onnx';
import { quantizeModel } from '@asrq/quantize';
import { describe, expect, it } from 'vitest';
import { candidateKey, candidatesFor, compilePlan, findGroups, modulePaths } from './groups.js';

const base = fileURLToPath(new URL('../../fixtures/zoo/hf-wav2vec2-base/model.onnx', import.meta.url));

describe('conv as int8 MatMul is a planner candidate', () => {
  it('offers dynamic-im2col for conv groups, and the compiled rule rewrites exactly the chosen conv', async () => {
    expect(candidatesFor('conv', ['minmax']).map(candidateKey)).toEqual([
      'float',
      'dynamic-im2col',
      'dynamic-im2col-row',
      'static-minmax',
    ]);
    expect(candidatesFor('weight-matmul', []).map(candidateKey)).not.toContain('dynamic-im2col');
    const model = await readModel(base);
    const groups = findGroups(model);
    const id = 'wav2vec2.feature_extractor.conv_layers.1|conv';
    expect(groups.map((g) => g.id)).toContain(id);
    const plan = compilePlan(
      groups,
      { [id]: { mode: 'dynamic', perChannel: true, convAsMatMul: true } },
      modulePaths(model),
      { n: 10, seed: 0 },
    );
    expect(plan.rules.find((r) => r.select === 'wav2vec2.feature_extractor.conv_layers.1')).toMatchObject({
      mode: 'dynamic',
      convAsMatMul: true,
      ops: ['Conv'],
    });
    const { outcomes } = await quantizeModel(model, plan);
    expect(outcomes.filter((o) => o.status === 'quantized').map((o) => o.node)).toEqual([
      '/wav2vec2/feature_extractor/conv_layers.1/conv/Conv',
    ]);
    expect(model.proto.graph!.node!.filter((n) => n.op_type === 'MatMulInteger')).toHaveLength(1);
  });
});

describe('per-row conv ranges as a planner candidate', () => {
  it('compiles to a convAsMatMul rule with activationScale row', async () => {
    const model = await readModel(base);
    const groups = findGroups(model);
    const id = 'wav2vec2.feature_extractor.conv_layers.2|conv';
    const plan = compilePlan(
      groups,
      { [id]: { mode: 'dynamic', perChannel: true, convAsMatMul: true, activationScale: 'row' } },
      modulePaths(model),
      { n: 10, seed: 0 },
    );
    expect(plan.rules.find((r) => r.select === 'wav2vec2.feature_extractor.conv_layers.2')).toMatchObject({
      mode: 'dynamic',
      convAsMatMul: true,
      activationScale: 'row',
    });
    const { outcomes } = await quantizeModel(model, plan);
    expect(outcomes.filter((o) => o.status === 'quantized').map((o) => o.node)).toEqual([
      '/wav2vec2/feature_extractor/conv_layers.2/conv/Conv',
    ]);
    expect(model.proto.graph!.node!.filter((n) => n.op_type === 'QuantizeLinear')).toHaveLength(1);
  });
});
