import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultTokenizerPath } from '@asrq/fixtures';
import { afterAll, describe, expect, it } from 'vitest';
import { findTokenizer } from './find-tokenizer.js';
import { registerTokenizerFormat, tokenizerFileNames, tokenizerFormatFor } from './formats.js';
import { loadTokenizer } from './tokenizer-node.js';
import { createCharTokenizer } from './tokenizer.js';

const dir = mkdtempSync(join(tmpdir(), 'asrq-ctc-formats-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('tokenizer formats', () => {
  it('looks for tokenizer.model, tokens.txt and vocab.json, in that order', () => {
    expect(tokenizerFileNames()).toEqual(['tokenizer.model', 'tokens.txt', 'vocab.json']);
  });

  it('picks the format by extension, case-insensitively, and SentencePiece for anything else', () => {
    expect(tokenizerFormatFor('a/tokens.txt').name).toBe('tokens-txt');
    expect(tokenizerFormatFor('a/VOCAB.JSON').name).toBe('vocab-json');
    expect(tokenizerFormatFor('a/tokenizer.model').name).toBe('sentencepiece');
    expect(tokenizerFormatFor('a/spm.bin').name).toBe('sentencepiece');
  });

  it('finds the first tokenizer beside the model, then in the extra directories', async () => {
    const a = join(dir, 'a');
    const b = join(dir, 'b');
    for (const d of [a, b]) rmSync(d, { recursive: true, force: true });
    mkdirSync(a);
    mkdirSync(b);
    writeFileSync(join(b, 'vocab.json'), '{"<pad>":0,"|":1,"A":2}');
    expect(await findTokenizer(join(a, 'model.onnx'), [b])).toBe(join(b, 'vocab.json'));
    writeFileSync(join(b, 'tokens.txt'), '<blk> 0\n| 1\nA 2\n');
    expect(await findTokenizer(join(a, 'model.onnx'), [b])).toBe(join(b, 'tokens.txt'));
    writeFileSync(join(a, 'vocab.json'), '{"<pad>":0,"|":1,"A":2}');
    expect(await findTokenizer(join(a, 'model.onnx'), [b])).toBe(join(a, 'vocab.json'));
    const empty = join(dir, 'empty');
    mkdirSync(empty, { recursive: true });
    await expect(findTokenizer(join(empty, 'm.onnx'))).rejects.toMatchObject({
      code: 'RUNTIME_NO_TOKENIZER',
      message: `No tokenizer found for ${join(empty, 'm.onnx')} (looked for ${['tokenizer.model', 'tokens.txt', 'vocab.json'].map((n) => join(empty, n)).join(', ')}). Pass its path (\`tokenizer\`: a tokenizer.model, tokens.txt, vocab.json file).`,
      argumentNames: ['tokenizer'],
    });
  });

  it('loads the bundled SentencePiece model and character vocabularies through the registry', async () => {
    const sp = await loadTokenizer(defaultTokenizerPath);
    expect(sp.vocabSize).toBeGreaterThan(10);
    const path = join(dir, 'chars.json');
    writeFileSync(path, '{"<pad>":0,"|":1,"A":2}');
    expect((await loadTokenizer(path)).pieces).toEqual(['<pad>', '|', 'A']);
    await expect(loadTokenizer(join(dir, 'missing.txt'))).rejects.toMatchObject({
      code: 'CTC_TOKENIZER_NOT_FOUND',
      message: expect.stringMatching(/Pass the tokenizer\.model, tokens\.txt or vocab\.json shipped with the model\.$/),
    });
  });

  it('loads a newly registered format by its extension and looks for its file name', async () => {
    registerTokenizerFormat({
      name: 'test-letters',
      fileName: 'letters.lst',
      extensions: ['.lst'],
      load: async (_path, bytes) =>
        createCharTokenizer(['<blank>', ...new TextDecoder().decode(bytes).trim().split(',')]),
    });
    const path = join(dir, 'letters.lst');
    writeFileSync(path, '|,X,Y');
    expect((await loadTokenizer(path)).pieces).toEqual(['<blank>', '|', 'X', 'Y']);
    expect(tokenizerFileNames().at(-1)).toBe('letters.lst');
    expect(await findTokenizer(join(dir, 'model.onnx'))).toBe(path);
  });
});
