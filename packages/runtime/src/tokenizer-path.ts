import { access } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { RuntimeError } from './errors.js';

const CANDIDATES = ['tokenizer.model', 'tokens.txt', 'vocab.json'];

/**
 * Finds the tokenizer that belongs to a model: a `tokenizer.model` (SentencePiece),
 * `tokens.txt` or `vocab.json` (characters) beside it. Quantized models written elsewhere
 * have none beside them, so the caller can pass more directories to look in (for instance
 * the float model's).
 *
 * @param modelPath - The model file.
 * @param extraDirs - Further directories to search, in order.
 * @returns The first tokenizer file found.
 * @throws AsrqError `RUNTIME_NO_TOKENIZER` listing where it looked, and how to pass one.
 */
export async function findTokenizer(modelPath: string, extraDirs: readonly string[] = []): Promise<string> {
  const dirs = [dirname(modelPath), ...extraDirs];
  const tried: string[] = [];
  for (const dir of dirs) {
    for (const name of CANDIDATES) {
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
  throw new RuntimeError(
    'RUNTIME_NO_TOKENIZER',
    `No tokenizer found for ${modelPath} (looked for ${tried.join(', ')}). Pass one with --tokenizer <tokenizer.model | tokens.txt | vocab.json>.`,
  );
}
