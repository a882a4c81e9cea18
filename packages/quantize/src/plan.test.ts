import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { parsePlan, planFromFlags, withPlanOverrides } from './plan.js';

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
      [
        '{"version": 1, "rules": [{"select": "a", "mode": "static", "calibrater": "minmax"}]}',
        /rules\[0\]\.calibrater: unknown field/,
      ],
      ['{"version": 1, "rules": [{"select": "a", "mode": "static"}], "calibration": {"n": 0}}', /calibration\.n/],
      ['version: [1', /not valid JSON or YAML/],
    ];
    for (const [text, message] of cases) {
      expect(() => parsePlan(text, { name: 'plan' })).toThrow(message);
    }
    expect(() => planFromFlags({})).toThrow(expect.objectContaining({ code: 'QUANT_BAD_PLAN' }));
  });

  it('rejects an unknown op type and suggests the closest one', () => {
    const text = '{"version": 1, "rules": [{"select": "", "mode": "dynamic", "ops": ["MatMul", "MatMull"]}]}';
    expect(() => parsePlan(text, { name: 'p.json' })).toThrow(
      /p\.json\.rules\[0\]\.ops\[1\]: unknown op type "MatMull" \(did you mean MatMul\?\)/,
    );
    expect(() => parsePlan('{"version": 1, "rules": [{"select": "", "mode": "float", "ops": ["gemm"]}]}')).toThrow(
      /did you mean Gemm\?/,
    );
    expect(() =>
      parsePlan('{"version": 1, "rules": [{"select": "", "mode": "float", "ops": ["Zzzzzzzzzz"]}]}'),
    ).toThrow(/unknown op type "Zzzzzzzzzz"\. Op types/);
    // Standard ONNX ops outside the quantizer's own set are fine in a float rule.
    expect(
      parsePlan('{"version": 1, "rules": [{"select": "", "mode": "float", "ops": ["LayerNormalization", "Softmax"]}]}')
        .rules[0]!.ops,
    ).toEqual(['LayerNormalization', 'Softmax']);
  });

  it('reports a JSON syntax error of a .json plan as JSON, with line and column', () => {
    const text = '{\n  "version": 1,\n  "rules": [],\n}\n';
    let error: unknown;
    try {
      parsePlan(text, { name: 'plans/broken.json' });
    } catch (e) {
      error = e;
    }
    expect(error).toMatchObject({ code: 'QUANT_BAD_PLAN', location: 'plans/broken.json:4:1' });
    expect((error as Error).message).toMatch(/^plans\/broken\.json:4:1: not valid JSON: /);
    expect((error as Error).message).not.toMatch(/YAML/);
    expect(() => parsePlan('{"version": 1, "rules": [', { name: 'x.JSON' })).toThrow(/x\.JSON:1:26: not valid JSON/);
    // A BOM is not a syntax error.
    expect(
      parsePlan('\uFEFF{"version": 1, "rules": [{"select": "", "mode": "dynamic"}]}', { name: 'bom.json' }).rules,
    ).toHaveLength(1);
    expect(() => parsePlan('version: 1\nrules: [\n', { name: 'p.yaml' })).toThrow(
      /p\.yaml:\d+:\d+: not valid JSON or YAML/,
    );
  });

  it('lets explicit command-line settings win over the plan file', () => {
    const plan = parsePlan(
      '{"version": 1, "rules": [{"select": "", "mode": "static", "perChannel": true}], "calibration": {"n": 10, "seed": 4, "calibrator": "entropy"}}',
    );
    const merged = withPlanOverrides(plan, { calibN: 3, perChannel: false });
    expect(merged.calibration).toEqual({ n: 3, seed: 4, calibrator: 'entropy' });
    expect(merged.rules[0]!.perChannel).toBe(false);
    expect(withPlanOverrides(plan, {})).toEqual(plan);
    expect(() => withPlanOverrides(plan, { calibrator: 'median' })).toThrow(/calibration\.calibrator/);
  });

  it('never prints: YAML warnings (unknown tags and directives) stay out of stderr', async () => {
    const seen: Error[] = [];
    const listen = (w: Error): void => void seen.push(w);
    process.on('warning', listen);
    try {
      parsePlan('%FOO bar\n---\nversion: 1\nrules:\n  - select: !weird encoder\n    mode: dynamic\n', {
        name: 'p.yaml',
      });
      await new Promise((resolve) => setTimeout(resolve, 20));
    } finally {
      process.off('warning', listen);
    }
    expect(seen.map((w) => w.message)).toEqual([]);
  });
});
