import { describe, expect, it } from 'vitest';
import { seededRandom } from '@asrq/core';
import {
  applyTransforms,
  collapseWhitespace,
  composeTransforms,
  defineTransform,
  librispeechNormalizer,
  lowerCase,
  removeApostrophes,
  stripPunctuation,
  stripQuoteApostrophes,
} from './normalize.js';

describe('text transforms', () => {
  it('librispeechNormalizer: upper case, punctuation out, word apostrophes kept, whitespace collapsed', () => {
    expect(applyTransforms('‘Don’t,’ he said.  "Well—fine!"', librispeechNormalizer)).toBe("DON'T HE SAID WELL FINE");
    expect(applyTransforms("the boys' toys 'quoted'", librispeechNormalizer)).toBe('THE BOYS TOYS QUOTED');
  });

  it('is idempotent (property)', () => {
    const rand = seededRandom(9);
    const alphabet = ['a', 'B', "'", '’', ',', '.', ' ', '\t', '-', 'é', '!', '?', '"'];
    for (let t = 0; t < 500; t++) {
      const text = Array.from(
        { length: Math.floor(rand() * 30) },
        () => alphabet[Math.floor(rand() * alphabet.length)],
      ).join('');
      const once = applyTransforms(text, librispeechNormalizer);
      expect(applyTransforms(once, librispeechNormalizer)).toBe(once);
      expect(once).not.toMatch(/^\s|\s$|\s\s|[,.!?"’-]/);
    }
  });

  it('individual transforms do one thing each', () => {
    expect(stripPunctuation({ keepApostrophes: false })("don't.")).toBe('dont ');
    expect(stripPunctuation()("don't.")).toBe("don't ");
    expect(removeApostrophes("don't")).toBe('dont');
    expect(stripQuoteApostrophes("'tis 'hello' rock'n'roll")).toBe("tis hello rock'n'roll");
    expect(collapseWhitespace(' a \n\t b ')).toBe('a b');
  });

  it('composes in order under a combined name', () => {
    const shout = defineTransform('exclaim', (t) => `${t}!`);
    const both = composeTransforms([lowerCase, shout]);
    expect(both.transformName).toBe('lowerCase+exclaim');
    expect(both('ABC')).toBe('abc!');
    expect(composeTransforms([shout, stripPunctuation(), collapseWhitespace])('x')).toBe('x');
  });
});
