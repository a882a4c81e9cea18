import { access } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { CtcError } from '../errors.js';
import { tokenizerFileNames } from './formats.js';

/**
 * Finds the tokenizer that belongs to a model: a file of a registered tokenizer format beside it
 * (`tokenizer.model` for SentencePiece, `tokens.txt` or `vocab.json` for characters, in that
 * order). Quantized models written elsewhere have none beside them, so the caller can pass more
 * directories to look in (for instance the float model's).
 *
 * @param modelPath - The model file.
 * @param extraDirs - Further directories to search, in order.
 * @returns The first tokenizer file found.
 * @throws AsrqError `RUNTIME_NO_TOKENIZER` listing where it looked, and how to pass one (the code
 * dates from when this lived in `@asrq/runtime`).
 * @example
 * ```ts no-run
 * const path = await findTokenizer('model/model.int8.onnx', ['model']);
 * ```
 */
export async function findTokenizer(modelPath: string, extraDirs: readonly string[] = []): Promise<string> {
  const dirs = [dirname(modelPath), ...extraDirs];
  const names = tokenizerFileNames();
  const tried: string[] = [];
  for (const dir of dirs) {
    for (const name of names) {
      const path = join(dir, name);
      tried.push(path);
      try {
        await access(path);
        return path;
      } catch {
        // not here; try the next candidate
      }
    }
  }
  throw new CtcError(
    'RUNTIME_NO_TOKENIZER',
    `No tokenizer found for ${modelPath} (looked for ${tried.join(', ')}). Pass its path (\`tokenizer\`: a ${names.join(', ')} file).`,
    { argument: 'tokenizer' },
  );
}
