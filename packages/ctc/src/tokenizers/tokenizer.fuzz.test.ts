import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fuzzRuns, mutate, mutationsArb, valueOrAsrqError } from '../../../../scripts/fuzz/kit.js';
import { parseVocabulary } from './tokenizer.js';

const VOCAB_JSON = new TextEncoder().encode(
  '{"<pad>": 0, "<s>": 1, "</s>": 2, "<unk>": 3, "|": 4, "E": 5, "T": 6, "A": 7, "\'": 8}',
);
const TOKENS_TXT = new TextEncoder().encode('<blk> 0\n<unk> 1\n  2\n▁THE 3\nS 4\n▁A 5\n');
const PLAIN_TXT = new TextEncoder().encode('<pad>\n<s>\n</s>\n|\nE\nT\n');

/** A vocabulary that parses is a dense list of strings (no holes): ids 0..n-1. */
function check(text: string, name: string): void {
  const vocab = valueOrAsrqError(() => parseVocabulary(text, name), /^CTC_BAD_TOKENIZER$/);
  if (!vocab) return;
  expect(vocab.length).toBeGreaterThan(0);
  for (let i = 0; i < vocab.length; i++) expect(typeof vocab[i]).toBe('string');
}

describe('fuzz: vocabulary parser gives a token list or CTC_BAD_TOKENIZER', () => {
  it('on mutated vocab.json and tokens.txt files', () => {
    const files: Array<[Uint8Array, string]> = [
      [VOCAB_JSON, 'vocab.json'],
      [TOKENS_TXT, 'tokens.txt'],
      [PLAIN_TXT, 'tokens.txt'],
    ];
    fc.assert(
      fc.property(fc.integer({ min: 0, max: files.length - 1 }), mutationsArb(4), (which, mutations) => {
        const [bytes, name] = files[which]!;
        check(new TextDecoder().decode(mutate(bytes, mutations)), name);
      }),
      fuzzRuns(1701, 1000),
    );
  });

  it('on random JSON objects and random text', () => {
    const id = fc.oneof(
      fc.nat({ max: 12 }),
      fc.integer(),
      fc.double(),
      fc.constant(2 ** 40),
      fc.constant(1e21),
      fc.string(),
    );
    fc.assert(
      fc.property(fc.dictionary(fc.string({ maxLength: 4 }), id, { maxKeys: 8 }), (obj) =>
        check(JSON.stringify(obj), 'vocab.json'),
      ),
      fuzzRuns(1702, 500),
    );
    const line = fc.oneof(
      fc.string({ maxLength: 8 }),
      fc
        .tuple(fc.stringMatching(/^\S{1,4}$/u), fc.oneof(fc.nat({ max: 9 }), fc.constant(99999999999)))
        .map(([t, i]) => `${t} ${i}`),
    );
    fc.assert(
      fc.property(fc.array(line, { maxLength: 12 }), (lines) => check(lines.join('\n'), 'tokens.txt')),
      fuzzRuns(1703, 500),
    );
  });

  it('refuses ids beyond the token count instead of returning a list with holes', () => {
    expect(() => parseVocabulary('a 0\nb 99999999999\n', 'tokens.txt')).toThrow(
      /tokens\.txt:2: id 99999999999, but 2 tokens take ids 0\.\.1/,
    );
    expect(() => parseVocabulary('{"a": 0, "b": 1099511627776}', 'vocab.json')).toThrow(
      /vocab\.json: no token has id 1; ids must be 0\.\.1 \(token "b" has id 1099511627776\)/,
    );
    expect(() => parseVocabulary('', 'tokens.txt')).toThrow(/tokens\.txt: the vocabulary is empty/);
    expect(() => parseVocabulary('{}', 'vocab.json')).toThrow(/vocab\.json: the vocabulary is empty/);
  });
});
