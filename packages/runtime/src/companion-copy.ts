import { access, copyFile, readFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { findTokenizer } from '@asrq/ctc';
import { companionFileNames } from './companions.js';
import { AsrqRuntimeError } from './errors.js';

/** One file copied (or to be copied) beside a derived model. */
export interface CompanionCopy {
  /** The tokenizer, or a front-end configuration file (`companionFileNames()`). */
  kind: 'tokenizer' | 'companion';
  from: string;
  to: string;
}

/** Options of {@link copyModelCompanions} and {@link checkModelCompanions}. */
export interface CompanionCopyOptions {
  /** The tokenizer to put beside `to` (default: the one found beside `from`). */
  tokenizer?: string;
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

async function sameBytes(a: string, b: string): Promise<boolean> {
  const [x, y] = await Promise.all([readFile(a), readFile(b)]);
  return x.equals(y);
}

/** The tokenizer `from`'s model is decoded with: the one named, else the one beside it. */
async function sourceTokenizer(from: string, options: CompanionCopyOptions): Promise<string | undefined> {
  return options.tokenizer ?? (await findTokenizer(from).catch(() => undefined));
}

function foreign(file: string, owner: string, to: string, why: string): AsrqRuntimeError {
  return new AsrqRuntimeError(
    'RUNTIME_FOREIGN_COMPANION',
    `${file} is not from ${owner} (${why}), and transcribe and bench would use it for ${to}. ` +
      'Remove it, or write the quantized model into another folder.',
    { location: file },
  );
}

/**
 * Checks, before a model derived from `from` (a quantized copy) is written to `to` in another
 * folder, that the tokenizer and front-end files already in that folder (which transcription and
 * benchmarks read beside `to`) are `from`'s own: a folder holding another model's tokens.txt would
 * otherwise decode the derived model with the wrong vocabulary, silently.
 * @param from - The original model.
 * @param to - Where the derived model goes.
 * @param options - The tokenizer to use instead of the one beside `from`.
 * @returns The files {@link copyModelCompanions} will copy (none when `to` is in `from`'s folder).
 * @throws AsrqRuntimeError `RUNTIME_FOREIGN_COMPANION` naming the foreign file and what to do.
 * @example
 * ```ts no-run
 * await checkModelCompanions('model.onnx', 'out/model.int8.onnx'); // before quantizing
 * ```
 */
export async function checkModelCompanions(
  from: string,
  to: string,
  options: CompanionCopyOptions = {},
): Promise<CompanionCopy[]> {
  if (dirname(from) === dirname(to)) return [];
  const beside = await findTokenizer(to).catch(() => undefined);
  const tokenizer = await sourceTokenizer(from, options);
  if (beside && tokenizer && !(await sameBytes(beside, tokenizer)))
    throw foreign(beside, from, to, `its tokenizer is ${tokenizer}, with other contents`);
  const copies: CompanionCopy[] = [];
  for (const name of companionFileNames()) {
    const source = join(dirname(from), name);
    const target = join(dirname(to), name);
    const present = await exists(source);
    if (!(await exists(target))) {
      if (present) copies.push({ kind: 'companion', from: source, to: target });
      continue;
    }
    if (!present) throw foreign(target, from, to, `there is no ${name} beside it`);
    if (!(await sameBytes(source, target))) throw foreign(target, from, to, `its own ${source} differs`);
  }
  if (!beside && tokenizer)
    copies.push({ kind: 'tokenizer', from: tokenizer, to: join(dirname(to), basename(tokenizer)) });
  return copies;
}

/**
 * Copies the files that say how to feed and decode a model (its front-end configuration files,
 * `companionFileNames()`, and its tokenizer) beside a model derived from it in another folder, so
 * the derived model is usable on its own and fed exactly like the original (transcription and
 * benchmarks look beside the model). Nothing is overwritten: a file already there is kept (check
 * it first with {@link checkModelCompanions}).
 * @param from - The original model.
 * @param to - The derived model (a quantized copy).
 * @param options - The tokenizer to copy instead of the one beside `from`.
 * @returns The files copied.
 * @example
 * ```ts no-run
 * await copyModelCompanions('model.onnx', 'out/model.int8.onnx'); // out/ gets tokenizer.model, preprocessor_config.json, ...
 * ```
 */
export async function copyModelCompanions(
  from: string,
  to: string,
  options: CompanionCopyOptions = {},
): Promise<CompanionCopy[]> {
  if (dirname(from) === dirname(to)) return [];
  const copied: CompanionCopy[] = [];
  for (const name of companionFileNames()) {
    const source = join(dirname(from), name);
    const target = join(dirname(to), name);
    if (!(await exists(source)) || (await exists(target))) continue;
    await copyFile(source, target);
    copied.push({ kind: 'companion', from: source, to: target });
  }
  if (await findTokenizer(to).catch(() => undefined)) return copied;
  const tokenizer = await sourceTokenizer(from, options);
  if (!tokenizer) return copied;
  const target = join(dirname(to), basename(tokenizer));
  await copyFile(tokenizer, target);
  return [...copied, { kind: 'tokenizer', from: tokenizer, to: target }];
}
