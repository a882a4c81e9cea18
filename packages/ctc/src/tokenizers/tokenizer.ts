import { PieceType, parseSentencePieceModel, type SentencePieceModel } from './sentencepiece-model.js';
import { encodeUnigram } from './unigram-encoder.js';
import { CtcError } from '../errors.js';
import { parseJsonVocabulary, parseTokenLines } from './vocabulary-parse.js';

/** Maps between CTC output ids and text. */
export interface Tokenizer {
  /** `sentencepiece` for `.model` vocabularies (`▁` starts a word), `char` for character vocabularies. */
  readonly kind: 'sentencepiece' | 'char';
  /** Number of ids, which must equal the model's output width. */
  readonly vocabSize: number;
  /** The CTC blank id. */
  readonly blankId: number;
  /** id -> piece (SentencePiece) or character/token (char vocabularies). */
  readonly pieces: readonly string[];
  /** For `char` vocabularies, the token that separates words (`|` in wav2vec2 vocabularies). */
  readonly wordDelimiter?: string;
  /** Token ids (blanks and repeats already removed) -> text, words separated by one space. */
  decode(ids: ArrayLike<number>): string;
  /** Text -> token ids (no blanks). */
  encode(text: string): number[];
}

/** Options shared by every tokenizer factory. */
export interface TokenizerOptions {
  /** CTC blank id; defaults to the model's `blank_id` metadata, which callers pass here, else 0 or the `<pad>`/`<blank>` token. */
  blankId?: number;
  /** Word delimiter of character vocabularies; defaults to `|`. */
  wordDelimiter?: string;
}

/** How each token contributes to text; built once per tokenizer for the decoders. */
export interface TokenTable {
  /** Text each token adds, without word-boundary markers. */
  text: string[];
  /** 1 when the token begins a new word (SentencePiece `▁` prefix). */
  startsWord: Uint8Array;
  /** 1 when the token closes the current word (delimiter, `▁` suffix, `<unk>`). */
  endsWord: Uint8Array;
  /** 1 for tokens that add nothing (blank, control tokens). */
  silent: Uint8Array;
}

const SPACE_MARK = '▁';

/**
 * Derives the {@link TokenTable} of any tokenizer, so custom implementations of
 * {@link Tokenizer} decode the same way as the built-in ones.
 *
 * @param tokenizer - The tokenizer.
 * @returns Per-token text and word-boundary flags.
 * @example
 * ```ts
 * const table = tokenTable(tokenizer);
 * table.startsWord[3]; // 1 for '▁THE'
 * ```
 */
export function tokenTable(tokenizer: Tokenizer): TokenTable {
  const cached = tableCache.get(tokenizer);
  if (cached) return cached;
  const n = tokenizer.vocabSize;
  const table: TokenTable = {
    text: [],
    startsWord: new Uint8Array(n),
    endsWord: new Uint8Array(n),
    silent: new Uint8Array(n),
  };
  const delimiter = tokenizer.wordDelimiter ?? '|';
  for (let id = 0; id < n; id++) {
    let piece = tokenizer.pieces[id] ?? '';
    let text = '';
    if (id === tokenizer.blankId) {
      table.silent[id] = 1;
    } else if (tokenizer.kind === 'sentencepiece') {
      if (piece === '<unk>') {
        // pyctcdecode's convention: an unknown piece is a word of its own, shown as ⁇.
        text = '⁇';
        table.startsWord[id] = 1;
        table.endsWord[id] = 1;
      } else if (/^<[^>]*>$/.test(piece)) {
        table.silent[id] = 1;
      } else {
        if (piece.startsWith(SPACE_MARK)) {
          table.startsWord[id] = 1;
          piece = piece.slice(1);
        }
        if (piece.endsWith(SPACE_MARK) && piece.length > 0) {
          table.endsWord[id] = 1;
          piece = piece.slice(0, -1);
        }
        text = piece.replaceAll(SPACE_MARK, ' ');
      }
    } else if (piece === delimiter || piece === ' ') {
      table.endsWord[id] = 1;
    } else if (/^<[^>]*>$/.test(piece) || piece === '') {
      table.silent[id] = 1;
    } else {
      text = piece;
    }
    table.text.push(text);
  }
  tableCache.set(tokenizer, table);
  return table;
}

const tableCache = new WeakMap<Tokenizer, TokenTable>();

/**
 * Joins token ids into text using a {@link TokenTable}: one space between words, none at
 * the ends.
 * @param table - The token table.
 * @param ids - Token ids, blanks and repeats removed.
 * @returns The text.
 */
export function joinTokens(table: TokenTable, ids: ArrayLike<number>): string {
  let out = '';
  let pendingSpace = false;
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i]!;
    if (table.silent[id] === 1) continue;
    if (table.startsWord[id] === 1) pendingSpace = true;
    const text = table.text[id] ?? '';
    if (text.length > 0) {
      if (pendingSpace && out.length > 0) out += ' ';
      pendingSpace = false;
      out += text;
    }
    if (table.endsWord[id] === 1) pendingSpace = true;
  }
  return out;
}

function checkBlank(blankId: number, vocabSize: number, name: string): void {
  if (!Number.isInteger(blankId) || blankId < 0 || blankId >= vocabSize) {
    throw new CtcError(
      'CTC_BAD_BLANK',
      `${name}: blank id ${blankId} is outside the vocabulary (0..${vocabSize - 1}). Pass the model's blank_id.`,
      {
        location: name,
      },
    );
  }
}

/**
 * Creates a tokenizer from the bytes of a SentencePiece `.model` file, without WASM. Encoding
 * uses a unigram Viterbi search over the model's pieces (unigram models only); decoding
 * joins pieces. {@link loadTokenizer} uses sentencepiece-js for encoding instead.
 *
 * @param bytes - Contents of the `.model` file.
 * @param options - `blankId` (default: the `<blank>`/`<pad>` piece, else 0).
 * @param name - File name for error messages.
 * @returns The tokenizer.
 * @throws AsrqError `CTC_BAD_TOKENIZER` for bytes that are not a SentencePiece model.
 * @example
 * ```ts
 * const tokenizer = createTokenizerFromModelBytes(new Uint8Array(await (await fetch(url)).arrayBuffer()));
 * ```
 */
export function createTokenizerFromModelBytes(
  bytes: Uint8Array,
  options: TokenizerOptions = {},
  name = 'tokenizer.model',
): Tokenizer {
  const model = parseSentencePieceModel(bytes, name);
  return createSentencePieceTokenizer(model, options, name);
}

/**
 * Creates a SentencePiece tokenizer from a parsed model, optionally with a custom encoder.
 * @param model - The parsed `.model`.
 * @param options - `blankId`.
 * @param name - File name for error messages.
 * @param encoder - Replaces the built-in unigram encoder (the Node loader passes sentencepiece-js).
 * @returns The tokenizer.
 * @throws AsrqError `CTC_BAD_BLANK` when the blank id is out of range.
 */
export function createSentencePieceTokenizer(
  model: SentencePieceModel,
  options: TokenizerOptions = {},
  name = 'tokenizer.model',
  encoder?: (text: string) => number[],
): Tokenizer {
  const pieces = Object.freeze([...model.pieces]);
  let blankId = options.blankId;
  if (blankId === undefined) {
    const found = pieces.findIndex(
      (p, i) => (p === '<blank>' || p === '<pad>' || p === '<ctc_blank>') && model.types[i] !== PieceType.normal,
    );
    blankId = Math.max(found, 0);
  }
  checkBlank(blankId, pieces.length, name);
  const encode =
    encoder ??
    ((text: string): number[] => {
      if (model.modelType !== 1) {
        throw new CtcError(
          'CTC_ENCODE_UNSUPPORTED',
          `${name}: built-in encoding supports unigram SentencePiece models only; load the file with loadTokenizer() (sentencepiece-js) to encode with a BPE model.`,
        );
      }
      return encodeUnigram(model, text);
    });
  const tokenizer: Tokenizer = {
    kind: 'sentencepiece',
    vocabSize: pieces.length,
    blankId,
    pieces,
    decode: (ids) => joinTokens(tokenTable(tokenizer), ids),
    encode,
  };
  return tokenizer;
}

/**
 * Creates a character tokenizer from a token list (id = index).
 *
 * @param tokens - id -> token; the word delimiter (`|`) and special tokens (`<pad>`) included.
 * @param options - `blankId` (default: `<pad>`/`<blank>`/`-`, else 0) and `wordDelimiter` (default `|`).
 * @param name - Source name for error messages.
 * @returns The tokenizer.
 * @throws AsrqError `CTC_BAD_TOKENIZER` for an empty list, `CTC_BAD_BLANK` for a bad blank id.
 * @example
 * ```ts
 * const tokenizer = createCharTokenizer(['<pad>', '|', 'A', 'B']);
 * tokenizer.decode([2, 1, 3]); // 'A B'
 * ```
 */
export function createCharTokenizer(
  tokens: readonly string[],
  options: TokenizerOptions = {},
  name = 'tokens',
): Tokenizer {
  if (tokens.length === 0)
    throw new CtcError('CTC_BAD_TOKENIZER', `${name}: the vocabulary is empty.`, { location: name });
  const pieces = Object.freeze([...tokens]);
  const wordDelimiter = options.wordDelimiter ?? '|';
  let blankId = options.blankId;
  if (blankId === undefined) {
    const found = pieces.findIndex((p) => p === '<pad>' || p === '<blank>' || p === '<blk>' || p === '<eps>');
    blankId = Math.max(found, 0);
  }
  checkBlank(blankId, pieces.length, name);
  const ids = new Map<string, number>();
  pieces.forEach((p, i) => {
    if (i !== blankId && !ids.has(p)) ids.set(p, i);
  });
  const delimiterId = ids.get(wordDelimiter) ?? ids.get(' ');
  const unkId = ids.get('<unk>');
  const tokenizer: Tokenizer = {
    kind: 'char',
    vocabSize: pieces.length,
    blankId,
    pieces,
    wordDelimiter,
    decode: (list) => joinTokens(tokenTable(tokenizer), list),
    encode(text) {
      const out: number[] = [];
      const words = text
        .trim()
        .split(/\s+/)
        .filter((w) => w.length > 0);
      words.forEach((word, w) => {
        if (w > 0 && delimiterId !== undefined) out.push(delimiterId);
        for (const char of word) {
          const id = ids.get(char) ?? unkId;
          if (id === undefined) {
            throw new CtcError(
              'CTC_UNKNOWN_CHAR',
              `${name}: character ${JSON.stringify(char)} is not in the vocabulary and there is no <unk> token.`,
            );
          }
          out.push(id);
        }
      });
      return out;
    },
  };
  return tokenizer;
}

/**
 * Parses a `tokens.txt` (one token per line, optionally followed by its id, as k2/sherpa
 * write it) or a Hugging Face `vocab.json` (`{ "<pad>": 0, "|": 4, "A": 5 }`) into a token list.
 *
 * @param text - File contents.
 * @param name - File name; `.json` selects the JSON format.
 * @returns id -> token.
 * @throws AsrqError `CTC_BAD_TOKENIZER` for an empty vocabulary, invalid JSON, or duplicate, missing
 *   or out-of-range ids (ids must be 0..n-1), naming the file (and line).
 * @example
 * ```ts
 * parseVocabulary('{"<pad>":0,"|":1,"A":2}', 'vocab.json'); // ['<pad>', '|', 'A']
 * ```
 */
export function parseVocabulary(text: string, name: string): string[] {
  return name.toLowerCase().endsWith('.json') ? parseJsonVocabulary(text, name) : parseTokenLines(text, name);
}
