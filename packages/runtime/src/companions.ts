import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { errorCode, parseStructuredText } from '@asrq/core';
import { RuntimeError } from './errors.js';

/** One configuration file found beside a model, parsed. */
export interface CompanionFile<T = unknown> {
  /** Where it was read from. */
  path: string;
  /** Its parsed content. */
  content: T;
}

/**
 * The files a model family ships beside its ONNX export that say how to feed it:
 * transformers' `preprocessor_config.json`, NeMo's `model_config.yaml` (as found in an
 * unpacked `.nemo`). Tokenizer files are found separately ({@link findTokenizer}).
 */
export interface ModelCompanions {
  /** transformers' feature-extractor settings (`do_normalize`, `sampling_rate`, `return_attention_mask`). */
  preprocessorConfig?: CompanionFile<Record<string, unknown>>;
  /** NeMo's model config: its `preprocessor`, `decoder` (`vocabulary`, `num_classes`) and `tokenizer` sections. */
  nemoConfig?: CompanionFile<Record<string, unknown>>;
}

/** File names read beside a model, in the order they are looked for. */
export const COMPANION_FILE_NAMES = ['preprocessor_config.json', 'model_config.yaml'] as const;

async function readIfPresent(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new RuntimeError('RUNTIME_BAD_COMPANION', `Cannot read ${path}: ${(error as Error).message}.`, {
      cause: error,
      location: path,
    });
  }
}

function asRecord(value: unknown, path: string, what: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new RuntimeError(
      'RUNTIME_BAD_COMPANION',
      `${path}: expected ${what}, found ${Array.isArray(value) ? 'a list' : typeof value}. Fix or remove the file.`,
      {
        location: path,
      },
    );
  }
  return value as Record<string, unknown>;
}

/**
 * Reads the configuration files that sit beside a model (see {@link ModelCompanions}).
 * Each directory is searched in order and the first hit of each file wins, so a quantized
 * model written elsewhere can fall back to its float model's folder.
 *
 * @param modelPath - The ONNX model.
 * @param extraDirs - Further directories to search after the model's own.
 * @returns The files found (none is required).
 * @throws AsrqError `RUNTIME_BAD_COMPANION` when a file exists but is not valid JSON/YAML of the expected shape.
 */
export async function readModelCompanions(
  modelPath: string,
  extraDirs: readonly string[] = [],
): Promise<ModelCompanions> {
  const companions: ModelCompanions = {};
  for (const dir of [dirname(modelPath), ...extraDirs]) {
    if (!companions.preprocessorConfig) {
      const found = await readCompanion(dir, 'preprocessor_config.json', 'a JSON object like transformers writes');
      if (found) companions.preprocessorConfig = found;
    }
    if (!companions.nemoConfig) {
      const found = await readCompanion(dir, 'model_config.yaml', 'a YAML mapping like NeMo writes');
      if (found) companions.nemoConfig = found;
    }
  }
  return companions;
}

/** One configuration file in `dir`, parsed (JSON or YAML) and checked to be a mapping; undefined when absent. */
async function readCompanion(
  dir: string,
  name: string,
  expected: string,
): Promise<CompanionFile<Record<string, unknown>> | undefined> {
  const path = join(dir, name);
  const text = await readIfPresent(path);
  if (text === undefined) return undefined;
  const parsed = parseStructuredText(
    text,
    path,
    errorCode(RuntimeError, 'RUNTIME_BAD_COMPANION'),
    'Fix or remove the file.',
  );
  return { path, content: asRecord(parsed, path, expected) };
}
