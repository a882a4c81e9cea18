import { createRequire } from 'node:module';
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { parseSentencePieceModel } from './sentencepiece-model.js';
import { createCharTokenizer, createSentencePieceTokenizer, parseVocabulary, type Tokenizer, type TokenizerOptions } from './tokenizer.js';
import { CtcError } from './errors.js';

interface WasmProcessor {
  load(path: string): Promise<void>;
  encodeIds(text: string): number[];
  encodePieces(text: string): string[];
}

interface SentencePieceJs {
  SentencePieceProcessor: new () => WasmProcessor;
}

const require = createRequire(import.meta.url);

/**
 * Loads sentencepiece-js's WASM processor for a `.model` file, undoing its side effects:
 * its Emscripten glue installs process-wide `uncaughtException`/`unhandledRejection`
 * handlers that rethrow, which would change how the host application crashes.
 * @param path - The `.model` file.
 * @returns The processor.
 */
export async function loadSentencePieceWasm(path: string): Promise<WasmProcessor> {
  const events = ['uncaughtException', 'unhandledRejection'] as const;
  const listeners = (event: (typeof events)[number]): Function[] => (event === 'uncaughtException' ? process.listeners('uncaughtException') : process.listeners('unhandledRejection'));
  const before = events.map((event) => new Set(listeners(event)));
  const { SentencePieceProcessor } = require('sentencepiece-js') as SentencePieceJs;
  const processor = new SentencePieceProcessor();
  try {
    await processor.load(path);
  } finally {
    events.forEach((event, i) => {
      for (const listener of listeners(event)) {
        if (!before[i]!.has(listener)) process.removeListener(event, listener as (...args: unknown[]) => void);
      }
    });
  }
  return processor;
}

/**
 * Loads a tokenizer from a file: a SentencePiece `.model` (vocabulary read from the protobuf,
 * encoding by sentencepiece-js), or a character vocabulary (`tokens.txt`, or a wav2vec2
 * `vocab.json` with `|` as word delimiter).
 *
 * @param path - `.model`, `.txt` or `.json` file.
 * @param options - `blankId` (pass the model's `blank_id` metadata) and `wordDelimiter`.
 * @returns The tokenizer.
 * @throws AsrqError `CTC_TOKENIZER_NOT_FOUND` when the file can't be read, `CTC_BAD_TOKENIZER`
 * for malformed contents, `CTC_BAD_BLANK` for an out-of-range blank id.
 * @example
 * ```ts
 * const tokenizer = await loadTokenizer('model/tokenizer.model', { blankId: 0 });
 * tokenizer.pieces[3]; // '▁THE'
 * ```
 */
export async function loadTokenizer(path: string, options: TokenizerOptions = {}): Promise<Tokenizer> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (error) {
    throw new CtcError('CTC_TOKENIZER_NOT_FOUND', `Cannot read tokenizer ${path}: ${(error as Error).message}. Pass the tokenizer.model, tokens.txt or vocab.json shipped with the model.`, {
      cause: error,
      location: path,
    });
  }
  const name = basename(path);
  if (/\.(txt|json)$/i.test(path)) {
    return createCharTokenizer(parseVocabulary(new TextDecoder().decode(bytes), name), options, path);
  }
  const model = parseSentencePieceModel(bytes, path);
  const wasm = await loadSentencePieceWasm(path);
  // sentencepiece-js never checks the load status: prove the model loaded before relying on it.
  const probe = wasm.encodePieces('a');
  if (probe.length === 0) {
    throw new CtcError('CTC_BAD_TOKENIZER', `${path}: sentencepiece-js could not load this model.`, { location: path });
  }
  return createSentencePieceTokenizer(model, options, path, (text) => {
    const normalised = text.trim().split(/\s+/).filter((w) => w.length > 0).join(' ');
    return normalised.length === 0 ? [] : wasm.encodeIds(normalised);
  });
}
