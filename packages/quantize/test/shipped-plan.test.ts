import { readFile } from 'node:fs/promises';
import { defaultPlanPath } from '@asrq/fixtures';
import { describe, expect, it } from 'vitest';
import { parsePlan } from '../src/index.js';

describe('the plan @asrq/fixtures ships for asrq demo', () => {
  it('is examples/plans/best.json (same rules, calibration and description; only $schema differs)', async () => {
    const shipped = await readFile(defaultPlanPath, 'utf8');
    const example = await readFile(new URL('../../../examples/plans/best.json', import.meta.url), 'utf8');
    expect(parsePlan(shipped, { name: defaultPlanPath })).toEqual(parsePlan(example, { name: 'best.json' }));
    const { $schema: a, ...shippedRest } = JSON.parse(shipped) as Record<string, unknown>;
    const { $schema: b, ...exampleRest } = JSON.parse(example) as Record<string, unknown>;
    expect(shippedRest).toEqual(exampleRest);
    expect(a).toBe('https://unpkg.com/@asrq/quantize/schemas/plan.schema.json');
    expect(b).not.toBe(a);
  });
});
