import { createCharTokenizer } from '@asrq/ctc';
import { describe, expect, it } from 'vitest';
import { createDecoder } from '@asrq/ctc/browser';

const chars = createCharTokenizer(['<pad>', '|', 'A', 'B', 'C', 'D']);

function fromProbs(rows: number[][]) {
  const vocab = rows[0]!.length;
  const data = new Float32Array(rows.length * vocab);
  rows.forEach((row, t) => row.forEach((p, v) => (data[t * vocab + v] = Math.log(p))));
  return { data, frames: rows.length, vocab };
}

describe('createDecoder', () => {
  // "AB|C" then a frame slightly preferring B over D.
  const rows: number[][] = [2, 3, 1, 4, -1].map((k) => Array.from({ length: 6 }, (_, v) => (v === k ? 0.9 : 0.02)));
  rows[4] = [0.02, 0.02, 0.02, 0.48, 0.02, 0.44];
  const m = fromProbs(rows);

  it('returns an n-best list, best first, when nBest > 1, and none otherwise', () => {
    const hyp = createDecoder(chars, { nBest: 3 })(m);
    expect(hyp.nbest?.map((h) => h.text).slice(0, 2)).toEqual(['AB CB', 'AB CD']);
    expect(hyp.nbest![0]!.score).toBeGreaterThanOrEqual(hyp.nbest![1]!.score);
    expect(hyp.text).toBe(hyp.nbest![0]!.text);
    expect(createDecoder(chars, {})(m).nbest).toBeUndefined();
  });

  it('passes phrase hotwords and their weight to the beam search', () => {
    expect(createDecoder(chars, { hotwords: ['AB CD'], hotwordWeight: 5 })(m).text).toBe('AB CD');
    expect(createDecoder(chars, { hotwords: ['AB CD'], hotwordWeight: 0.01 })(m).text).toBe('AB CB');
  });
});
