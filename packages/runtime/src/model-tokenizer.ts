import { access } from 'node:fs/promises';
import { loadTokenizer, type Tokenizer } from '@asrq/ctc';
import { getModelFamily } from './families/registry.js';
import type { ModelInfo } from './types.js';
import { findTokenizer } from '@asrq/ctc';
import { asPieceTokenizer, withBlankAppended } from './tokenizer-adapt.js';
import { AsrqRuntimeError } from './errors.js';

/** A loaded model as far as choosing its tokenizer goes. */
export interface TokenizerTarget {
  path: string;
  info: Pick<ModelInfo, 'blankId' | 'blankIdSource' | 'vocabSize' | 'family' | 'companions'>;
}

/** Options of {@link loadModelTokenizer}. */
export interface LoadModelTokenizerOptions {
  /** An explicit tokenizer file (`--tokenizer`); otherwise it is found beside the model. */
  tokenizer?: string;
  /** Further folders to look in (e.g. the float model's for a quantized copy written elsewhere). */
  extraDirs?: readonly string[];
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

/** The tokenizer file to load, or a tokenizer the model's family builds from its own files. */
async function chooseTokenizer(
  model: TokenizerTarget,
  options: LoadModelTokenizerOptions,
): Promise<{ source: string; built?: Tokenizer }> {
  if (options.tokenizer) return { source: options.tokenizer };
  const named = await getModelFamily(model.info.family)?.tokenizer?.({
    path: model.path,
    companions: model.info.companions,
    exists,
  });
  if (named?.path) return { source: named.path };
  try {
    return { source: await findTokenizer(model.path, options.extraDirs ?? []) };
  } catch (error) {
    if (!named?.fallback) throw error;
    return { source: named.fallback.source, built: named.fallback.tokenizer };
  }
}

/**
 * Loads the tokenizer that belongs to a model and makes its blank id agree with the model's:
 * `--blank-id` or the model's `blank_id` metadata win, then the family's convention (NeMo: the
 * last id, appended to a tokenizer that lacks it), then the tokenizer's own `<pad>`/`<blank>`/
 * `<blk>` token. The model family's own files come first (NeMo's `*_tokenizer.model` named by
 * model_config.yaml, already read at load: nothing is read twice), then `tokenizer.model`,
 * `tokens.txt`, `vocab.json` beside the model (or in `extraDirs`), then what the family builds
 * from its files (NeMo's character vocabulary in model_config.yaml). A `tokens.txt` of `▁` pieces
 * decodes as SentencePiece does.
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
  const { source, built } = await chooseTokenizer(model, options);
  const { blankId, blankIdSource, vocabSize } = model.info;
  let base = built;
  if (!base) {
    base = asPieceTokenizer(await loadTokenizer(source));
    // One id short of the model's output and no other blank known: the blank comes last (NeMo's convention).
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
    throw new AsrqRuntimeError(
      'RUNTIME_VOCAB_MISMATCH',
      `The tokenizer ${source} has ${base.vocabSize} tokens but ${model.path} outputs ${vocabSize}. Pass the tokenizer the model was trained with (\`tokenizer\`).`,
      { argument: 'tokenizer' },
    );
  }
  return base;
}
