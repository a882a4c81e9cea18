import { describe, expect, it } from 'vitest';
import { randomFloats } from '../../test/graph-builder.js';
import { entropyRange, percentileRange, StreamingHistogram } from '../histogram.js';
import { PLAN_CALIBRATORS, planSchema } from '../plan-schema.js';
import { validatePlan } from '../plan.js';
import { CALIBRATOR_NAMES, CALIBRATORS, calibratorFor, DEFAULT_CALIBRATOR } from './registry.js';

const settings = { percentile: 99.9 };
const batches = [randomFloats(500, 1, 1), randomFloats(500, 2, 8), randomFloats(500, 3, 0.5)];

describe('calibrator registry', () => {
  it('is the one list plans, the schema and the CLI read', () => {
    expect(CALIBRATOR_NAMES).toEqual(['minmax', 'percentile', 'entropy']);
    expect(PLAN_CALIBRATORS).toBe(CALIBRATOR_NAMES);
    expect(planSchema.properties?.calibration?.properties?.calibrator?.enum).toEqual(CALIBRATOR_NAMES);
    expect(CALIBRATOR_NAMES).toContain(DEFAULT_CALIBRATOR);
    for (const name of CALIBRATOR_NAMES)
      expect(
        validatePlan({ version: 1, rules: [{ select: '', mode: 'static', calibrator: name }] }).rules[0]!.calibrator,
      ).toBe(name);
  });

  it('looks calibrators up by name and refuses unknown names', () => {
    for (const c of CALIBRATORS) expect(calibratorFor(c.name)).toBe(c);
    expect(() => calibratorFor('kl')).toThrow(/unknown calibrator "kl" \(known: minmax, percentile, entropy\)/);
  });

  it('gives each tensor a fresh collector', () => {
    const a = calibratorFor('minmax').collect(settings);
    const b = calibratorFor('minmax').collect(settings);
    a.add(Float32Array.of(-3, 5));
    expect(a.range()).toEqual({ min: -3, max: 5 });
    expect(b.range()).toEqual({ min: Number.POSITIVE_INFINITY, max: Number.NEGATIVE_INFINITY });
  });

  it('collects the same range as the histogram functions, batch by batch', () => {
    const h = new StreamingHistogram();
    let lo = Number.POSITIVE_INFINITY;
    let hi = Number.NEGATIVE_INFINITY;
    const collectors = Object.fromEntries(CALIBRATORS.map((c) => [c.name, c.collect(settings)]));
    for (const batch of batches) {
      h.add(batch);
      for (const v of batch) [lo, hi] = [Math.min(lo, v), Math.max(hi, v)];
      for (const c of Object.values(collectors)) c.add(batch);
    }
    expect(collectors.minmax!.range()).toEqual({ min: lo, max: hi });
    expect(collectors.percentile!.range()).toEqual(percentileRange(h, 99.9));
    expect(collectors.entropy!.range()).toEqual(entropyRange(h));
    expect(collectors.percentile!.range().max).toBeLessThan(hi);
  });
});
