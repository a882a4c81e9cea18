import { describe, expect, it } from 'vitest';
import { AsrqError, seededRandom } from '@asrq/core';
import { distanceErrorRate, scoreCorpus } from './score.js';
import { librispeechNormalizer } from './normalize.js';
import { scoreToJson } from './json.js';
import { randomPairs } from '../test/random-pairs.js';

const pairs = randomPairs(300, 99);

describe('scoreCorpus', () => {
  it('pools counts over utterances (WER is not a mean of utterance WERs)', () => {
    const score = scoreCorpus([
      { id: 'a-1', ref: 'one', hyp: 'two' },
      { id: 'a-2', ref: 'a b c d e f g h i j', hyp: 'a b c d e f g h i j' },
    ]);
    expect(score.total.errorRate).toBeCloseTo((100 * 1) / 11, 12);
    expect(score.utterances.map((u) => u.errorRate)).toEqual([100, 0]);
  });

  it('scores identical texts as 0 % and every word a hit', () => {
    const same = pairs.map((p) => ({ ...p, hyp: p.ref }));
    const score = scoreCorpus(same);
    expect(score.total.errorRate).toBe(0);
    expect(score.total.hits).toBe(score.total.refCount);
    expect(score.sentenceErrors).toBe(0);
  });

  it('does not depend on utterance order', () => {
    const rand = seededRandom(1);
    const shuffled = pairs
      .map((p) => [rand(), p] as const)
      .sort((a, b) => a[0] - b[0])
      .map(([, p]) => p);
    const a = scoreCorpus(pairs);
    const b = scoreCorpus(shuffled);
    expect(b.total).toEqual(a.total);
    expect(b.sentenceErrors).toBe(a.sentenceErrors);
    const byId = new Map(a.utterances.map((u) => [u.id, u]));
    for (const u of b.utterances) expect(u).toEqual(byId.get(u.id));
    const sortBySpeaker = (s: typeof a.speakers) => [...s].sort((x, y) => (x.speaker < y.speaker ? -1 : 1));
    expect(sortBySpeaker(b.speakers)).toEqual(sortBySpeaker(a.speakers));
  });

  it('total and speakers are the sums of the utterances', () => {
    const score = scoreCorpus(pairs);
    const sum = (k: 'hits' | 'substitutions' | 'deletions' | 'insertions' | 'refCount') =>
      score.utterances.reduce((a, u) => a + u[k], 0);
    expect(score.total.insertions).toBe(sum('insertions'));
    expect(score.total.refCount).toBe(sum('refCount'));
    expect(score.speakers.reduce((a, s) => a + s.deletions, 0)).toBe(score.total.deletions);
    expect(score.speakers.map((s) => s.speaker)).toEqual(['s0', 's1', 's2', 's3', 's4', 's5', 's6']);
  });

  it('gives the same counts with and without alignments', () => {
    const withSteps = scoreCorpus(pairs);
    const without = scoreCorpus(pairs, { alignments: false });
    expect(without.total).toEqual(withSteps.total);
    expect(without.utterances.every((u) => u.alignment.length === 0)).toBe(true);
  });

  it('distance-only (unit cost) error count is <= the sclite count and >= 3/4 of it', () => {
    for (const seed of [1, 2, 3]) {
      const set = randomPairs(500, seed);
      const full = scoreCorpus(set, { alignments: false }).total;
      const fast = distanceErrorRate(set);
      const errors = full.substitutions + full.deletions + full.insertions;
      expect(fast.refCount).toBe(full.refCount);
      expect(fast.distance).toBeLessThanOrEqual(errors);
      expect(4 * fast.distance).toBeGreaterThanOrEqual(3 * errors);
      expect(fast.errorRate).toBeLessThanOrEqual(full.errorRate);
    }
  });

  it('uses the explicit empty-reference convention and never produces NaN or Infinity', () => {
    const score = scoreCorpus([
      { id: 'x-1', ref: '', hyp: '' },
      { id: 'x-2', ref: '', hyp: 'uh um' },
    ]);
    expect(score.utterances[0]).toMatchObject({ errorRate: 0, mer: 0, wip: 100, wil: 0 });
    expect(score.utterances[1]).toMatchObject({ insertions: 2, errorRate: 200, mer: 100, wip: 0, wil: 100 });
    expect(score.total.errorRate).toBe(200);
    const numbers: number[] = [];
    JSON.stringify(scoreToJson(score), (_, v: unknown) => (typeof v === 'number' && numbers.push(v), v));
    expect(numbers.length).toBeGreaterThan(20);
    expect(numbers.every(Number.isFinite)).toBe(true);
  });

  it('computes MER, WIL and WIP like jiwer', () => {
    const t = scoreCorpus([{ id: 'j', ref: 'a b c d e', hyp: 'a x c e f' }]).total;
    expect([t.hits, t.substitutions, t.deletions, t.insertions]).toEqual([3, 1, 1, 1]);
    expect(t.wip).toBeCloseTo(100 * (3 / 5) * (3 / 5), 12);
    const jiwer = scoreCorpus([{ id: 'j', ref: 'a b c d e', hyp: 'a x c d e f' }]).total;
    expect([jiwer.hits, jiwer.substitutions, jiwer.deletions, jiwer.insertions]).toEqual([4, 1, 0, 1]);
    expect(jiwer.errorRate).toBeCloseTo(40, 12);
    expect(jiwer.mer).toBeCloseTo((100 * 2) / 6, 12);
    expect(jiwer.wip).toBeCloseTo(100 * (4 / 5) * (4 / 6), 12);
    expect(jiwer.wil).toBeCloseTo(100 - 100 * (4 / 5) * (4 / 6), 12);
  });

  it('scores characters with spaces counted (CER) and astral code points as one character', () => {
    const score = scoreCorpus([{ id: 'c', ref: 'ab cd', hyp: 'ab  ce 😀' }], { unit: 'char' });
    expect(score.utterances[0]!.ref).toEqual(['a', 'b', ' ', 'c', 'd']);
    expect(score.total).toMatchObject({ refCount: 5, hypCount: 7, substitutions: 1, insertions: 2 });
  });

  it('applies transforms to both sides and records their names', () => {
    const score = scoreCorpus([{ id: 'n', ref: 'Hello, World!', hyp: 'hello world' }], {
      transforms: librispeechNormalizer,
    });
    expect(score.total.errorRate).toBe(0);
    expect(score.transforms).toEqual([
      'normalizeApostrophes',
      'upperCase',
      'stripPunctuation(keepApostrophes)',
      'stripQuoteApostrophes',
      'collapseWhitespace',
    ]);
    expect(scoreCorpus([{ id: 'n', ref: 'Hello', hyp: 'hello' }]).total.errorRate).toBe(100);
  });

  it('rejects duplicate ids and empty input with stable codes', () => {
    const dup = () =>
      scoreCorpus([
        { id: 'a', ref: 'x', hyp: 'x' },
        { id: 'a', ref: 'y', hyp: 'y' },
      ]);
    expect(dup).toThrow(/"a" occurs more than once/);
    try {
      dup();
    } catch (error) {
      expect(AsrqError.isInstance(error) && error.code).toBe('METRICS_DUPLICATE_ID');
    }
    expect(() => scoreCorpus([])).toThrow(expect.objectContaining({ code: 'METRICS_EMPTY_INPUT' }));
  });

  it('reports progress and honours an aborted signal', () => {
    const many = randomPairs(9000, 5, { maxLength: 3 });
    const events: string[] = [];
    scoreCorpus(many, { alignments: false, onProgress: (p) => events.push(p.status) });
    expect(events).toEqual(['scoring', 'scoring', 'done']);
    const controller = new AbortController();
    controller.abort();
    expect(() => scoreCorpus(many, { signal: controller.signal })).toThrow(
      expect.objectContaining({ code: 'ABORTED' }),
    );
  });
});

describe('empty references', () => {
  it('warns per utterance and in a summary, instead of a silent 1700 %', () => {
    const score = scoreCorpus([
      {
        id: 'a-1',
        ref: '',
        hyp: 'ONE TWO THREE FOUR FIVE SIX SEVEN EIGHT NINE TEN ELEVEN TWELVE THIRTEEN FOURTEEN FIFTEEN SIXTEEN SEVENTEEN',
      },
    ]);
    expect(score.total.errorRate).toBe(1700);
    expect(score.warnings.map((w) => [w.code, w.id])).toEqual([
      ['METRICS_EMPTY_REFERENCE', 'a-1'],
      ['METRICS_EMPTY_REFERENCES', undefined],
    ]);
    expect(score.warnings[0]!.message).toMatch(
      /^a-1: the reference is empty, so its 17 hypothesis word\(s\) count as insertions/,
    );
    expect(score.warnings[1]!.message).toMatch(
      /1 of 1 utterance\(s\) have an empty reference: every reference is empty/,
    );
    const mixed = scoreCorpus([
      { id: 'a-1', ref: 'HELLO', hyp: 'HELLO' },
      { id: 'a-2', ref: '', hyp: '' },
      { id: 'a-3', ref: '', hyp: 'UH' },
    ]);
    expect(mixed.warnings.map((w) => w.id)).toEqual(['a-3', undefined]);
    expect(mixed.warnings[1]!.message).toBe(
      '2 of 3 utterance(s) have an empty reference: their 1 insertion(s) are in the corpus rate.',
    );
    expect(
      scoreCorpus([
        { id: 'a-1', ref: 'A', hyp: 'B' },
        { id: 'a-2', ref: '', hyp: '' },
      ]).warnings,
    ).toEqual([]);
  });
});
