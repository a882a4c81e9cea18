import { describe, expect, it } from 'vitest';
import { seededRandom } from '@asrq/core';
import { formatTrn, pairUtterances, parseTranscripts } from './transcripts.js';

const codeOf = (fn: () => unknown): unknown => {
  try {
    fn();
  } catch (error) {
    return (error as { code?: string }).code;
  }
  return undefined;
};

describe('parseTranscripts', () => {
  it('reads sclite .trn lines, skipping blanks and ;; comments', () => {
    const map = parseTranscripts(';; comment\nHELLO WORLD (spk1-utt1)\n\n(spk1-utt2)\r\nA B  (spk2-utt1)\n');
    expect([...map]).toEqual([
      ['spk1-utt1', 'HELLO WORLD'],
      ['spk1-utt2', ''],
      ['spk2-utt1', 'A B'],
    ]);
  });

  it('reads LibriSpeech / Kaldi "utt-id TEXT" lines', () => {
    const map = parseTranscripts(
      '\uFEFF1272-128104-0000 MISTER QUILTER IS\n1272-128104-0001 NOR IS (SIC) IT\n1272-128104-0002\n',
    );
    expect(map.get('1272-128104-0000')).toBe('MISTER QUILTER IS');
    expect(map.get('1272-128104-0001')).toBe('NOR IS (SIC) IT');
    expect(map.get('1272-128104-0002')).toBe('');
  });

  it('names file and line on a bad .trn line', () => {
    expect(() => parseTranscripts('A (x-1)\nB without id\n', { name: 'hyp.trn' })).toThrow(
      /^hyp\.trn:2: expected a \.trn line/,
    );
    expect(codeOf(() => parseTranscripts('A (x-1)\nB\n'))).toBe('METRICS_BAD_LINE');
  });

  it('reports a malformed first .trn line with file:line instead of reading it as "utt-id TEXT"', () => {
    for (const first of ['HELLO WORLD (utt-1', 'HELLO WORLD utt-1)', 'HELLO WORLD (utt 1)']) {
      expect(() => parseTranscripts(`${first}\nSECOND (utt-2)\n`, { name: 'ref.trn' })).toThrow(
        /^ref\.trn:1: expected a \.trn line in the form "TEXT \(utt-id\)"/,
      );
    }
    // Most lines are .trn lines: a first line without any parenthesis is the broken one.
    expect(() => parseTranscripts('HELLO WORLD\nA (u-2)\nB (u-3)\n', { name: 'hyp.trn' })).toThrow(
      /^hyp\.trn:1: expected a \.trn line/,
    );
    // Kaldi files with a parenthesised word inside a line stay Kaldi.
    expect(parseTranscripts('u1 NOR IS (SIC) IT\nu2 B\n').get('u1')).toBe('NOR IS (SIC) IT');
  });

  it('rejects duplicate ids naming both lines, and empty files', () => {
    expect(() => parseTranscripts('A (x-1)\nB (x-2)\nC (x-1)\n', { name: 'ref.trn' })).toThrow(
      'ref.trn:3: utterance id "x-1" was already used on line 1',
    );
    expect(codeOf(() => parseTranscripts('u1 A\nu1 B\n'))).toBe('METRICS_DUPLICATE_ID');
    expect(codeOf(() => parseTranscripts(''))).toBe('METRICS_EMPTY_INPUT');
    expect(() => parseTranscripts('\n;; only a comment\n', { name: 'empty.trn' })).toThrow(
      /^empty\.trn: no transcript lines/,
    );
  });

  it('round-trips through formatTrn (property)', () => {
    const rand = seededRandom(42);
    const words = ['A', "DON'T", 'B', 'ÉTÉ', '😀'];
    for (let t = 0; t < 50; t++) {
      const entries: Array<[string, string]> = Array.from({ length: 1 + Math.floor(rand() * 10) }, (_, i) => [
        `spk${i % 3}-u${i}`,
        Array.from({ length: Math.floor(rand() * 6) }, () => words[Math.floor(rand() * words.length)]).join(' '),
      ]);
      expect([...parseTranscripts(formatTrn(entries))]).toEqual(entries);
    }
  });

  it('formatTrn refuses ids sclite could not read back', () => {
    expect(codeOf(() => formatTrn([['a b', 'X']]))).toBe('METRICS_BAD_ID');
    expect(codeOf(() => formatTrn([['a(1)', 'X']]))).toBe('METRICS_BAD_ID');
    expect(formatTrn(new Map([['u-1', ' multi\nline ']]))).toBe('multi line (u-1)\n');
  });
});

describe('pairUtterances', () => {
  it('pairs by id in reference order', () => {
    const refs = new Map([
      ['b', 'B'],
      ['a', 'A'],
    ]);
    const hyps = new Map([
      ['a', 'a'],
      ['b', 'b'],
    ]);
    expect(pairUtterances(refs, hyps)).toEqual([
      { id: 'b', ref: 'B', hyp: 'b' },
      { id: 'a', ref: 'A', hyp: 'a' },
    ]);
  });

  it('names the first few mismatched ids on each side', () => {
    const refs = new Map(Array.from({ length: 8 }, (_, i) => [`r${i}`, 'X'] as [string, string]));
    const hyps = new Map([
      ['r0', 'X'],
      ['extra', 'Y'],
    ]);
    expect(() => pairUtterances(refs, hyps)).toThrow(
      '7 reference id(s) have no hypothesis ("r1", "r2", "r3", "r4", "r5", …); 1 hypothesis id(s) have no reference ("extra")',
    );
    expect(codeOf(() => pairUtterances(refs, hyps))).toBe('METRICS_ID_MISMATCH');
  });
});
