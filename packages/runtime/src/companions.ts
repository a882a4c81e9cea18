import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { errorCode, parseStructuredText } from '@asrq/core';
import type { CompanionFile, ModelCompanions } from './families/family.js';
import { companionSpecs } from './families/registry.js';
import { AsrqRuntimeError } from './errors.js';

/**
 * File names read beside a model: every companion file of the built-in families, in registry order.
 * {@link companionFileNames} also lists those of families registered later.
 */
export const COMPANION_FILE_NAMES: readonly string[] = Object.freeze(companionSpecs().map((s) => s.file));

/**
 * File names read beside a model: every companion file a registered family declares.
 * @returns The names, in registry order.
 */
export function companionFileNames(): string[] {
  return companionSpecs().map((s) => s.file);
}

async function readIfPresent(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new AsrqRuntimeError('RUNTIME_BAD_COMPANION', `Cannot read ${path}: ${(error as Error).message}.`, {
      cause: error,
      location: path,
    });
  }
}

function asRecord(value: unknown, path: string, what: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new AsrqRuntimeError(
      'RUNTIME_BAD_COMPANION',
      `${path}: expected ${what}, found ${Array.isArray(value) ? 'a list' : typeof value}. Fix or remove the file.`,
      { location: path },
    );
  }
  return value as Record<string, unknown>;
}

/**
 * Reads the configuration files that sit beside a model (see {@link ModelCompanions}): every
 * companion file a registered model family declares. Each directory is searched in order and the
 * first hit of each file wins, so a quantized model written elsewhere can fall back to its float
 * model's folder.
 *
 * @param modelPath - The ONNX model.
 * @param extraDirs - Further directories to search after the model's own.
 * @returns The files found, by name (none is required).
 * @throws AsrqError `RUNTIME_BAD_COMPANION` when a file exists but is not valid JSON/YAML of the expected shape.
 * @example
 * ```ts
 * const companions = await readModelCompanions('model.onnx');
 * companions['preprocessor_config.json']?.content.do_normalize;
 * ```
 */
export async function readModelCompanions(
  modelPath: string,
  extraDirs: readonly string[] = [],
): Promise<ModelCompanions> {
  const companions: Record<string, CompanionFile<Record<string, unknown>>> = {};
  for (const dir of [dirname(modelPath), ...extraDirs]) {
    for (const spec of companionSpecs()) {
      if (companions[spec.file]) continue;
      const found = await readCompanion(dir, spec.file, spec.expected);
      if (found) companions[spec.file] = found;
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
    errorCode(AsrqRuntimeError, 'RUNTIME_BAD_COMPANION'),
    'Fix or remove the file.',
  );
  return { path, content: asRecord(parsed, path, expected) };
}
