import { describe, expect, it } from 'vitest';
import { letterCaseMismatch } from './letter-case.js';
import { librispeechNormalizer, lowerCase } from './normalize.js';
import { scoreCorpus } from './score.js';

const lowerRefs = [
  { id: 'a-1', ref: 'the cat sat', hyp: 'THE CAT SAT' },
  { id: 'a-2', ref: "don't go", hyp: 'DONT GO' },
];

describe('letterCaseMismatch', () => {
  it('warns when references are lower case and hypotheses upper case (a silent 100 % WER before)', () => {
    const score = scoreCorpus(lowerRefs);
    expect(score.total.errorRate).toBe(100);
    expect(score.warnings).toContainEqual(
      expect.objectContaining({
        code: 'METRICS_CASE_MISMATCH',
        message: expect.stringContaining('references are in lower case and the hypotheses in upper case'),
      }),
    );
    expect(letterCaseMismatch([{ id: 'b-1', ref: 'A B', hyp: 'a b' }], [])?.message).toMatch(
      /upper case .* lower case/,
    );
  });

  it('is quiet when a transform folds case, when the cases agree, or when a side mixes them', () => {
    expect(scoreCorpus(lowerRefs, { transforms: librispeechNormalizer }).warnings).toEqual([]);
    expect(letterCaseMismatch(lowerRefs, [lowerCase])).toBeUndefined();
    expect(letterCaseMismatch([{ id: 'c-1', ref: 'A B', hyp: 'A C' }], [])).toBeUndefined();
    expect(letterCaseMismatch([{ id: 'd-1', ref: 'The cat', hyp: 'THE CAT' }], [])).toBeUndefined();
    expect(letterCaseMismatch([{ id: 'e-1', ref: '123', hyp: 'ABC' }], [])).toBeUndefined();
  });
});
