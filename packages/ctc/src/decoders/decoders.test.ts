import { defaultTokenizerPath } from '@asrq/fixtures';
import { distanceErrorRate } from '@asrq/metrics';
import { describe, expect, it } from 'vitest';
import { fromProbs, loadDevMiniLogProbs, peaked, testLmPath } from '../../test/helpers.js';
import { CtcBeamSearchDecoder } from './beam-search.js';
import { greedyDecode } from './greedy.js';
import { loadArpa } from '../lm/lm-node.js';
import { NgramLM } from '../lm/ngram-lm.js';
import { loadTokenizer } from '../tokenizers/tokenizer-node.js';
import { createCharTokenizer } from '../tokenizers/tokenizer.js';

// blank, word delimiter, then letters
const chars = createCharTokenizer(['<pad>', '|', 'A', 'B', 'C', 'D']);

function argmaxPath(m: { data: Float32Array; frames: number; vocab: number }): number[] {
  const out: number[] = [];
  let prev = -1;
  for (let t = 0; t < m.frames; t++) {
    let best = 0;
    for (let v = 1; v < m.vocab; v++) if (m.data[t * m.vocab + v]! > m.data[t * m.vocab + best]!) best = v;
    if (best !== 0 && best !== prev) out.push(best);
    prev = best;
  }
  return out;
}

describe('greedyDecode', () => {
  it('collapses repeats and drops blanks, with word frames', () => {
    // A A _ A B | C : "AAB C" collapses to A A B | C
    const rows = [2, 2, 0, 2, 3, 1, 4, 4].map((k) => Array.from({ length: 6 }, (_, v) => (v === k ? 0.9 : 0.02)));
    const hyp = greedyDecode(fromProbs(rows), chars);
    expect(hyp.tokens).toEqual([2, 2, 3, 1, 4]);
    expect(hyp.text).toBe('AAB C');
    expect(hyp.words).toEqual([
      { word: 'AAB', startFrame: 0, endFrame: 5 },
      { word: 'C', startFrame: 6, endFrame: 8 },
    ]);
    expect(hyp.acousticScore).toBeCloseTo(8 * Math.log(0.9), 4);
  });

  it('equals the argmax path on random matrices', () => {
    for (let seed = 1; seed <= 30; seed++) {
      const m = peaked(seed, 40, 6, 0.3 + (seed % 5) * 0.1);
      expect(greedyDecode(m, chars).tokens).toEqual(argmaxPath(m));
    }
  });

  it('rejects NaN, a short buffer and a vocabulary mismatch', () => {
    const m = peaked(1, 5, 6, 0.9);
    m.data[13] = Number.NaN;
    expect(() => greedyDecode(m, chars)).toThrow(/NaN at frame 2, token 1/);
    expect(() => greedyDecode({ data: new Float32Array(10), frames: 5, vocab: 6 }, chars)).toThrow(/hold 10 values/);
    expect(() => greedyDecode(peaked(1, 5, 7, 0.9), chars)).toThrow(
      expect.objectContaining({ code: 'CTC_VOCAB_MISMATCH' }),
    );
    expect(() => new CtcBeamSearchDecoder(chars).decode(m)).toThrow(
      expect.objectContaining({ code: 'CTC_BAD_LOGPROBS' }),
    );
  });
});

describe('CtcBeamSearchDecoder', () => {
  it('with beam width 1 and no LM equals greedy (peaked frames)', () => {
    const decoder = new CtcBeamSearchDecoder(chars, { beamWidth: 1 });
    for (let seed = 1; seed <= 40; seed++) {
      const m = peaked(seed, 50, 6, 0.9);
      expect(decoder.decode(m)[0]!.tokens).toEqual(greedyDecode(m, chars).tokens);
    }
  });

  it('with a large beam and no LM never scores below greedy in model log-probability', () => {
    const decoder = new CtcBeamSearchDecoder(chars, { beamWidth: 64, tokenMinLogProb: -20, beamPruneLogProb: -50 });
    for (let seed = 1; seed <= 40; seed++) {
      const m = peaked(seed, 30, 6, 0.25 + (seed % 4) * 0.05);
      expect(decoder.decode(m)[0]!.acousticScore).toBeGreaterThanOrEqual(greedyDecode(m, chars).acousticScore - 1e-9);
    }
  });

  it('sums paths: prefers the prefix with the larger total probability', () => {
    // Best path is "_ _" (blank twice, 0.36) but A is likelier over all paths (0.64).
    const m = fromProbs(
      [
        [0.6, 0, 0.4, 0, 0, 0],
        [0.6, 0, 0.4, 0, 0, 0],
      ].map((r) => r.map((p) => p + 1e-9)),
    );
    expect(greedyDecode(m, chars).text).toBe('');
    const [best, second] = new CtcBeamSearchDecoder(chars, { beamWidth: 4, nBest: 2 }).decode(m);
    expect(best!.text).toBe('A');
    expect(Math.exp(best!.acousticScore)).toBeCloseTo(0.64, 5);
    expect(second!.text).toBe('');
  });

  it('skips blank-dominated frames without changing the result there', () => {
    const m = peaked(7, 80, 6, 0.95);
    const plain = new CtcBeamSearchDecoder(chars, { beamWidth: 8 }).decode(m)[0]!;
    const skipping = new CtcBeamSearchDecoder(chars, { beamWidth: 8, blankSkipThreshold: 0.94 }).decode(m)[0]!;
    expect(skipping.tokens).toEqual(plain.tokens);
  });

  it('lets an LM and hotwords pick between acoustically close spellings', () => {
    // "AB|CD" vs "AB|CB": the acoustics slightly prefer CB at the last frame.
    const frames: number[][] = [2, 3, 1, 4, -1].map((k) => Array.from({ length: 6 }, (_, v) => (v === k ? 0.9 : 0.02)));
    frames[4] = [0.02, 0.02, 0.02, 0.48, 0.02, 0.44];
    const m = fromProbs(frames);
    const plain = new CtcBeamSearchDecoder(chars, { beamWidth: 8 }).decode(m)[0]!;
    expect(plain.text).toBe('AB CB');
    const lm = NgramLM.fromArpa(
      [
        '\\data\\',
        'ngram 1=5',
        '',
        '\\1-grams:',
        '-1\t<s>\t0',
        '-0.5\tAB\t0',
        '-0.5\tCD\t0',
        '-1\t</s>',
        '-2\t<unk>',
        '\\end\\',
      ].join('\n'),
    );
    const withLm = new CtcBeamSearchDecoder(chars, { beamWidth: 8, lm }).decode(m)[0]!;
    expect(withLm.text).toBe('AB CD');
    // pyctcdecode's convention: alpha * ln(10) * log10 P per word and </s>, plus beta per word.
    expect(withLm.lmScore).toBeCloseTo(0.5 * Math.LN10 * lm.sentenceLog10Prob(['AB', 'CD']) + 2 * 1.5, 6);
    expect(withLm.score).toBeCloseTo(withLm.acousticScore + withLm.lmScore, 9);
    const hot = new CtcBeamSearchDecoder(chars, { beamWidth: 8, hotwords: ['CD'], hotwordWeight: 5 }).decode(m)[0]!;
    expect(hot.text).toBe('AB CD');
  });

  it('decodes SentencePiece output with word timings, and the LM lowers WER on the bundled utterances', async () => {
    const tokenizer = await loadTokenizer(defaultTokenizerPath);
    const lm = await loadArpa(testLmPath);
    const utterances = loadDevMiniLogProbs();
    const refs = utterances.map((u) => u.transcript);
    const greedy = utterances.map((u) => greedyDecode({ ...u, vocab: 256 }, tokenizer));
    const decoder = new CtcBeamSearchDecoder(tokenizer, { beamWidth: 16, lm, alpha: 0.5, beta: 1.5 });
    const beam = utterances.map((u) => decoder.decode({ ...u, vocab: 256 })[0]!);
    // Pooled unit-cost edit distance over pooled reference words, as a fraction.
    const wer = (hyps: readonly { text: string }[]): number =>
      distanceErrorRate(utterances.map((u, k) => ({ id: u.id, ref: refs[k]!, hyp: hyps[k]!.text }))).errorRate / 100;
    const greedyWer = wer(greedy);
    const lmWer = wer(beam);
    expect(greedyWer).toBeGreaterThan(0.6);
    expect(lmWer).toBeLessThan(greedyWer - 0.1);
    for (const [k, hyp] of beam.entries()) {
      expect(hyp.words.map((w) => w.word).join(' ')).toBe(hyp.text);
      for (const [i, w] of hyp.words.entries()) {
        expect(w.endFrame).toBeGreaterThan(w.startFrame);
        expect(w.endFrame).toBeLessThanOrEqual(utterances[k]!.frames);
        if (i > 0) expect(w.startFrame).toBeGreaterThanOrEqual(hyp.words[i - 1]!.endFrame);
      }
    }
  });
});

describe('CtcBeamSearchDecoder across utterances', () => {
  it('gives a fresh decoder and a reused one the same hypotheses (the prefix trie grows mid-utterance)', async () => {
    const tokenizer = await loadTokenizer(defaultTokenizerPath, { blankId: 0 });
    const lm = await loadArpa(testLmPath);
    const utterances = loadDevMiniLogProbs().slice(0, 12);
    const settings = { beamWidth: 64, lm, alpha: 0.5, beta: 1.5 };
    const reused = new CtcBeamSearchDecoder(tokenizer, settings);
    for (const u of utterances) {
      const m = { ...u, vocab: 256 };
      // A fresh decoder's trie starts small and grows during this utterance; the reused one is already large.
      const [fresh] = new CtcBeamSearchDecoder(tokenizer, settings).decode(m);
      const [warm] = reused.decode(m);
      expect(fresh!.text).toBe(warm!.text);
      expect(fresh!.score).toBeCloseTo(warm!.score, 6);
    }
  });
});
