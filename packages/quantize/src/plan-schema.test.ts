import { readFile, readdir } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { parsePlan } from './plan.js';
import { checkSchema, planSchema } from './plan-schema.js';
import { planSchemaJson } from './plan-schema-file.js';

const plansDir = new URL('../../../examples/plans/', import.meta.url);

describe('plan JSON Schema', () => {
  it('the shipped schemas/plan.schema.json is planSchema written out (run pnpm --filter @asrq/quantize schema after a change)', async () => {
    expect(await readFile(new URL('../schemas/plan.schema.json', import.meta.url), 'utf8')).toBe(planSchemaJson());
    expect(planSchemaJson()).not.toContain('errorMessage');
  });

  it('every committed plan references it by $schema and validates', async () => {
    const names = (await readdir(plansDir)).filter((n) => n.endsWith('.json'));
    expect(names.length).toBeGreaterThan(3);
    for (const name of names) {
      const text = await readFile(new URL(name, plansDir), 'utf8');
      expect(JSON.parse(text).$schema, name).toBe('../../packages/quantize/schemas/plan.schema.json');
      expect(() => parsePlan(text, { name })).not.toThrow();
    }
  });

  it('the schema alone names the field: unknown fields with the known ones, types, enums, bounds, missing fields', () => {
    const check = (value: unknown) => checkSchema(value, planSchema, 'p.json');
    expect(check({ version: 1, rules: [{ select: '', mode: 'dynamic' }] })).toBeUndefined();
    expect(check({ version: 1, rules: [{ select: '', mode: 'dynamic' }], rewrites: { skipLayerNorms: true } })).toEqual(
      { path: 'p.json.rewrites.skipLayerNorms', message: 'unknown field (known: skipLayerNorm).' },
    );
    expect(check({ version: 1, rules: [{ mode: 'dynamic' }] })).toEqual({
      path: 'p.json.rules[0].select',
      message: 'must be a module path prefix or glob string.',
    });
    expect(check({ version: 1, rules: [{ select: '', mode: 'dynamic', ops: ['MatMul', 3] }] })).toEqual({
      path: 'p.json.rules[0].ops',
      message: 'must be a list of op types such as ["MatMul", "Gemm"].',
    });
    expect(check({ version: 1, rules: [{ select: '' }] })?.message).toBe(
      'must be one of dynamic, static, float (got undefined).',
    );
    expect(check({ version: 1, rules: [{ select: '', mode: 'float' }], calibration: { percentile: 50 } })?.path).toBe(
      'p.json.calibration.percentile',
    );
    expect(
      check({ version: 1, rules: [{ select: '', mode: 'float' }], calibration: { percentile: 100 } }),
    ).toBeUndefined();
    expect(check({ version: 1, rules: [] })).toEqual({
      path: 'p.json.rules',
      message: 'must be a non-empty list of { select, mode }.',
    });
    expect(check([])).toEqual({ path: 'p.json', message: 'a plan must be an object with "version": 1 and "rules".' });
  });

  it('keeps what only the validator checks: op names with a did-you-mean, convAsMatMul in dynamic rules', () => {
    expect(() =>
      parsePlan('{"version": 1, "rules": [{"select": "", "mode": "static", "convAsMatMul": true}]}', {
        name: 'x.json',
      }),
    ).toThrow(/x\.json\.rules\[0\]\.convAsMatMul: applies to mode dynamic only/);
    expect(() =>
      parsePlan('{"version": 1, "rules": [{"select": "", "mode": "dynamic", "ops": ["Conv1d"]}]}', { name: 'x.json' }),
    ).toThrow(/x\.json\.rules\[0\]\.ops\[0\]: unknown op type "Conv1d"/);
  });
});
