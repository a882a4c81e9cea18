import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AsrqError } from '@asrq/core';
import { defaultTokenizerPath } from '@asrq/fixtures';
import { describe, expect, it } from 'vitest';
import { loadDevMiniLogProbs } from '../../test/helpers.js';
import { createCharTokenizer, createTokenizerFromModelBytes, parseVocabulary } from './tokenizer.js';
import { loadSentencePieceWasm, loadTokenizer } from './tokenizer-node.js';
import { useTempDirs } from '@asrq/test-temp';

const { tempDirSync: tempDir } = useTempDirs();

const transcripts = loadDevMiniLogProbs().map((u) => u.transcript);

describe('SentencePiece tokenizer', () => {
  it('reads the bundled vocabulary from the protobuf', async () => {
    const tokenizer = await loadTokenizer(defaultTokenizerPath);
    expect(tokenizer.kind).toBe('sentencepiece');
    expect(tokenizer.vocabSize).toBe(256);
    expect(tokenizer.blankId).toBe(0);
    // Cross-checked with the Python sentencepiece module (id_to_piece).
    expect(tokenizer.pieces.slice(0, 7)).toEqual(['<blank>', '<unk>', 'S', '▁THE', 'E', 'T', '▁A']);
  });

  it('agrees with sentencepiece-js encodePieces, and the pure encoder agrees with its ids', async () => {
    const tokenizer = await loadTokenizer(defaultTokenizerPath);
    const wasm = await loadSentencePieceWasm(defaultTokenizerPath);
    const pure = createTokenizerFromModelBytes(readFileSync(defaultTokenizerPath));
    for (const text of [...transcripts, "IT'S A  DOG'S LIFE", 'QQQ XYZZY']) {
      const ids = tokenizer.encode(text);
      expect(ids.map((id) => tokenizer.pieces[id])).toEqual(wasm.encodePieces(text.replace(/\s+/g, ' ')));
      expect(pure.encode(text)).toEqual(ids);
      expect(tokenizer.decode(ids)).toBe(text.trim().split(/\s+/).join(' '));
    }
  });

  it('leaves no process-wide handlers behind (sentencepiece-js installs some)', async () => {
    const before = process.listeners('unhandledRejection').length + process.listeners('uncaughtException').length;
    await loadSentencePieceWasm(defaultTokenizerPath);
    expect(process.listeners('unhandledRejection').length + process.listeners('uncaughtException').length).toBe(before);
  });

  it('rejects files that are not SentencePiece models', async () => {
    const dir = tempDir('ctc-tok-');
    writeFileSync(join(dir, 'bad.model'), 'not a protobuf at all \u00ff');
    await expect(loadTokenizer(join(dir, 'bad.model'))).rejects.toSatisfy(
      (e) => AsrqError.isInstance(e) && e.code === 'CTC_BAD_TOKENIZER',
    );
    await expect(loadTokenizer(join(dir, 'missing.model'))).rejects.toSatisfy(
      (e) => AsrqError.isInstance(e) && e.code === 'CTC_TOKENIZER_NOT_FOUND',
    );
  });
});

describe('character tokenizer', () => {
  it('loads a wav2vec2 vocab.json with | as delimiter and <pad> as blank', async () => {
    const dir = tempDir('ctc-tok-');
    const path = join(dir, 'vocab.json');
    writeFileSync(
      path,
      JSON.stringify({ '<pad>': 0, '<s>': 1, '</s>': 2, '<unk>': 3, '|': 4, E: 5, T: 6, A: 7, "'": 8 }),
    );
    const tokenizer = await loadTokenizer(path);
    expect(tokenizer.kind).toBe('char');
    expect(tokenizer.blankId).toBe(0);
    expect(tokenizer.encode("TEA AT'")).toEqual([6, 5, 7, 4, 7, 6, 8]);
    expect(tokenizer.decode([6, 5, 7, 4, 4, 7, 6, 1])).toBe('TEA AT');
    expect(tokenizer.encode('Z')).toEqual([3]);
  });

  it('loads tokens.txt with or without ids, and honours an explicit blank id', async () => {
    expect(parseVocabulary('<blk> 0\n  1\nA 2\r\n', 'tokens.txt')).toEqual(['<blk>', ' ', 'A']);
    const dir = tempDir('ctc-tok-');
    writeFileSync(join(dir, 'tokens.txt'), 'A\nB\n|\n-\n');
    const tokenizer = await loadTokenizer(join(dir, 'tokens.txt'), { blankId: 3 });
    expect(tokenizer.blankId).toBe(3);
    expect(tokenizer.decode([0, 2, 1])).toBe('A B');
  });

  it('rejects an out-of-range blank and a vocab.json with holes', () => {
    expect(() => createCharTokenizer(['A', 'B'], { blankId: 2 })).toThrow(/blank id 2/);
    expect(() => parseVocabulary('{"A":0,"B":2}', 'vocab.json')).toThrow(/no token has id 1/);
  });
});
