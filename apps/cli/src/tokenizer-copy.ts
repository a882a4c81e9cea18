import { access, copyFile, readFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { COMPANION_FILE_NAMES, findTokenizer } from '@asrq/runtime';
import { CliError } from './errors.js';

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

/**
 * Copies the files that say how to feed the float model (preprocessor_config.json,
 * model_config.yaml) next to a quantized model written to another folder, unless the output
 * folder has its own.
 * @param input - Float model path.
 * @param output - Quantized model path.
 * @returns The files copied.
 */
export async function copyCompanionFilesBeside(input: string, output: string): Promise<{ from: string; to: string }[]> {
  if (dirname(input) === dirname(output)) return [];
  const copied: { from: string; to: string }[] = [];
  for (const name of COMPANION_FILE_NAMES) {
    const from = join(dirname(input), name);
    const to = join(dirname(output), name);
    if (!(await exists(from)) || (await exists(to))) continue;
    await copyFile(from, to);
    copied.push({ from, to });
  }
  return copied;
}

/**
 * Copies the float model's tokenizer, and its front-end configuration files
 * ({@link copyCompanionFilesBeside}), next to a quantized model written to another folder, so
 * the quantized model is usable on its own and fed exactly like the float one (transcribe and
 * bench look beside the model). Nothing is overwritten.
 * @param input - Float model path.
 * @param output - Quantized model path.
 * @param explicit - The tokenizer the user named (`--tokenizer`), preferred over the one beside the input.
 * @returns The tokenizer copied, if any.
 */
export async function copyTokenizerBeside(
  input: string,
  output: string,
  explicit?: string,
): Promise<{ from: string; to: string } | undefined> {
  if (dirname(input) === dirname(output)) return undefined;
  await copyCompanionFilesBeside(input, output);
  const existing = await findTokenizer(output).catch(() => undefined);
  if (existing) return undefined;
  const from = explicit ?? (await findTokenizer(input).catch(() => undefined));
  if (!from) return undefined;
  const to = join(dirname(output), basename(from));
  await copyFile(from, to);
  return { from, to };
}

async function sameBytes(a: string, b: string): Promise<boolean> {
  const [x, y] = await Promise.all([readFile(a), readFile(b)]);
  return x.equals(y);
}

function foreign(file: string, owner: string, output: string, why: string): CliError {
  return new CliError(
    'CLI_FOREIGN_COMPANION',
    `${file} is not from ${owner} (${why}), and transcribe and bench would use it for ${output}. ` +
      'Remove it, or write the quantized model into another folder.',
    { location: file },
  );
}

/**
 * Checks, before quantizing into another folder, that the tokenizer and front-end files already
 * in the output's folder (which transcribe and bench would read beside the quantized model) are
 * the float model's own: a folder holding another model's tokens.txt would otherwise decode the
 * quantized model with the wrong vocabulary, silently.
 * @param input - Float model path.
 * @param output - Quantized model path.
 * @param explicit - The tokenizer the user named (`--tokenizer`), preferred over the one beside the input.
 * @throws CliError `CLI_FOREIGN_COMPANION` naming the foreign file and what to do.
 */
export async function assertOutputCompanionsMatch(input: string, output: string, explicit?: string): Promise<void> {
  if (dirname(input) === dirname(output)) return;
  const beside = await findTokenizer(output).catch(() => undefined);
  const source = explicit ?? (await findTokenizer(input).catch(() => undefined));
  if (beside && source && !(await sameBytes(beside, source)))
    throw foreign(beside, input, output, `its tokenizer is ${source}, with other contents`);
  for (const name of COMPANION_FILE_NAMES) {
    const from = join(dirname(input), name);
    const to = join(dirname(output), name);
    if (!(await exists(to))) continue;
    if (!(await exists(from))) throw foreign(to, input, output, `there is no ${name} beside it`);
    if (!(await sameBytes(from, to))) throw foreign(to, input, output, `its own ${from} differs`);
  }
}
