import { access, copyFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { COMPANION_FILE_NAMES, findTokenizer } from '@asrq/runtime';

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
