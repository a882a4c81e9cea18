import { describe, expect, it } from 'vitest';
import { seededRandom } from '@asrq/core';
import { alignWords } from './align.js';
import { unitEditDistanceIds, wordEditDistance } from './distance.js';
import { randomWords } from '../test/random-pairs.js';

const count = (steps: ReturnType<typeof alignWords>, op: string) => steps.filter((s) => s.op === op).length;
const errors = (steps: ReturnType<typeof alignWords>) => steps.filter((s) => s.op !== 'C').length;
const w = (s: string) => (s === '' ? [] : s.split(' '));

function unitDistance(a: string[], b: string[]): number {
  const ids = new Map<string, number>();
  const id = (x: string) => ids.get(x) ?? (ids.set(x, ids.size), ids.size - 1);
  const ai = Int32Array.from(a, id);
  const bi = Int32Array.from(b, id);
  return unitEditDistanceIds(ai, 0, ai.length, bi, 0, bi.length);
}

describe('alignWords (sclite weights 0/3/3/4)', () => {
  it('aligns a deletion and a substitution, placing the substitution last like sclite -s does', () => {
    // sclite -s pralign: REF: the cat sat / HYP: the *** bat / Eval: D S
    expect(alignWords(w('the cat sat'), w('the bat'))).toEqual([
      { op: 'C', ref: 'the', hyp: 'the' },
      { op: 'D', ref: 'cat' },
      { op: 'S', ref: 'sat', hyp: 'bat' },
    ]);
  });

  it('breaks ties like sclite: deletions first, substitutions at the end (sclite: D D S S)', () => {
    expect(
      alignWords(w('a b c d'), w('x y'))
        .map((s) => s.op)
        .join(''),
    ).toBe('DDSS');
  });

  it('prefers 3 deletions + 3 insertions (weight 18) over 5 substitutions (weight 20), as sclite does', () => {
    const steps = alignWords(w('p q r s t'), w('s t u v w'));
    expect(steps.map((s) => s.op).join('')).toBe('DDDCCIII');
    expect(errors(steps)).toBe(6);
    expect(wordEditDistance(w('p q r s t'), w('s t u v w'))).toBe(5);
  });

  it('handles empty sides', () => {
    expect(alignWords([], [])).toEqual([]);
    expect(alignWords(['a', 'b'], []).map((s) => s.op)).toEqual(['D', 'D']);
    expect(alignWords([], ['a']).map((s) => s.op)).toEqual(['I']);
  });

  it('laws on random pairs: consistent counts, identical texts score 0, unit distance <= S+D+I <= 4/3 of it', () => {
    const rand = seededRandom(7);
    const vocab = ['a', 'b', 'c', 'd'];
    for (let k = 0; k < 2000; k++) {
      const ref = randomWords(rand, 15, vocab);
      const hyp = randomWords(rand, 15, vocab);
      const steps = alignWords(ref, hyp);
      expect(count(steps, 'C') + count(steps, 'S') + count(steps, 'D')).toBe(ref.length);
      expect(count(steps, 'C') + count(steps, 'S') + count(steps, 'I')).toBe(hyp.length);
      expect(steps.filter((s) => s.ref !== undefined).map((s) => s.ref)).toEqual(ref);
      expect(steps.filter((s) => s.hyp !== undefined).map((s) => s.hyp)).toEqual(hyp);
      for (const s of steps) expect(s.op === 'C').toBe(s.ref === s.hyp);
      const unit = wordEditDistance(ref, hyp);
      expect(unit).toBeLessThanOrEqual(errors(steps));
      expect(3 * errors(steps)).toBeLessThanOrEqual(4 * unit);
      expect(errors(alignWords(ref, ref))).toBe(0);
    }
  });

  it('inserting k words into a hypothesis equal to the reference gives exactly I = k', () => {
    const rand = seededRandom(11);
    for (let t = 0; t < 300; t++) {
      const ref = randomWords(rand, 20, ['a', 'b', 'c']);
      const hyp = ref.slice();
      const k = Math.floor(rand() * 6);
      for (let i = 0; i < k; i++)
        hyp.splice(Math.floor(rand() * (hyp.length + 1)), 0, ['a', 'b', 'z'][Math.floor(rand() * 3)]!);
      const steps = alignWords(ref, hyp);
      expect([count(steps, 'I'), count(steps, 'S'), count(steps, 'D')]).toEqual([k, 0, 0]);
      expect(wordEditDistance(ref, hyp)).toBe(k);
    }
  });
});

describe('wordEditDistance (fastest-levenshtein word-to-code-unit path)', () => {
  it('equals a plain unit-cost DP, including sequences longer than 32 words (the blocked Myers path)', () => {
    const rand = seededRandom(3);
    const vocab = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'];
    for (let k = 0; k < 500; k++) {
      const ref = randomWords(rand, k % 5 === 0 ? 120 : 30, vocab);
      const hyp = randomWords(rand, k % 5 === 0 ? 120 : 30, vocab);
      expect(wordEditDistance(ref, hyp)).toBe(unitDistance(ref, hyp));
    }
  });

  it('is a metric: symmetric, zero only for equal sequences, triangle inequality', () => {
    const rand = seededRandom(5);
    for (let k = 0; k < 300; k++) {
      const [a, b, c] = [0, 1, 2].map(() => randomWords(rand, 10, ['x', 'y', 'z']));
      expect(wordEditDistance(a!, b!)).toBe(wordEditDistance(b!, a!));
      expect(wordEditDistance(a!, b!) === 0).toBe(a!.join(' ') === b!.join(' '));
      expect(wordEditDistance(a!, c!)).toBeLessThanOrEqual(wordEditDistance(a!, b!) + wordEditDistance(b!, c!));
    }
  });

  it('falls back to the DP table beyond 65,536 distinct words and still agrees', () => {
    const ref = Array.from({ length: 40_000 }, (_, i) => `r${i}`);
    const hyp = Array.from({ length: 40_000 }, (_, i) => (i % 10 === 0 ? `r${i}` : `h${i}`));
    // 40,000 + 36,000 distinct words: more than one UTF-16 code unit can index.
    expect(wordEditDistance(ref, hyp)).toBe(36_000);
  });

  it('words that map to surrogate code units are compared as single units', () => {
    const many = Array.from({ length: 0xe000 }, (_, i) => `w${i}`);
    const ref = [...many.slice(0xd7f0), 'x'];
    const hyp = [...many.slice(0xd7f0), 'y'];
    expect(wordEditDistance(ref, hyp)).toBe(1);
  });
});
