import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  formatAlignment,
  pairUtterances,
  parseTranscripts,
  scoreCorpus,
  sumReport,
  wordEditDistance,
} from '../src/index.js';
import { pralignBlocks } from './sclite-output.js';

const dir = fileURLToPath(new URL('./fixtures/sclite-golden/', import.meta.url));
const read = (name: string) => readFileSync(`${dir}${name}`, 'utf8');

describe('golden: output of sclite 2.10 on a hand-checked set', () => {
  const pairs = pairUtterances(
    parseTranscripts(read('ref.trn'), { name: 'ref.trn' }),
    parseTranscripts(read('hyp.trn'), { name: 'hyp.trn' }),
  );
  const score = scoreCorpus(pairs);

  it('has the hand-checked totals', () => {
    expect(score.total).toMatchObject({ refCount: 20, hits: 12, substitutions: 2, deletions: 6, insertions: 5 });
    expect(score.total.errorRate).toBeCloseTo(65, 10);
    expect(score.sentenceErrors).toBe(5);
  });

  it('reproduces the sum report byte for byte', () => {
    expect(sumReport(score, { title: 'hyp.trn' })).toBe(read('sum.txt'));
  });

  it('reproduces every pralign block byte for byte', () => {
    const blocks = pralignBlocks(read('pralign.txt'));
    expect(blocks.size).toBe(6);
    for (const u of score.utterances) expect(formatAlignment(u)).toBe(blocks.get(u.id));
  });

  it('reports more errors than the unit-cost distance on p q r s t / s t u v w, as sclite does', () => {
    const u = score.utterances.find((x) => x.id === 'spk2-utt2')!;
    expect(u.substitutions + u.deletions + u.insertions).toBe(6);
    expect(wordEditDistance(u.ref, u.hyp)).toBe(5);
  });
});
