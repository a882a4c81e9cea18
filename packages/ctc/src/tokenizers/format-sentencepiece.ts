import { createRequire } from 'node:module';
import { parseSentencePieceModel } from './sentencepiece-model.js';
import { createSentencePieceTokenizer, type Tokenizer, type TokenizerOptions } from './tokenizer.js';
import type { TokenizerFormat } from './tokenizer-format.js';
import { CtcError } from '../errors.js';

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
  const listeners = (event: (typeof events)[number]): ((...args: never[]) => unknown)[] =>
    event === 'uncaughtException' ? process.listeners('uncaughtException') : process.listeners('unhandledRejection');
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

async function loadSentencePiece(path: string, bytes: Uint8Array, options: TokenizerOptions): Promise<Tokenizer> {
  const model = parseSentencePieceModel(bytes, path);
  const wasm = await loadSentencePieceWasm(path);
  // sentencepiece-js never checks the load status: prove the model loaded before relying on it.
  const probe = wasm.encodePieces('a');
  if (probe.length === 0) {
    throw new CtcError('CTC_BAD_TOKENIZER', `${path}: sentencepiece-js could not load this model.`, { location: path });
  }
  return createSentencePieceTokenizer(model, options, path, (text) => {
    const normalised = text
      .trim()
      .split(/\s+/)
      .filter((w) => w.length > 0)
      .join(' ');
    return normalised.length === 0 ? [] : wasm.encodeIds(normalised);
  });
}

/** A SentencePiece `.model` (vocabulary read from the protobuf, encoding by sentencepiece-js); also reads files of unclaimed extensions. */
export const sentencePieceFormat: TokenizerFormat = {
  name: 'sentencepiece',
  fileName: 'tokenizer.model',
  extensions: ['.model'],
  fallback: true,
  load: loadSentencePiece,
};
