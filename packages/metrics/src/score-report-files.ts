import { join } from 'node:path';
import { writeFileAtomic } from '@asrq/core/node';
import { formatAlignment, worstUtterances } from './alignment-report.js';
import { scoreToJson } from './json.js';
import { scoreMarkdownTable } from './markdown.js';
import { sumReport } from './sum-report.js';
import { formatTrn } from './transcripts.js';
import type { CorpusScore } from './types.js';
import { METRICS_DEFAULTS } from './defaults.js';

/**
 * Writes a corpus score as `score.json` (versioned schema), `score.md` (Markdown table),
 * `score.sum.txt` (sclite-style sum report plus the worst alignments), and `ref.trn`/`hyp.trn`
 * holding the normalised tokens, so `sclite -r ref.trn trn -h hyp.trn trn -i rm -s` rescores the
 * same text. Each file is written atomically.
 * @param dir - Output directory (created if missing).
 * @param score - A word- or character-level corpus score (.trn files are written for word scores only).
 * @param options - `title` for the sum report, `worst` alignments to print (default 10).
 * @returns The paths written.
 * @example
 * ```ts
 * await writeScoreReports('out/fp32', scoreCorpus(pairs, { transforms: librispeechNormalizer }));
 * ```
 */
export async function writeScoreReports(
  dir: string,
  score: CorpusScore,
  options: { title?: string; worst?: number } = {},
): Promise<string[]> {
  const files: Array<[string, string]> = [
    ['score.json', `${JSON.stringify(scoreToJson(score), null, 2)}\n`],
    ['score.md', scoreMarkdownTable(score)],
  ];
  const worst = worstUtterances(score, options.worst ?? METRICS_DEFAULTS.worst).filter((u) => u.alignment.length > 0);
  files.push([
    'score.sum.txt',
    sumReport(score, options.title === undefined ? {} : { title: options.title }) +
      '\n' +
      worst.map((u) => formatAlignment(u)).join('\n'),
  ]);
  if (score.unit === 'word') {
    files.push(['ref.trn', formatTrn(score.utterances.map((u) => [u.id, u.ref.join(' ')]))]);
    files.push(['hyp.trn', formatTrn(score.utterances.map((u) => [u.id, u.hyp.join(' ')]))]);
  }
  const written: string[] = [];
  for (const [name, text] of files) {
    const path = join(dir, name);
    await writeFileAtomic(path, text);
    written.push(path);
  }
  return written;
}
