import { copyFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { findTokenizer } from '@asrq/runtime';

/**
 * Copies the float model's tokenizer next to a quantized model written to another folder, so
 * the quantized model is usable on its own (transcribe and bench look beside the model).
 * Nothing happens when the output folder already has a tokenizer or the input has none.
 * @param input - Float model path.
 * @param output - Quantized model path.
 * @param explicit - The tokenizer the user named (`--tokenizer`), preferred over the one beside the input.
 * @returns What was copied, if anything.
 */
export async function copyTokenizerBeside(input: string, output: string, explicit?: string): Promise<{ from: string; to: string } | undefined> {
  if (dirname(input) === dirname(output)) return undefined;
  const existing = await findTokenizer(output).catch(() => undefined);
  if (existing) return undefined;
  const from = explicit ?? (await findTokenizer(input).catch(() => undefined));
  if (!from) return undefined;
  const to = join(dirname(output), basename(from));
  await copyFile(from, to);
  return { from, to };
}
