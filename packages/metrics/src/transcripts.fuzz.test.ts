import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fuzzRuns, mutate, mutationsArb, valueOrAsrqError } from '../../../scripts/fuzz/kit.js';
import { scoreCorpus } from './score.js';
import { formatTrn, pairUtterances, parseTranscripts } from './transcripts.js';

const TRN = 'HELLO WORLD (spk1-utt1)\n;; comment\nSECOND LINE HERE (spk1-utt2)\n(spk2-utt3)\n';
const KALDI = '\uFEFF1272-128104-0000 MISTER QUILTER\n1272-128104-0001 NOR IS (SIC) IT\r\n1272-128104-0002\n';

const piece = fc.constantFrom(
  'HELLO',
  'WORLD',
  ' ',
  '\t',
  '\n',
  '\r\n',
  '(',
  ')',
  '(utt-1)',
  '(a b)',
  ';;',
  '\uFEFF',
  'spk-1',
  "DON'T",
  'É',
  '😀',
  '\0',
);
const text = fc.oneof(
  fc.string({ maxLength: 200 }),
  fc.string({ unit: 'grapheme', maxLength: 100 }),
  fc.array(piece, { maxLength: 50 }).map((p) => p.join('')),
);

/** Parses; on success every id is a non-empty string without whitespace and scoring the file against itself gives 0 %. */
function check(input: string): void {
  const map = valueOrAsrqError(() => parseTranscripts(input, { name: 'fuzz.trn' }), /^METRICS_/);
  if (!map) return;
  expect(map.size).toBeGreaterThan(0);
  for (const id of map.keys()) expect(id).toMatch(/^\S+$/u);
  const score = scoreCorpus(pairUtterances(map, map), { alignments: false });
  expect(score.total.errorRate).toBe(0);
}

describe('fuzz: transcript parser gives transcripts or a METRICS_* error', () => {
  it('on random and near-valid text', () => {
    fc.assert(fc.property(text, check), fuzzRuns(1501, 1000));
  });

  it('on mutated .trn and Kaldi files', () => {
    const files = [TRN, KALDI].map((t) => new TextEncoder().encode(t));
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1 }), mutationsArb(4), (which, mutations) =>
        check(new TextDecoder().decode(mutate(files[which]!, mutations))),
      ),
      fuzzRuns(1502, 1000),
    );
  });

  it('formatTrn output parses back (ids it accepts)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.stringMatching(/^[^()\s]{1,12}$/u), fc.string({ maxLength: 30 })), {
          minLength: 1,
          maxLength: 8,
        }),
        (entries) => {
          const unique = [...new Map(entries)];
          const back = parseTranscripts(formatTrn(unique), { name: 'round.trn' });
          expect([...back.keys()]).toEqual(unique.map(([id]) => id));
        },
      ),
      fuzzRuns(1503, 300),
    );
    // Found by this property: a text starting with ";;" read back as a comment line.
    expect(parseTranscripts(formatTrn([['!', ';;']])).get('!')).toBe(';;');
  });
});
