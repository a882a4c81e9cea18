import type { CorpusScore, ErrorRates } from './types.js';
import { MetricsError } from './errors.js';

function cell(value: string | number): string {
  // NaN or Infinity must never reach a published table.
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : 'n/a';
  return value.replace(/\|/gu, '\\|').replace(/\r?\n/gu, ' ');
}

/**
 * Formats a GitHub-flavoured Markdown table with padded columns. Pipes in cells are escaped,
 * newlines become spaces, and non-finite numbers print as `n/a`.
 * @param headers - Column titles.
 * @param rows - Rows, each with one value per column. Format numbers beforehand to choose decimals.
 * @param options - `align` per column; default right for columns whose cells are all numbers, else left.
 * @returns The table, one line per row, with a trailing newline.
 * @throws AsrqError `METRICS_BAD_TABLE` when a row's length differs from the header's.
 * @example
 * ```ts
 * formatMarkdownTable(['model', 'WER %'], [['fp32', '6.07'], ['int8', '7.34']]);
 * ```
 */
export function formatMarkdownTable(
  headers: readonly string[],
  rows: readonly (readonly (string | number)[])[],
  options: { align?: ('left' | 'right')[] } = {},
): string {
  rows.forEach((row, i) => {
    if (row.length !== headers.length) {
      throw new MetricsError(
        'METRICS_BAD_TABLE',
        `Table row ${i + 1} has ${row.length} cells but there are ${headers.length} headers.`,
      );
    }
  });
  const align = headers.map(
    (_, c) => options.align?.[c] ?? (rows.length > 0 && rows.every((r) => typeof r[c] === 'number') ? 'right' : 'left'),
  );
  const head = headers.map(cell);
  const body = rows.map((r) => r.map(cell));
  const widths = head.map((h, c) => Math.max(3, h.length, ...body.map((r) => r[c]!.length)));
  const pad = (text: string, c: number): string =>
    align[c] === 'right' ? text.padStart(widths[c]!) : text.padEnd(widths[c]!);
  const line = (cells: readonly string[]): string => `| ${cells.map((t, c) => pad(t, c)).join(' | ')} |`;
  const rule = `| ${widths.map((w, c) => (align[c] === 'right' ? `${'-'.repeat(w - 1)}:` : '-'.repeat(w))).join(' | ')} |`;
  return `${[line(head), rule, ...body.map(line)].join('\n')}\n`;
}

const pct = (x: number): string => x.toFixed(2);

function rateCells(r: ErrorRates): string[] {
  return [
    String(r.refCount),
    String(r.hits),
    String(r.substitutions),
    String(r.deletions),
    String(r.insertions),
    pct(r.errorRate),
  ];
}

/**
 * A Markdown table of a corpus score: one row per speaker and a pooled total row.
 * @param score - The corpus score.
 * @returns Markdown; the rate column is titled WER % or CER % after the unit.
 * @example
 * ```ts
 * await writeFile('wer.md', scoreMarkdownTable(scoreCorpus(pairs)));
 * ```
 */
export function scoreMarkdownTable(score: CorpusScore): string {
  const rate = score.unit === 'word' ? 'WER %' : 'CER %';
  const headers = ['speaker', 'utts', 'ref tokens', 'hits', 'sub', 'del', 'ins', rate];
  const rows = score.speakers.map((s) => [s.speaker, String(s.sentences), ...rateCells(s)]);
  rows.push(['**total**', String(score.utterances.length), ...rateCells(score.total)]);
  return formatMarkdownTable(headers, rows, {
    align: ['left', 'right', 'right', 'right', 'right', 'right', 'right', 'right'],
  });
}
