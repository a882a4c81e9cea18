import { basename } from 'node:path';
import { createCharTokenizer, parseVocabulary } from './tokenizer.js';
import type { TokenizerFormat } from './tokenizer-format.js';

const charLoader: TokenizerFormat['load'] = async (path, bytes, options) =>
  createCharTokenizer(parseVocabulary(new TextDecoder().decode(bytes), basename(path)), options, path);

/** A character vocabulary, one token per line (sherpa-onnx's and NeMo's `tokens.txt`). */
export const tokensTxtFormat: TokenizerFormat = {
  name: 'tokens-txt',
  fileName: 'tokens.txt',
  extensions: ['.txt'],
  load: charLoader,
};

/** A wav2vec2 `vocab.json` (token -> id, `|` as word delimiter). */
export const vocabJsonFormat: TokenizerFormat = {
  name: 'vocab-json',
  fileName: 'vocab.json',
  extensions: ['.json'],
  load: charLoader,
};
