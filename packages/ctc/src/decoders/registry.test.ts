import { describe, expect, it } from 'vitest';
import { fromProbs } from '../../test/helpers.js';
import { CtcBeamSearchDecoder } from './beam-search.js';
import { defaultBeamWidth } from './decode-settings.js';
import { createDecoder, decoderFor, decoderNames, registerDecoder } from './registry.js';
import { greedyDecode } from './greedy.js';
import { NgramLM } from '../lm/ngram-lm.js';
import { createCharTokenizer } from '../tokenizers/tokenizer.js';

const chars = createCharTokenizer(['<pad>', '|', 'A', 'B', 'C', 'D']);
const lm = NgramLM.fromArpa('\\data\\\nngram 1=4\n\n\\1-grams:\n-1\t<s>\n-1\t</s>\n-0.5\tAB\n-0.5\tCD\n\n\\end\\\n');

describe('decoder registry', () => {
  // "AB|C" then a frame slightly preferring B over D.
  const rows: number[][] = [2, 3, 1, 4, -1].map((k) => Array.from({ length: 6 }, (_, v) => (v === k ? 0.9 : 0.02)));
  rows[4] = [0.02, 0.02, 0.02, 0.48, 0.02, 0.44];
  const m = fromProbs(rows);

  it('lists the built-in decoders, greedy asked before the beam fallback', () => {
    expect(decoderNames()).toEqual(['greedy', 'beam']);
  });

  it('picks greedy only for beam width 1 without an LM, hotwords or n-best', () => {
    expect(decoderFor({}).name).toBe('greedy');
    expect(decoderFor({ beamWidth: 1 }).name).toBe('greedy');
    expect(decoderFor({ beamWidth: 2 }).name).toBe('beam');
    expect(decoderFor({ lm }).name).toBe('beam');
    expect(decoderFor({ lm, beamWidth: 1 }).name).toBe('beam');
    expect(decoderFor({ hotwords: ['AB'] }).name).toBe('beam');
    expect(decoderFor({ hotwords: [] }).name).toBe('greedy');
    expect(decoderFor({ nBest: 2 }).name).toBe('beam');
    expect(defaultBeamWidth(false)).toBe(1);
    expect(defaultBeamWidth(true)).toBe(32);
  });

  it('gives the same hypotheses as calling the decoders directly', () => {
    expect(createDecoder(chars)(m)).toEqual(greedyDecode(m, chars));
    const [best] = new CtcBeamSearchDecoder(chars, { beamWidth: 32, lm, alpha: 0.7, beta: 1 }).decode(m);
    expect(createDecoder(chars, { lm, alpha: 0.7, beta: 1 })(m)).toEqual(best);
    const beam4 = new CtcBeamSearchDecoder(chars, { beamWidth: 4, nBest: 3 }).decode(m);
    const withList = createDecoder(chars, { beamWidth: 4, nBest: 3 })(m);
    expect(withList.nbest).toEqual(
      beam4.map((h) => ({ text: h.text, score: h.score, acousticScore: h.acousticScore, lmScore: h.lmScore })),
    );
  });

  it('asks a newly registered decoder first, and only for the settings it accepts', () => {
    const custom = { ...greedyDecode(m, chars), text: 'CUSTOM' };
    registerDecoder({
      name: 'test-custom',
      description: 'test',
      accepts: (s) => s.beamWidth === 77,
      create: () => () => custom,
    });
    expect(decoderNames()).toEqual(['test-custom', 'greedy', 'beam']);
    expect(createDecoder(chars, { beamWidth: 77 })(m).text).toBe('CUSTOM');
    expect(createDecoder(chars, { beamWidth: 76 })(m).text).not.toBe('CUSTOM');
  });
});
