import type { UtterancePair } from './types.js';
import { MetricsError } from './errors.js';

const trnLine = /^(.*?)\s*\(([^()\s]+)\)\s*$/u;
const kaldiLine = /^(\S+)(?:\s+(.*?))?\s*$/u;

/**
 * Parses a transcript file in either of the two layouts speech tools use, detected from the first
 * non-blank line (and, when it is malformed, from the rest): sclite `.trn` lines `TEXT (utt-id)`,
 * or Kaldi/LibriSpeech lines `utt-id TEXT`. Blank lines and sclite `;;` comment lines are skipped; a UTF-8 BOM is ignored.
 * Text is kept as written (normalise it when scoring).
 *
 * @param text - File contents.
 * @param options - `name`, used in error messages (e.g. the file path). Default `<transcripts>`.
 * @returns Utterance id → text, in file order.
 * @throws AsrqError `METRICS_EMPTY_INPUT` when there is no transcript line, `METRICS_BAD_LINE`
 *   (`name:line`) when a `.trn` line lacks its `(utt-id)`, `METRICS_DUPLICATE_ID` when an id repeats.
 * @example
 * ```ts
 * parseTranscripts('HELLO WORLD (spk1-utt1)\n').get('spk1-utt1'); // "HELLO WORLD"
 * parseTranscripts('1272-128104-0000 MISTER QUILTER\n').get('1272-128104-0000'); // "MISTER QUILTER"
 * ```
 */
export function parseTranscripts(text: string, options: { name?: string } = {}): Map<string, string> {
  const name = options.name ?? '<transcripts>';
  const lines = text.replace(/^\uFEFF/u, '').split(/\r?\n/u);
  const result = new Map<string, string>();
  const firstLine = new Map<string, number>();
  let format: 'trn' | 'kaldi' | undefined;
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index]!;
    const lineNo = index + 1;
    if (line.trim() === '' || line.startsWith(';;')) continue;
    format ??= detectFormat(line, lines);
    let id: string;
    let content: string;
    if (format === 'trn') {
      const match = trnLine.exec(line);
      if (match === null) {
        throw new MetricsError(
          'METRICS_BAD_LINE',
          `${name}:${lineNo}: expected a .trn line in the form "TEXT (utt-id)", got "${truncate(line)}". End the line with the utterance id in parentheses, without spaces in it.`,
          { location: `${name}:${lineNo}` },
        );
      }
      id = match[2]!;
      content = match[1]!.trim();
    } else {
      const match = kaldiLine.exec(line.trim());
      if (match === null) {
        throw new MetricsError(
          'METRICS_BAD_LINE',
          `${name}:${lineNo}: expected "utt-id TEXT", got "${truncate(line)}".`,
          { location: `${name}:${lineNo}` },
        );
      }
      id = match[1]!;
      content = match[2] ?? '';
    }
    const previous = firstLine.get(id);
    if (previous !== undefined) {
      throw new MetricsError(
        'METRICS_DUPLICATE_ID',
        `${name}:${lineNo}: utterance id "${id}" was already used on line ${previous}. Every utterance needs a unique id; remove or rename one of them.`,
        { location: `${name}:${lineNo}` },
      );
    }
    firstLine.set(id, lineNo);
    result.set(id, content);
  }
  if (result.size === 0) {
    throw new MetricsError(
      'METRICS_EMPTY_INPUT',
      `${name}: no transcript lines found (the file is empty or only has blank/comment lines).`,
      { location: name },
    );
  }
  return result;
}

/**
 * `.trn` when the first line is `TEXT (utt-id)`, or looks like a broken one (its last word opens
 * or closes a parenthesis: `TEXT (utt-id`, `TEXT utt-id)`), or when most lines are `.trn` lines:
 * a malformed first line must be reported, not read as an id followed by text.
 */
function detectFormat(first: string, lines: readonly string[]): 'trn' | 'kaldi' {
  if (trnLine.test(first)) return 'trn';
  const lastWord = first.trim().split(/\s+/u).at(-1) ?? '';
  if (lastWord.startsWith('(') || lastWord.endsWith(')')) return 'trn';
  let trn = 0;
  let total = 0;
  for (const line of lines) {
    if (line.trim() === '' || line.startsWith(';;')) continue;
    total++;
    if (trnLine.test(line)) trn++;
  }
  return trn * 2 > total ? 'trn' : 'kaldi';
}

function truncate(line: string): string {
  return line.length > 80 ? `${line.slice(0, 77)}...` : line;
}

/**
 * Writes transcripts as sclite `.trn` lines `TEXT (utt-id)`, so results can be rescored with
 * `sclite -r ref.trn trn -h hyp.trn trn -i rm`. Newlines inside a text become spaces.
 * @param entries - `[id, text]` pairs (a Map works).
 * @returns The file contents, one line per entry, with a final newline.
 * @throws AsrqError `METRICS_BAD_ID` when an id is empty or contains whitespace or parentheses (sclite could not read it back).
 * @example
 * ```ts
 * formatTrn([['spk1-utt1', 'HELLO WORLD']]); // "HELLO WORLD (spk1-utt1)\n"
 * ```
 */
export function formatTrn(entries: Iterable<[id: string, text: string]>): string {
  let out = '';
  for (const [id, text] of entries) {
    if (!/^[^()\s]+$/u.test(id)) {
      throw new MetricsError(
        'METRICS_BAD_ID',
        `Utterance id "${id}" cannot be written to a .trn file: ids must be non-empty without spaces or parentheses.`,
        { location: id },
      );
    }
    const clean = text.replace(/\s+/gu, ' ').trim();
    // A text starting with ";;" would read back (in asrq and sclite) as a comment line: indent it.
    out += clean === '' ? `(${id})\n` : `${clean.startsWith(';;') ? ' ' : ''}${clean} (${id})\n`;
  }
  return out;
}

/**
 * Joins reference and hypothesis transcripts by utterance id, in reference order.
 * @param refs - Reference id → text.
 * @param hyps - Hypothesis id → text.
 * @returns One pair per id.
 * @throws AsrqError `METRICS_ID_MISMATCH` when the id sets differ, naming the first few ids missing on each side.
 * @example
 * ```ts
 * const pairs = pairUtterances(parseTranscripts(refText), parseTranscripts(hypText));
 * ```
 */
export function pairUtterances(refs: ReadonlyMap<string, string>, hyps: ReadonlyMap<string, string>): UtterancePair[] {
  const missingHyp: string[] = [];
  const pairs: UtterancePair[] = [];
  for (const [id, ref] of refs) {
    const hyp = hyps.get(id);
    if (hyp === undefined) missingHyp.push(id);
    else pairs.push({ id, ref, hyp });
  }
  const missingRef: string[] = [];
  for (const id of hyps.keys()) if (!refs.has(id)) missingRef.push(id);
  if (missingHyp.length > 0 || missingRef.length > 0) {
    const parts: string[] = [];
    if (missingHyp.length > 0)
      parts.push(`${missingHyp.length} reference id(s) have no hypothesis (${preview(missingHyp)})`);
    if (missingRef.length > 0)
      parts.push(`${missingRef.length} hypothesis id(s) have no reference (${preview(missingRef)})`);
    throw new MetricsError(
      'METRICS_ID_MISMATCH',
      `Reference and hypothesis utterance ids differ: ${parts.join('; ')}. Score the same utterance set on both sides (an empty hypothesis is still a line with its id).`,
    );
  }
  return pairs;
}

function preview(ids: readonly string[]): string {
  const shown = ids
    .slice(0, 5)
    .map((id) => `"${id}"`)
    .join(', ');
  return ids.length > 5 ? `${shown}, …` : shown;
}
