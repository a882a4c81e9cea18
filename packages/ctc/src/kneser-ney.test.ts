import { seededRandom } from '@asrq/core';
import { describe, expect, it } from 'vitest';
import { legacyBuildArpa } from '../bench/legacy-kneser-ney.js';
import { loadDevMiniLogProbs } from '../test/helpers.js';
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

describe('buildArpa (typed-array counts)', () => {
  it('writes exactly the n-grams, probabilities and backoffs of the string-keyed builder it replaced', () => {
    const random = seededRandom(5);
    const vocabulary = Array.from({ length: 40 }, (_, i) => `W${i}`);
    const synthetic = Array.from({ length: 300 }, () =>
      Array.from({ length: 1 + Math.floor(random() * 12) }, () => vocabulary[Math.floor(random() ** 2 * 40)]).join(' '),
    );
    const transcripts = loadDevMiniLogProbs().map((u) => u.transcript);
    for (const text of [synthetic, transcripts]) {
      for (const order of [1, 2, 3, 5]) {
        for (const pruneSingletons of [false, true]) {
          expect(canonical(buildArpa(text, { order, pruneSingletons }))).toBe(
            canonical(legacyBuildArpa(text, { order, pruneSingletons })),
          );
        }
      }
    }
  });
});
