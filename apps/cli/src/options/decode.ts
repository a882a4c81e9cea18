import { readFile } from 'node:fs/promises';
import type { BenchSettings } from '@asrq/bench';
import { AsrqError } from '@asrq/core';
import { CTC_DEFAULTS, MAX_HOTWORD_CHARS, MAX_HOTWORD_PHRASES, MAX_HOTWORD_WORDS } from '@asrq/ctc';
import { usageError } from '../exit-codes.js';
import { defineOptions, defineSettingsOptions, type FlagsOf } from './spec.js';
import { decimal, LIMITS, path } from './parsers.js';
import { CliError } from '../errors.js';

/** The n-gram LM and its weights, as `bench` and `transcribe` take them (typed against `BenchSettings`). */
export const lmOptions = defineSettingsOptions<BenchSettings>()({
  lm: {
    flags: '--lm <file>',
    description: 'n-gram LM for beam search: ARPA (.arpa, .arpa.gz) or compiled (asrq lm compile)',
    parse: path,
  },
  alpha: { flags: '--alpha <weight>', description: 'LM weight', parse: decimal(-LIMITS.weight, LIMITS.weight) },
  beta: { flags: '--beta <bonus>', description: 'word insertion bonus', parse: decimal(-LIMITS.weight, LIMITS.weight) },
});

/** `--hotword`, `--hotwords`, `--hotword-weight` and `--lm-params`: the decoding options `transcribe` and `bench` share beyond --beam/--lm/--alpha/--beta. */
export const decodeOptions = defineOptions({
  hotword: {
    flags: '--hotword <phrase>',
    description:
      'boost a word or phrase (repeatable); a phrase earns its bonus only when all its words are recognised in order',
    repeatable: true,
  },
  hotwords: { flags: '--hotwords <file>', description: 'file of hotwords or phrases, one per line (# comments)' },
  hotwordWeight: {
    flags: '--hotword-weight <bonus>',
    description: `bonus per word of a completed hotword phrase, natural-log units (default ${CTC_DEFAULTS.hotwordWeight})`,
    parse: decimal(-LIMITS.weight, LIMITS.weight),
  },
  lmParams: {
    flags: '--lm-params <json>',
    description: 'alpha and beta from `asrq lm tune` (its best.json); --alpha/--beta override them',
  },
});

/** The decoding flags `transcribe` and `bench` share, with the --alpha/--beta each declares itself. */
export type DecodeFlags = FlagsOf<typeof decodeOptions> & { alpha?: number; beta?: number; lm?: string };

/** What the decode flags resolve to. */
export interface ResolvedDecodeFlags {
  alpha?: number;
  beta?: number;
  hotwords?: string[];
  hotwordWeight?: number;
}

async function readText(path: string, what: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (cause) {
    throw new CliError('CLI_FILE_NOT_FOUND', `Cannot read the ${what} ${path}: ${(cause as Error).message}.`, {
      cause,
      location: path,
    });
  }
}

/** A hotword phrase within the decoder's limits; an empty `--hotword ""` is a mistake, not nothing. */
function checkedHotword(phrase: string, where: string): string {
  if (phrase === '') throw usageError(`${where} is empty; give a word or phrase to boost, or leave the flag out.`);
  const words = phrase.split(/\s+/).length;
  if (words > MAX_HOTWORD_WORDS || phrase.length > MAX_HOTWORD_CHARS)
    throw usageError(
      `${where} has ${words} words and ${phrase.length} characters; a hotword phrase may have at most ${MAX_HOTWORD_WORDS} words and ${MAX_HOTWORD_CHARS} characters. Split it into the names or short phrases to boost.`,
    );
  return phrase;
}

/**
 * Reads the hotword file and the tuned LM weights.
 * @param flags - Parsed flags.
 * @returns alpha/beta (explicit flags win over --lm-params), hotwords and their weight.
 * @throws AsrqError `CLI_FILE_NOT_FOUND`, or `CLI_USAGE` for an --lm-params file without numeric alpha and beta,
 *   an empty `--hotword`, or a hotword phrase beyond the decoder's limits (naming the flag or file:line).
 */
export async function resolveDecodeFlags(flags: DecodeFlags): Promise<ResolvedDecodeFlags> {
  const out: ResolvedDecodeFlags = {};
  // The LM weight weights nothing without an LM: say so instead of ignoring it.
  if (!flags.lm && (flags.alpha !== undefined || flags.lmParams))
    throw usageError(
      `${flags.alpha !== undefined ? '--alpha' : '--lm-params'} sets the weight of an n-gram LM, and no --lm is given: pass --lm <file>, or drop it.`,
    );
  if (flags.lmParams) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(await readText(flags.lmParams, '--lm-params file'));
    } catch (error) {
      if (AsrqError.isInstance(error)) throw error;
      throw new CliError(
        'CLI_USAGE',
        `${flags.lmParams} is not JSON (${(error as Error).message}). Pass the best.json that \`asrq lm tune\` wrote.`,
      );
    }
    const { alpha, beta } = (parsed ?? {}) as { alpha?: unknown; beta?: unknown };
    if (typeof alpha !== 'number' || typeof beta !== 'number' || !Number.isFinite(alpha) || !Number.isFinite(beta)) {
      throw new CliError(
        'CLI_USAGE',
        `${flags.lmParams} has no numeric "alpha" and "beta". Pass the best.json that \`asrq lm tune\` wrote.`,
      );
    }
    out.alpha = alpha;
    out.beta = beta;
  }
  if (flags.alpha !== undefined) out.alpha = flags.alpha;
  if (flags.beta !== undefined) out.beta = flags.beta;
  const hotwords = [...(flags.hotword ?? [])].map((h, i) => checkedHotword(h.trim(), `--hotword #${i + 1}`));
  if (flags.hotwords) {
    const lines = (await readText(flags.hotwords, 'hotword file')).split(/\r?\n/);
    lines.forEach((line, i) => {
      const phrase = line.replace(/#.*/, '').trim();
      if (phrase) hotwords.push(checkedHotword(phrase, `${flags.hotwords}:${i + 1}`));
    });
  }
  if (hotwords.length > MAX_HOTWORD_PHRASES)
    throw usageError(
      `${hotwords.length} hotwords; at most ${MAX_HOTWORD_PHRASES} are supported. Keep the words that matter.`,
    );
  if (hotwords.length > 0) out.hotwords = hotwords;
  if (flags.hotwordWeight !== undefined) out.hotwordWeight = flags.hotwordWeight;
  return out;
}
