import { defaultModelPath } from '@asrq/fixtures';
import { readModel } from '@asrq/onnx';
import { quantizeModel } from '@asrq/quantize';
import { describe, expect, it } from 'vitest';
import { compilePlan, findGroups, modulePaths } from './groups.js';

describe('groups and plan compilation on the bundled model', () => {
  it('splits each layer into weight and attention MatMul groups, and compiled rules hit exactly the chosen groups', async () => {
    const model = await readModel(defaultModelPath);
    const groups = findGroups(model);
    const layer0 = 'encoder.wav2vec2.model.encoder.layers.0';
    expect(groups.find((g) => g.id === `${layer0}|weight-matmul`)!.nodes).toHaveLength(6);
    expect(groups.find((g) => g.id === `${layer0}|act-matmul`)!.nodes).toHaveLength(2);
    expect(groups.filter((g) => g.family === 'conv')).toHaveLength(4);
    const plan = compilePlan(
      groups,
      {
        [`${layer0}|weight-matmul`]: { mode: 'dynamic', perChannel: false },
        'encoder.ctc_lin|weight-matmul': { mode: 'dynamic', perChannel: true },
      },
      modulePaths(model),
      { n: 10, seed: 0 },
    );
    expect(plan.rules.find((r) => r.select === `${layer0}.attention*`)!.mode).toBe('float');
    const { outcomes } = await quantizeModel(model, plan);
    const quantized = outcomes.filter((o) => o.status === 'quantized');
    expect(quantized).toHaveLength(7);
    expect(quantized.every((o) => o.modulePath.startsWith(`${layer0}.`) || o.modulePath === 'encoder.ctc_lin')).toBe(
      true,
    );
  });
});
