import { defaultTokenizerPath } from '@asrq/fixtures';
import { describe, expect, it } from 'vitest';
import { fromProbs, loadDevMiniLogProbs, peaked } from '../../test/helpers.js';
import { CtcBeamSearchDecoder } from './beam-search.js';
import { greedyDecode } from './greedy.js';
import { checkHotwords, PhraseHotwords } from './hotwords.js';
import { loadTokenizer } from '../tokenizers/tokenizer-node.js';
import { createCharTokenizer } from '../tokenizers/tokenizer.js';

// blank, word delimiter, then letters
const chars = createCharTokenizer(['<pad>', '|', 'A', 'B', 'C', 'D']);

/** "AB|C" then a last frame that slightly prefers B over D: acoustically "AB CB", "AB CD" close behind. */
function closeCall() {
  const frames: number[][] = [2, 3, 1, 4, -1].map((k) => Array.from({ length: 6 }, (_, v) => (v === k ? 0.9 : 0.02)));
  frames[4] = [0.02, 0.02, 0.02, 0.48, 0.02, 0.44];
  return fromProbs(frames);
}

describe('phrase hotwords', () => {
  it('boost a whole phrase: the completed phrase wins, a phrase whose first word is missing does not', () => {
    const m = closeCall();
    const decode = (hotwords: string[]) =>
      new CtcBeamSearchDecoder(chars, { beamWidth: 8, hotwords, hotwordWeight: 5 }).decode(m)[0]!;
    expect(decode([]).text).toBe('AB CB');
    const hot = decode(['AB CD']);
    expect(hot.text).toBe('AB CD');
    expect(hot.lmScore).toBeCloseTo(2 * 5, 9); // weight per word of the completed phrase, banked once
    // "CD" is in the phrase "BA CD", but the utterance does not say "BA": no boost (a per-word scheme would flip it).
    expect(decode(['BA CD']).text).toBe('AB CB');
    // A phrase started and then abandoned keeps no bonus.
    const abandoned = decode(['AB CA']);
    expect(abandoned.text).toBe('AB CB');
    expect(abandoned.lmScore).toBe(0);
  });

  it('change nothing where the phrase is not said (the 40 bundled utterances)', async () => {
    const tokenizer = await loadTokenizer(defaultTokenizerPath);
    const plain = new CtcBeamSearchDecoder(tokenizer, { beamWidth: 16 });
    const hot = new CtcBeamSearchDecoder(tokenizer, {
      beamWidth: 16,
      hotwords: ['QUANTUM ZEBRA', 'XYLOPHONE'],
      hotwordWeight: 10,
    });
    const utterances = loadDevMiniLogProbs();
    for (const u of utterances)
      expect(hot.decode({ ...u, vocab: 256 })[0]!.text).toBe(plain.decode({ ...u, vocab: 256 })[0]!.text);
    expect(utterances.length).toBe(40);
  });

  it('score partial phrases by the share spelled, across word boundaries, and restart after a mismatch', () => {
    const h = new PhraseHotwords(['NEW YORK', 'YORK TIMES'], 10);
    expect(h.partial(0, 'NE')).toBeCloseTo((20 * 2) / 8, 9);
    const afterNew = h.advance(0, 'NEW');
    expect(h.banked).toBe(0);
    expect(h.partial(afterNew, '')).toBeCloseTo((20 * 3) / 8, 9);
    expect(h.partial(afterNew, 'YO')).toBeCloseTo((20 * 6) / 8, 9);
    const afterYork = h.advance(afterNew, 'YORK');
    expect(h.banked).toBe(20);
    // "YORK" also starts "YORK TIMES": matching goes on from it.
    expect(h.partial(afterYork, 'TI')).toBeCloseTo((20 * 7) / 10, 9);
    const abandoned = h.advance(afterNew, 'JERSEY');
    expect(abandoned).toBe(0);
    expect(h.partial(abandoned, '')).toBe(0);
  });
});

describe('n-best and word frames', () => {
  it('returns n-best hypotheses sorted by score with distinct texts', async () => {
    const tokenizer = await loadTokenizer(defaultTokenizerPath);
    const decoder = new CtcBeamSearchDecoder(tokenizer, { beamWidth: 16, nBest: 8 });
    let lists = 0;
    for (const u of loadDevMiniLogProbs().slice(0, 10)) {
      const hyps = decoder.decode({ ...u, vocab: 256 });
      expect(hyps.length).toBeGreaterThan(1);
      expect(new Set(hyps.map((h) => h.text)).size).toBe(hyps.length);
      for (let i = 1; i < hyps.length; i++) expect(hyps[i]!.score).toBeLessThanOrEqual(hyps[i - 1]!.score);
      lists++;
    }
    expect(lists).toBe(10);
  });

  it('gives word frames of the best path of the chosen prefix: equal to greedy where the best path is the argmax path', () => {
    for (const beamWidth of [1, 8]) {
      const decoder = new CtcBeamSearchDecoder(chars, { beamWidth });
      for (let seed = 1; seed <= 40; seed++) {
        const m = peaked(seed, 50, 6, 0.9);
        const greedy = greedyDecode(m, chars);
        const [best] = decoder.decode(m);
        if (best!.text !== greedy.text) continue;
        expect(best!.words).toEqual(greedy.words);
      }
    }
    // A A _ A B | C C: "AAB C", the repeat of C ends the word one frame later.
    const rows = [2, 2, 0, 2, 3, 1, 4, 4].map((k) => Array.from({ length: 6 }, (_, v) => (v === k ? 0.9 : 0.02)));
    expect(new CtcBeamSearchDecoder(chars, { beamWidth: 8 }).decode(fromProbs(rows))[0]!.words).toEqual([
      { word: 'AAB', startFrame: 0, endFrame: 5 },
      { word: 'C', startFrame: 6, endFrame: 8 },
    ]);
  });
});

describe('hotword limits', () => {
  it('refuses a phrase of too many words or characters, and too many phrases, before building anything', () => {
    expect(() => checkHotwords([Array.from({ length: 100_000 }, () => 'HELLO').join(' ')])).toThrow(
      expect.objectContaining({
        code: 'CTC_BAD_OPTION',
        message: expect.stringContaining('hotwords[0] ("HELLO HELLO'),
      }),
    );
    expect(() => checkHotwords(['A'.repeat(300)])).toThrow(/at most 32 words and 256 characters/);
    expect(() => checkHotwords(Array.from({ length: 10_001 }, (_, i) => `W${i}`))).toThrow(
      /10001 phrases, at most 10000/,
    );
    expect(() => checkHotwords(['NEW YORK', 'ASRQ'])).not.toThrow();
  });
});
