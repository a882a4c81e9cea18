import { describe, expect, it } from 'vitest';
import { fitOutputLength } from './output-length.js';

describe('fitOutputLength', () => {
  const stacks: Record<string, (n: number) => number> = {
    'NeMo striding 4x (k3 s2 p1 twice)': (n) => Math.floor((Math.floor((n + 2 - 3) / 2) + 1 + 2 - 3) / 2) + 1,
    'QuartzNet stride 2 (k33 s2 p16)': (n) => Math.floor((n + 32 - 33) / 2) + 1,
    'icefall Conv2dSubsampling ((T - 7) // 2 + 1) // 2': (n) => Math.floor((Math.floor((n - 7) / 2) + 1) / 2),
    'no subsampling': (n) => n,
  };
  for (const [name, f] of Object.entries(stacks)) {
    it(`learns ${name} exactly from small probes`, async () => {
      const probed: number[] = [];
      const fitted = await fitOutputLength(async (n) => {
        probed.push(n);
        return Math.max(0, f(n));
      });
      expect(fitted).toBeDefined();
      expect(Math.max(...probed)).toBeLessThan(100);
      for (let n = 1; n < 5000; n += 7) if (f(n) > 0) expect(fitted!(n)).toBe(f(n));
    });
  }

  it('gives up on a length function with no period', async () => {
    expect(await fitOutputLength(async (n) => Math.floor(Math.sqrt(n)))).toBeUndefined();
  });
});
