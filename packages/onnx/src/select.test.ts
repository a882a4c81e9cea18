import { defaultModelPath } from '@asrq/fixtures';
import { beforeAll, describe, expect, it } from 'vitest';
import { inspectModel, formatInspection } from './inspect.js';
import { globMatcher, isInModule, modulePathOf } from './module-path.js';
import { formatModuleTree, moduleTree } from './module-tree.js';
import { readModel } from './node-io.js';
import { selectNodes } from './select.js';
import type { OnnxModel } from './types.js';

let model: OnnxModel;
beforeAll(async () => {
  model = await readModel(defaultModelPath);
});

describe('module paths', () => {
  it('turns PyTorch scopes into dotted module paths', () => {
    expect(modulePathOf({ name: '/encoder/wav2vec2/model/encoder/layers.0/attention/q_proj/MatMul' })).toBe(
      'encoder.wav2vec2.model.encoder.layers.0.attention.q_proj',
    );
    expect(modulePathOf({ name: 'Constant_12' })).toBe('');
  });

  it('matches prefixes on dot boundaries and globs per segment', () => {
    expect(isInModule('encoder.enc.linear1', 'encoder.enc')).toBe(true);
    expect(isInModule('encoder.encoder.x', 'encoder.enc')).toBe(false);
    const g = globMatcher('encoder.*.attention');
    expect(g('encoder.x.attention')).toBe(true);
    expect(g('encoder.x.y.attention')).toBe(false);
    expect(globMatcher('encoder.**.q_proj')('encoder.a.b.q_proj')).toBe(true);
  });
});

describe('selectNodes on the bundled model', () => {
  it('selects the seed modules by prefix and op type, with exclusions', () => {
    const layers = selectNodes(model, { modules: ['encoder.wav2vec2.model.encoder.layers'], opTypes: ['MatMul'] });
    expect(layers).toHaveLength(40);
    const all = selectNodes(model, { opTypes: ['MatMul'], excludeModules: ['encoder.ctc_lin'] });
    expect(all).toHaveLength(44);
    expect(all.some((s) => s.modulePath === 'encoder.ctc_lin')).toBe(false);
    const attention = selectNodes(model, {
      globs: ['encoder.wav2vec2.model.encoder.layers.*.attention'],
      opTypes: ['MatMul'],
    });
    expect(attention.map((s) => s.node.name)).toContain('/encoder/wav2vec2/model/encoder/layers.3/attention/MatMul_1');
    expect(attention).toHaveLength(10);
    expect(selectNodes(model, { modules: ['encoder.nothing.here'] })).toHaveLength(0);
    expect(selectNodes(model, { opTypes: ['Conv'], excludeGlobs: ['**.spectrogram.**'] })).toHaveLength(3);
  });
});

describe('inspectModel', () => {
  it('reports I/O, metadata, op counts and a module tree that adds up', () => {
    const info = inspectModel(model);
    expect(info.inputs.map((i) => [i.name, i.type])).toEqual([
      ['audio', 'float32'],
      ['audio_lengths', 'int64'],
    ]);
    expect(info.outputs[0]).toMatchObject({ name: 'log_probs', type: 'float32' });
    expect(info.metadata).toMatchObject({ model_type: 'ctc', sample_rate: '16000', blank_id: '0', vocab_size: '256' });
    expect(info.opsets).toContainEqual({ domain: '', version: 17 });
    expect(info.opHistogram.MatMul).toBe(45);
    expect(info.nodeCount).toBe(622);
    const tree = moduleTree(model);
    const sumChildren = tree.children.reduce((s, c) => s + c.nodeCount, 0);
    expect(sumChildren).toBeLessThanOrEqual(tree.nodeCount);
    const encoder = tree.children.find((c) => c.name === 'encoder')!;
    const ctc = encoder.children.find((c) => c.name === 'ctc_lin')!;
    expect(ctc.params).toBe(256 * 256 + 256);
    expect(info.parameterCount).toBeGreaterThan(4_490_000);
    const text = formatModuleTree(tree, { depth: 3 });
    expect(text).toContain('(ctc_lin)');
    expect(text).not.toContain('(q_proj)');
    expect(formatInspection(info)).toContain('sample_rate = 16000');
  });
});
