import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { seededRandom } from '@asrq/core';
import { describe, expect, it } from 'vitest';
import { loadDevMiniLogProbs } from '../../test/helpers.js';
import { buildArpa } from './kneser-ney.js';

/** ARPA text with the lines of each section sorted (the builders list n-grams in different orders). */
function canonical(arpa: string): string {
  return arpa
    .split(/\n\n/)
    .map((section) => {
      const [head, ...lines] = section.split('\n');
      return [head, ...lines.sort()].join('\n');
    })
    .join('\n\n');
}

interface GoldenBuild {
  text: 'synthetic' | 'dev-mini';
  order: number;
  pruneSingletons: boolean;
  /** The ARPA the string-keyed builder wrote, canonical. */
  arpa: string;
}

// Written by the string-keyed Kneser-Ney builder this one replaced (bench/legacy-kneser-ney.ts,
// removed after commit 99b9004); never regenerate it from the current builder.
const golden = JSON.parse(
  gunzipSync(readFileSync(new URL('../../test/fixtures/golden/kneser-ney.json.gz', import.meta.url))).toString('utf8'),
) as { builds: GoldenBuild[] };

describe('buildArpa (typed-array counts)', () => {
  it('writes exactly the n-grams, probabilities and backoffs of the string-keyed builder it replaced (golden outputs)', () => {
    const random = seededRandom(5);
    const vocabulary = Array.from({ length: 40 }, (_, i) => `W${i}`);
    const texts = {
      synthetic: Array.from({ length: 300 }, () =>
        Array.from({ length: 1 + Math.floor(random() * 12) }, () => vocabulary[Math.floor(random() ** 2 * 40)]).join(
          ' ',
        ),
      ),
      'dev-mini': loadDevMiniLogProbs().map((u) => u.transcript),
    };
    expect(golden.builds).toHaveLength(16);
    for (const { text, order, pruneSingletons, arpa } of golden.builds)
      expect(canonical(buildArpa(texts[text], { order, pruneSingletons })), `${text} order ${order}`).toBe(arpa);
  });
});
