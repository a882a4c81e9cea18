import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fuzzRuns, mutate, mutationsArb, valueOrAsrqError } from '../../../scripts/fuzz/kit.js';
import { CorpusProblems, parseManifestText, parseTransText } from './corpus-text.js';

const MANIFEST = [
  '{"audio": "a.wav", "text": "HELLO", "duration": 1.5}',
  '{"audio_filepath": "b/c.flac", "text": "WORLD", "id": 7, "speaker": "s1"}',
  '{"audio": "d.wav", "transcript": "X", "durationSec": 0}',
].join('\n');
const TRANS = '116-1000-0035 HELLO WORLD\n116-1000-0036 SECOND LINE\r\n\n116-1000-0037 X\n';

/** Pieces manifests and transcripts are made of, to build near-valid texts from. */
const piece = fc.constantFrom(
  '{',
  '}',
  '[',
  ']',
  ',',
  ':',
  '"',
  '"audio"',
  '"text"',
  '"id"',
  '"duration"',
  '"durationSec"',
  '"speaker"',
  '"a.wav"',
  '"long"',
  '1e999',
  '-1',
  'null',
  'true',
  '0.5',
  '\n',
  '\r\n',
  ' ',
  '\t',
  '\uFEFF',
  'utt-1',
  'HELLO',
  '(x)',
  '\u2028',
  '\0',
);
const text = fc.oneof(
  fc.string({ maxLength: 200 }),
  fc.array(piece, { maxLength: 40 }).map((p) => p.join('')),
);

function parseBoth(input: string, path: string): void {
  for (const lenient of [false, true]) {
    const problems = new CorpusProblems(lenient);
    const lines = valueOrAsrqError(() => parseManifestText(input, path, problems), /^CORPUS_/);
    for (const line of lines ?? []) {
      expect(typeof line.audio).toBe('string');
      expect(line.audio).not.toBe('');
      if (line.durationSec !== undefined) expect(Number.isFinite(line.durationSec) && line.durationSec >= 0).toBe(true);
    }
    const trans = valueOrAsrqError(() => parseTransText(input, 'x.trans.txt', new CorpusProblems(lenient)), /^CORPUS_/);
    for (const line of trans ?? []) expect(line.id).toMatch(/^\S+$/u);
  }
}

describe('fuzz: manifest and .trans.txt parsers give entries or a CORPUS_* error', () => {
  it('on random and near-valid text, as .jsonl and .json', () => {
    fc.assert(
      fc.property(text, fc.constantFrom('m.jsonl', 'm.json'), (input, path) => parseBoth(input, path)),
      fuzzRuns(1401, 800),
    );
  });

  it('on mutated valid files', () => {
    const bytes = new TextEncoder().encode(`${MANIFEST}\n${TRANS}`);
    const json = new TextEncoder().encode(`[${MANIFEST.split('\n').join(',')}]`);
    fc.assert(
      fc.property(mutationsArb(4), fc.boolean(), (mutations, asArray) => {
        const input = new TextDecoder().decode(mutate(asArray ? json : bytes, mutations));
        parseBoth(input, asArray ? 'm.json' : 'm.jsonl');
      }),
      fuzzRuns(1402, 800),
    );
  });
});
