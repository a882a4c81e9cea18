import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { buildArpa } from './kneser-ney.js';
import { buildArpaFile, loadArpa } from './lm-node.js';
import { NgramLM } from './ngram-lm.js';
import { perplexity } from './perplexity.js';
import { SMALL_ARPA as SMALL } from '../../test/helpers.js';
import { useTempDirs } from '@asrq/test-temp';

const { tempDirSync: tempDir } = useTempDirs();

describe('NgramLM (ARPA)', () => {
  it('scores with standard backoff, matching hand-computed values', () => {
    const lm = NgramLM.fromArpa(SMALL);
    expect(lm.order).toBe(3);
    expect(lm.counts).toEqual([6, 4, 2]);
    const close = (a: number, b: number) => expect(a).toBeCloseTo(b, 5);
    let s = lm.beginState();
    let r = lm.score(s, 'the');
    close(r.log10Prob, -0.2); // listed bigram
    s = r.state;
    r = lm.score(s, 'cat');
    close(r.log10Prob, -0.1); // listed trigram
    r = lm.score(r.state, 'the'); // context "the cat": no "the cat the", bow(the cat) + P(the|cat)
    close(r.log10Prob, -0.25 + -0.2 + -0.6); // bow(the cat) + bow(cat) + P(the)
    // P(sat | <s> the): no trigram, bow(<s> the) + P(sat | the) = -0.4 + (bow(the) + P(sat))
    close(lm.score(lm.score(lm.beginState(), 'the').state, 'sat').log10Prob, -0.4 + -0.3 + -1.4);
    // OOV scores as <unk>, with backoff of the context
    const oov = lm.score(lm.beginState(), 'dog');
    expect(oov.oov).toBe(true);
    close(oov.log10Prob, -0.5 + -1.0);
    close(lm.sentenceLog10Prob(['the', 'cat', 'sat']), -0.2 + -0.1 + -0.05 + -0.4);
    expect(lm.stateWords(s)).toEqual(['<s>', 'the']);
  });

  it('accepts looser files: CRLF, spaces, padded counts, missing backoffs, text before \\data\\', () => {
    const loose = `made by some toolkit\r\n\r\n\\data\\\r\nngram 1 = 6\r\nngram  2=4\r\nngram 3=2\r\n${SMALL.split('\n').slice(5).join('\r\n').replaceAll('\t', '  ').replace('-0.6  the  -0.3', '-0.6 the -0.3 ').replace('-0.5  cat sat  0', '-0.5 cat sat')}`;
    const strict = NgramLM.fromArpa(SMALL);
    const lm = NgramLM.fromArpa(new TextEncoder().encode(loose));
    for (const words of [
      ['the', 'cat', 'sat'],
      ['cat', 'the', 'dog'],
      ['sat', 'sat'],
    ]) {
      expect(lm.sentenceLog10Prob(words)).toBeCloseTo(strict.sentenceLog10Prob(words), 6);
    }
  });

  it('names the line of a broken header or n-gram line', () => {
    const lines = SMALL.split('\n');
    const broken = (i: number, text: string) => [...lines.slice(0, i), text, ...lines.slice(i + 1)].join('\n');
    expect(() => NgramLM.fromArpa(broken(2, 'ngram 2 4'), { name: 'x.arpa' })).toThrow(
      /^x\.arpa:3: expected "ngram N=count"/,
    );
    expect(() => NgramLM.fromArpa(broken(16, '-0.3\tthe\tcat\tsat\t0\t1'), { name: 'x.arpa' })).toThrow(
      /x\.arpa:17: expected "log10prob/,
    );
    expect(() => NgramLM.fromArpa(broken(16, 'abc\tthe cat\t0'), { name: 'x.arpa' })).toThrow(/x\.arpa:17: bad number/);
    expect(() => NgramLM.fromArpa(broken(16, '-0.3\tthe dog\t0'), { name: 'x.arpa' })).toThrow(
      /x\.arpa:17: the word "dog" is not in/,
    );
    expect(() => NgramLM.fromArpa(broken(1, 'ngram 1=7'), { name: 'x.arpa' })).toThrow(
      /x\.arpa:6: the header declares ngram 1=7/,
    );
    expect(() => NgramLM.fromArpa('hello', { name: 'x.arpa' })).toThrow(
      expect.objectContaining({ code: 'LM_BAD_ARPA' }),
    );
    expect(() => NgramLM.fromArpa(SMALL.replace('\\end\\\n', ''))).toThrow(/truncated/);
  });

  it('loads gzipped files from disk', async () => {
    const dir = tempDir('ctc-lm-');
    writeFileSync(join(dir, 'small.arpa.gz'), gzipSync(SMALL));
    const lm = await loadArpa(join(dir, 'small.arpa.gz'));
    expect(lm.sentenceLog10Prob(['the', 'cat'])).toBeCloseTo(
      NgramLM.fromArpa(SMALL).sentenceLog10Prob(['the', 'cat']),
      6,
    );
    await expect(loadArpa(join(dir, 'missing.arpa'))).rejects.toThrow(
      expect.objectContaining({ code: 'LM_NOT_FOUND' }),
    );
  });
});

const TRAIN = [
  'THE CAT SAT ON THE MAT',
  'THE DOG SAT ON THE LOG',
  'A CAT AND A DOG',
  'THE CAT ATE THE FISH',
  'THE DOG ATE THE BONE',
  'A BIRD SAT ON THE DOG',
  'THE FISH SWAM',
  'THE CAT SAW THE BIRD',
  'A DOG SAW A CAT ON THE MAT',
];

function contextSums(lm: NgramLM, contexts: string[][]): number[] {
  const vocab = lm.words.filter((w) => w !== '<s>');
  return contexts.map((context) => {
    let state = lm.beginState();
    for (const w of context) state = lm.score(state, w).state;
    return vocab.reduce((sum, w) => sum + 10 ** lm.score(state, w).log10Prob, 0);
  });
}

describe('buildArpa (modified Kneser-Ney)', () => {
  for (const pruneSingletons of [false, true]) {
    it(`gives distributions that sum to 1 in every context (pruneSingletons=${pruneSingletons})`, () => {
      const lm = NgramLM.fromArpa(buildArpa(TRAIN, { order: 3, pruneSingletons }));
      expect(lm.order).toBe(3);
      const contexts = [[], ['THE'], ['THE', 'CAT'], ['A', 'DOG'], ['ON', 'THE'], ['FISH'], ['ZEBRA'], ['SAT', 'ON']];
      for (const sum of contextSums(lm, contexts)) expect(sum).toBeCloseTo(1, 4);
    });
  }

  it('prunes singletons and keeps the model consistent', () => {
    const full = NgramLM.fromArpa(buildArpa(TRAIN, { order: 3 }));
    const pruned = NgramLM.fromArpa(buildArpa(TRAIN, { order: 3, pruneSingletons: true }));
    expect(pruned.counts[0]).toBe(full.counts[0]);
    expect(pruned.counts[2]!).toBeLessThan(full.counts[2]!);
  });

  it('gives held-out text a finite perplexity lower than a unigram model', () => {
    const heldOut = ['THE CAT SAT ON THE LOG', 'A DOG ATE THE FISH', 'THE ZEBRA SAT'];
    const trigram = perplexity(NgramLM.fromArpa(buildArpa(TRAIN, { order: 3 })), heldOut);
    const unigram = perplexity(NgramLM.fromArpa(buildArpa(TRAIN, { order: 1 })), heldOut);
    expect(trigram.words).toBe(14);
    expect(trigram.sentences).toBe(3);
    expect(trigram.oovs).toBe(1);
    expect(Number.isFinite(trigram.perplexity)).toBe(true);
    expect(trigram.perplexity).toBeLessThan(unigram.perplexity);
    // The usual definition: 10^(-log10prob / (words - oovs + sentences)).
    expect(trigram.perplexity).toBeCloseTo(10 ** (-trigram.log10Prob / (14 - 1 + 3)), 9);
  });

  it('matches hand-computed interpolated Kneser-Ney for a tiny corpus', () => {
    // One sentence "A B": bigrams <s> A, A B, B </s>; unigram continuation counts A:1 B:1 </s>:1.
    // n1=3 (all adjusted counts are 1), n2=0 -> fallback discounts D1=0.5.
    const lm = NgramLM.fromArpa(buildArpa(['A B'], { order: 2 }));
    // Unigrams: (1 - 0.5)/3 + gamma0/4 with gamma0 = 3*0.5/3 = 0.5 over {<unk>, </s>, A, B}.
    expect(10 ** lm.score(lm.nullState(), 'A').log10Prob).toBeCloseTo(0.5 / 3 + 0.5 / 4, 5);
    // P(B | A) = (1 - 0.5)/1 + 0.5 * P(B).
    const pA = lm.score(lm.beginState(), 'A');
    expect(10 ** lm.score(pA.state, 'B').log10Prob).toBeCloseTo(0.5 + 0.5 * (0.5 / 3 + 0.5 / 4), 5);
  });

  it('writes files atomically through buildArpaFile, gzipped for .gz', async () => {
    const dir = tempDir('ctc-build-');
    writeFileSync(join(dir, 'text.txt'), `${TRAIN.join('\r\n')}\r\n`);
    const stages: string[] = [];
    const { counts } = await buildArpaFile(join(dir, 'text.txt'), join(dir, 'out.arpa.gz'), {
      order: 2,
      onProgress: (p) => stages.push(p.status),
    });
    expect(stages).toContain('done');
    const lm = await loadArpa(join(dir, 'out.arpa.gz'));
    expect(lm.counts).toEqual(counts);
    expect(readFileSync(join(dir, 'out.arpa.gz'))[0]).toBe(0x1f);
    await expect(buildArpaFile(join(dir, 'text.txt'), join(dir, 'x.arpa'), { order: 7 })).rejects.toThrow(
      expect.objectContaining({ code: 'LM_BAD_ORDER' }),
    );
  });
});
