import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { parsePlan, planFromFlags } from './plan.js';

describe('plans', () => {
  it('builds the seed plan from flags with exclusions last', () => {
    const plan = planFromFlags({
      dynamic: ['encoder.wav2vec2.model.encoder.layers', 'encoder.enc'],
      static: ['encoder.wav2vec2.model.feature_extractor', 'encoder.wav2vec2.model.feature_projection'],
      exclude: ['encoder.ctc_lin'],
      calibN: 10,
    });
    expect(plan.rules.map((r) => [r.mode, r.select])).toEqual([
      ['dynamic', 'encoder.wav2vec2.model.encoder.layers'],
      ['dynamic', 'encoder.enc'],
      ['static', 'encoder.wav2vec2.model.feature_extractor'],
      ['static', 'encoder.wav2vec2.model.feature_projection'],
      ['float', 'encoder.ctc_lin'],
    ]);
    expect(plan.calibration).toEqual({ n: 10 });
  });

  it('reads JSON and YAML plans alike, including the committed ones', async () => {
    const yaml = parsePlan('version: 1\nrules:\n  - select: encoder.enc\n    mode: dynamic\n    perChannel: false\n');
    expect(yaml.rules[0]).toEqual({ select: 'encoder.enc', mode: 'dynamic', perChannel: false });
    for (const name of ['seed', 'best']) {
      const url = new URL(`../../../examples/plans/${name}.json`, import.meta.url);
      const plan = parsePlan(await readFile(url, 'utf8'), { name: `${name}.json` });
      expect(plan.rules.length).toBeGreaterThan(2);
    }
  });

  it('names the offending field in errors', () => {
    const cases: Array<[string, RegExp]> = [
      ['{"version": 2, "rules": []}', /plan\.version/],
      ['{"version": 1, "rules": [{"select": "a", "mode": "fast"}]}', /rules\[0\]\.mode.*dynamic, static, float/],
      ['{"version": 1, "rules": [{"select": "a", "mode": "static", "calibrater": "minmax"}]}', /rules\[0\]\.calibrater: unknown field/],
      ['{"version": 1, "rules": [{"select": "a", "mode": "static"}], "calibration": {"n": 0}}', /calibration\.n/],
      ['version: [1', /not valid JSON or YAML/],
    ];
    for (const [text, message] of cases) {
      expect(() => parsePlan(text, { name: 'plan' })).toThrow(message);
    }
    expect(() => planFromFlags({})).toThrow(expect.objectContaining({ code: 'QUANT_BAD_PLAN' }));
  });
});
