import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fuzzRuns, mutate, mutationsArb, valueOrAsrqError } from '../../../scripts/fuzz/kit.js';
import { parsePlan, validatePlan } from './plan.js';

const BEST = readFileSync(new URL('../../../examples/plans/best.json', import.meta.url));
const YAML = new TextEncoder().encode(
  'version: 1\nrules:\n  - select: encoder\n    mode: dynamic\n    ops: [MatMul, Gemm]\n  - select: "encoder.**.conv"\n    mode: static\n    calibrator: entropy\ncalibration:\n  n: 4\n  percentile: 99.9\n',
);

/** A parsed plan is well-formed: known modes, and every rule has a string selector. */
function check(run: () => ReturnType<typeof parsePlan>): void {
  const plan = valueOrAsrqError(run, /^QUANT_BAD_PLAN$/);
  if (!plan) return;
  expect(plan.version).toBe(1);
  expect(plan.rules.length).toBeGreaterThan(0);
  for (const rule of plan.rules) {
    expect(typeof rule.select).toBe('string');
    expect(['dynamic', 'static', 'float']).toContain(rule.mode);
  }
}

const word = fc.constantFrom(
  'version',
  'rules',
  'select',
  'mode',
  'dynamic',
  'static',
  'float',
  'ops',
  'MatMul',
  'MatMull',
  'calibration',
  'n',
  'percentile',
  '__proto__',
  'constructor',
  '',
);
const planLike = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.jsonValue({ maxDepth: 2 }),
    word,
    tie('object'),
    fc.array(tie('value'), { maxLength: 3 }),
  ),
  object: fc.dictionary(word, tie('value'), { maxKeys: 5 }),
}));

describe('fuzz: plan parser gives a plan or QUANT_BAD_PLAN', () => {
  it('on random JSON values shaped like plans', () => {
    fc.assert(
      fc.property(planLike.value, (value) => {
        check(() => validatePlan(value));
        check(() => validatePlan({ version: 1, rules: [value] }));
        check(() => parsePlan(JSON.stringify(value) ?? 'null', { name: 'p.json' }));
      }),
      fuzzRuns(1601, 800),
    );
  });

  it('on mutated JSON and YAML plan files, and random text', () => {
    fc.assert(
      fc.property(mutationsArb(4), fc.boolean(), (mutations, yaml) => {
        const text = new TextDecoder().decode(mutate(yaml ? YAML : BEST, mutations));
        check(() => parsePlan(text, { name: yaml ? 'p.yaml' : 'p.json' }));
        check(() => parsePlan(text, { name: yaml ? 'p.json' : 'p.yml' }));
      }),
      fuzzRuns(1602, 300),
    );
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (text) => check(() => parsePlan(text, { name: 'p.yaml' }))),
      fuzzRuns(1603, 500),
    );
  });

  it('YAML alias bombs are refused, not expanded', () => {
    const bomb = [
      'a: &a ["x","x","x","x","x","x","x","x","x"]',
      ...Array.from(
        { length: 8 },
        (_, i) =>
          `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [${Array(9)
            .fill(`*${String.fromCharCode(97 + i)}`)
            .join(',')}]`,
      ),
    ].join('\n');
    check(() => parsePlan(bomb, { name: 'bomb.yaml' }));
  });
});
