import { CtcError } from '../errors.js';

/**
 * Parses a Hugging Face `vocab.json` (`{ "<pad>": 0, "|": 4, "A": 5 }`) into a token list.
 * @param text - File contents.
 * @param name - File name for error messages.
 * @returns id -> token.
 * @throws AsrqError `CTC_BAD_TOKENIZER` for invalid JSON, a non-object, an empty vocabulary, or duplicate,
 *   missing or out-of-range ids.
 */
export function parseJsonVocabulary(text: string, name: string): string[] {
  const entries = Object.entries(parseVocabularyObject(text, name));
  if (entries.length === 0)
    throw new CtcError('CTC_BAD_TOKENIZER', `${name}: the vocabulary is empty.`, { location: name });
  const { out, beyond } = placeTokens(entries, name);
  checkNoGaps(out, entries.length, beyond, name);
  return out;
}

/** JSON.parse, then insists on a plain object (token -> id). */
function parseVocabularyObject(text: string, name: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new CtcError('CTC_BAD_TOKENIZER', `${name}: invalid JSON (${(error as Error).message}).`, {
      cause: error,
      location: name,
    });
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new CtcError(
      'CTC_BAD_TOKENIZER',
      `${name}: expected an object mapping tokens to ids, like wav2vec2's vocab.json.`,
      { location: name },
    );
  }
  return parsed as Record<string, unknown>;
}

/**
 * Puts each token at its id. Ids past the end are not stored (that would make a huge sparse list): the first
 * one is returned as `beyond`, for the gap it leaves.
 */
function placeTokens(entries: Array<[string, unknown]>, name: string): { out: string[]; beyond: string | undefined } {
  const out: string[] = [];
  let beyond: string | undefined;
  for (const [token, id] of entries) {
    if (typeof id !== 'number' || !Number.isInteger(id) || id < 0) {
      throw new CtcError(
        'CTC_BAD_TOKENIZER',
        `${name}: token ${JSON.stringify(token)} has id ${String(id)}, expected a non-negative integer.`,
        { location: name },
      );
    }
    // Ids are 0..n-1: a larger one leaves a gap, reported by checkNoGaps.
    if (id >= entries.length) {
      beyond ??= `token ${JSON.stringify(token)} has id ${id}`;
      continue;
    }
    if (out[id] !== undefined)
      throw new CtcError('CTC_BAD_TOKENIZER', `${name}: id ${id} is used twice.`, { location: name });
    out[id] = token;
  }
  return { out, beyond };
}

/** Throws on the first id of 0..count-1 that no token has. */
function checkNoGaps(out: string[], count: number, beyond: string | undefined, name: string): void {
  for (let i = 0; i < out.length; i++) {
    if (out[i] === undefined)
      throw new CtcError(
        'CTC_BAD_TOKENIZER',
        `${name}: no token has id ${i}; ids must be 0..${count - 1}${beyond ? ` (${beyond})` : ''}.`,
        { location: name },
      );
  }
  if (out.length < count) {
    throw new CtcError(
      'CTC_BAD_TOKENIZER',
      `${name}: no token has id ${out.length}; ids must be 0..${count - 1}${beyond ? ` (${beyond})` : ''}.`,
      { location: name },
    );
  }
}

/**
 * Parses a `tokens.txt`: one token per line, optionally followed by its id (as k2/sherpa write it).
 * @param text - File contents.
 * @param name - File name for error messages.
 * @returns id -> token.
 * @throws AsrqError `CTC_BAD_TOKENIZER` for an empty file, or duplicate or out-of-range ids, naming the line.
 */
export function parseTokenLines(text: string, name: string): string[] {
  const lines = text.replace(/^\uFEFF/u, '').split(/\r?\n/);
  while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  if (lines.length === 0)
    throw new CtcError('CTC_BAD_TOKENIZER', `${name}: the vocabulary is empty (no token lines).`, { location: name });
  const withIds = lines.every((line) => /^\S+ \d+$/.test(line) || /^ {2}\d+$/.test(line));
  if (!withIds) return lines;
  const out: string[] = [];
  lines.forEach((line, i) => {
    const cut = line.lastIndexOf(' ');
    const id = Number(line.slice(cut + 1));
    const where = `${name}:${i + 1}`;
    if (id >= lines.length)
      throw new CtcError(
        'CTC_BAD_TOKENIZER',
        `${where}: id ${id}, but ${lines.length} tokens take ids 0..${lines.length - 1}.`,
        { location: where },
      );
    if (out[id] !== undefined)
      throw new CtcError('CTC_BAD_TOKENIZER', `${where}: id ${id} is used twice.`, { location: where });
    // The space token (sherpa) makes a line of two spaces and the id.
    out[id] = line.slice(0, cut);
  });
  return out;
}
