import { access } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { createCharTokenizer, CtcError, joinTokens, loadTokenizer, tokenTable, type Tokenizer } from '@asrq/ctc';
import { readModelCompanions, type ModelCompanions } from './companions.js';
import type { ModelInfo } from './model-info.js';
import { findTokenizer } from './tokenizer-path.js';
import { RuntimeError } from './errors.js';

const SPACE_MARK = '▁';

/** A loaded model as far as choosing its tokenizer goes. */
export interface TokenizerTarget {
  path: string;
  info: Pick<ModelInfo, 'blankId' | 'blankIdSource' | 'vocabSize' | 'family'>;
}

/** Options of {@link loadModelTokenizer}. */
export interface LoadModelTokenizerOptions {
  /** An explicit tokenizer file (`--tokenizer`); otherwise it is found beside the model. */
  tokenizer?: string;
  /** Further folders to look in (e.g. the float model's for a quantized copy written elsewhere). */
  extraDirs?: readonly string[];
}

/** A token list that marks word starts with `▁` (sherpa-onnx `tokens.txt` of a BPE model) decodes like SentencePiece. */
function asPieceTokenizer(char: Tokenizer): Tokenizer {
  if (!char.pieces.some((p) => p.startsWith(SPACE_MARK) && p.length > 1)) return char;
  const ids = new Map<string, number>();
  char.pieces.forEach((p, i) => {
    if (i !== char.blankId && !ids.has(p)) ids.set(p, i);
  });
  const longest = Math.max(...char.pieces.map((p) => p.length));
  const tokenizer: Tokenizer = {
    kind: 'sentencepiece',
    vocabSize: char.vocabSize,
    blankId: char.blankId,
    pieces: char.pieces,
    decode: (list) => joinTokens(tokenTable(tokenizer), list),
    // Greedy longest match over the pieces: enough for hotwords and tests; not SentencePiece's own segmentation.
    encode(text) {
      const out: number[] = [];
      for (const word of text
        .trim()
        .split(/\s+/)
        .filter((w) => w.length > 0)) {
        let rest = SPACE_MARK + word;
        while (rest.length > 0) {
          let length = Math.min(longest, rest.length);
          while (length > 0 && !ids.has(rest.slice(0, length))) length--;
          if (length === 0) {
            const unk = ids.get('<unk>');
            if (unk === undefined)
              throw new CtcError(
                'CTC_UNKNOWN_CHAR',
                `No token spells ${JSON.stringify(rest[0])} and there is no <unk> token.`,
              );
            out.push(unk);
            length = 1;
          } else out.push(ids.get(rest.slice(0, length))!);
          rest = rest.slice(length);
        }
      }
      return out;
    },
  };
  return tokenizer;
}

/** NeMo models output one more id than their tokenizer has: the blank, last. */
function withBlankAppended(base: Tokenizer): Tokenizer {
  const pieces = Object.freeze([...base.pieces, '<blk>']);
  const tokenizer: Tokenizer = {
    kind: base.kind,
    vocabSize: pieces.length,
    blankId: pieces.length - 1,
    pieces,
    ...(base.wordDelimiter === undefined ? {} : { wordDelimiter: base.wordDelimiter }),
    decode: (list) => joinTokens(tokenTable(tokenizer), list),
    encode: (text) => base.encode(text),
  };
  return tokenizer;
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

/** NeMo names its tokenizer `nemo:<hash>_tokenizer.model` in model_config.yaml; an unpacked .nemo has the file beside the config. */
async function nemoTokenizerPath(companions: ModelCompanions): Promise<string | undefined> {
  const config = companions.nemoConfig;
  const section = config?.content.tokenizer as Record<string, unknown> | undefined;
  const named = typeof section?.model_path === 'string' ? section.model_path : undefined;
  if (!config || !named) return undefined;
  const candidate = join(dirname(config.path), basename(named.replace(/^nemo:/, '')));
  return (await exists(candidate)) ? candidate : undefined;
}

/** A NeMo character model keeps its vocabulary in model_config.yaml (`decoder.vocabulary`), with the blank after it. */
function nemoVocabulary(companions: ModelCompanions): Tokenizer | undefined {
  const config = companions.nemoConfig;
  const decoder = config?.content.decoder as Record<string, unknown> | undefined;
  const vocabulary = decoder?.vocabulary;
  if (
    !config ||
    !Array.isArray(vocabulary) ||
    vocabulary.length === 0 ||
    !vocabulary.every((v) => typeof v === 'string')
  )
    return undefined;
  return withBlankAppended(
    createCharTokenizer(
      [...(vocabulary as string[])],
      { blankId: 0, wordDelimiter: ' ' },
      `${config.path} decoder.vocabulary`,
    ),
  );
}

/**
 * Loads the tokenizer that belongs to a model and makes its blank id agree with the model's:
 * `--blank-id` or the model's `blank_id` metadata win, then the family's convention (NeMo: the
 * last id, appended to a tokenizer that lacks it), then the tokenizer's own `<pad>`/`<blank>`/
 * `<blk>` token. Finds `tokenizer.model`, `tokens.txt`, `vocab.json` beside the model (or in
 * `extraDirs`), NeMo's `*_tokenizer.model` named by model_config.yaml, or NeMo's character
 * vocabulary in model_config.yaml. A `tokens.txt` of `▁` pieces decodes as SentencePiece does.
 *
 * @param model - The loaded model (its path and interface).
 * @param options - An explicit tokenizer path; folders to search.
 * @returns The tokenizer, sized to the model's output.
 * @throws AsrqError `RUNTIME_NO_TOKENIZER`, `RUNTIME_VOCAB_MISMATCH`, `CTC_BAD_BLANK` (blank id outside the vocabulary).
 * @example
 * ```ts
 * const model = await CtcModel.load('model.onnx');
 * const tokenizer = await loadModelTokenizer(model);
 * ```
 */
export async function loadModelTokenizer(
  model: TokenizerTarget,
  options: LoadModelTokenizerOptions = {},
): Promise<Tokenizer> {
  const extraDirs = options.extraDirs ?? [];
  const companions = await readModelCompanions(model.path, extraDirs);
  let base: Tokenizer | undefined;
  let source: string;
  if (options.tokenizer) {
    source = options.tokenizer;
  } else {
    const nemoPath = await nemoTokenizerPath(companions);
    const found =
      nemoPath ??
      (await findTokenizer(model.path, extraDirs).catch((error: unknown) => {
        base = nemoVocabulary(companions);
        if (!base) throw error;
        return companions.nemoConfig!.path;
      }));
    source = found;
  }
  const { blankId, blankIdSource, vocabSize } = model.info;
  if (!base) {
    base = asPieceTokenizer(await loadTokenizer(source));
    const needsAppend =
      vocabSize !== undefined &&
      vocabSize === base.vocabSize + 1 &&
      (blankId === undefined || blankId === base.vocabSize);
    if (needsAppend) base = withBlankAppended(base);
    else if (blankIdSource !== 'tokenizer' && blankId !== undefined && blankId !== base.blankId) {
      base = asPieceTokenizer(await loadTokenizer(source, { blankId }));
    }
  }
  if (vocabSize !== undefined && vocabSize !== base.vocabSize) {
    throw new RuntimeError(
      'RUNTIME_VOCAB_MISMATCH',
      `The tokenizer ${source} has ${base.vocabSize} tokens but ${model.path} outputs ${vocabSize}. Pass the tokenizer the model was trained with (--tokenizer).`,
    );
  }
  return base;
}
