import type { CorpusScore, ErrorRates } from './types.js';
import { METRICS_DEFAULTS } from './defaults.js';

const PAGE_WIDTH = 80;

interface Row {
  label: string;
  labelAlign: 'left' | 'center';
  snt: string;
  wrd: string;
  pcts: number[];
}

function percentages(r: ErrorRates, sentences: number, sentenceErrors: number): number[] {
  const n = Math.max(r.refCount, 1);
  return [
    (100 * r.hits) / n,
    (100 * r.substitutions) / n,
    (100 * r.deletions) / n,
    (100 * r.insertions) / n,
    r.errorRate,
    sentences === 0 ? 0 : (100 * sentenceErrors) / sentences,
  ];
}

function center(text: string, width: number): string {
  const left = Math.max(0, Math.floor((width - text.length) / 2));
  return ' '.repeat(left) + text + ' '.repeat(Math.max(0, width - left - text.length));
}

function mean(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0) / values.length;
}

function sampleStdev(values: readonly number[]): number {
  if (values.length < 2) return 0;
  const m = mean(values);
  return Math.sqrt(values.reduce((a, v) => a + (v - m) ** 2, 0) / (values.length - 1));
}

function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** The Mean, S.D. (sample) and Median rows over the speaker rows. */
function speakerStats(score: CorpusScore, speakerRows: readonly Row[]): Row[] {
  const column = (pick: (s: (typeof score.speakers)[number], i: number) => number): number[] =>
    score.speakers.map(pick);
  const snts = column((s) => s.sentences);
  const wrds = column((s) => s.refCount);
  const pctColumns = [0, 1, 2, 3, 4, 5].map((k) => speakerRows.map((r) => r.pcts[k]!));
  const stat = (label: string, f: (v: readonly number[]) => number): Row => ({
    label,
    labelAlign: 'center',
    snt: f(snts).toFixed(1),
    wrd: f(wrds).toFixed(1),
    pcts: pctColumns.map(f),
  });
  return [stat('Mean', mean), stat('S.D.', sampleStdev), stat('Median', median)];
}

/**
 * The sclite `sum` report ("SYSTEM SUMMARY PERCENTAGES by SPEAKER"): per speaker `# Snt`,
 * `# Wrd` and Corr/Sub/Del/Ins/Err/S.Err percentages, the pooled `Sum/Avg` row, and the Mean,
 * S.D. (sample) and Median of the speaker rows. Laid out like sclite 2.10 (`-o sum stdout`), so
 * the two can be compared line by line. Speakers with no reference words use the
 * {@link errorRates} convention (denominator 1).
 *
 * @param score - The corpus score.
 * @param options - `title`: the system name in the box header (sclite uses the hypothesis file name). Default `asrq`.
 * @returns The report text.
 * @example
 * ```ts
 * sumReport(scoreCorpus(pairs), { title: 'hyp.trn' });
 * ```
 */
export function sumReport(score: CorpusScore, options: { title?: string } = {}): string {
  const title = options.title ?? METRICS_DEFAULTS.title;
  const speakerRows: Row[] = score.speakers.map((s) => ({
    label: s.speaker,
    labelAlign: 'left',
    snt: String(s.sentences),
    wrd: String(s.refCount),
    pcts: percentages(s, s.sentences, s.sentenceErrors),
  }));
  const total: Row = {
    label: 'Sum/Avg',
    labelAlign: 'left',
    snt: String(score.utterances.length),
    wrd: String(score.total.refCount),
    pcts: percentages(score.total, score.utterances.length, score.sentenceErrors),
  };
  const stats = speakerStats(score, speakerRows);

  const labelWidth = Math.max(6, ...score.speakers.map((s) => s.speaker.length));
  const spkCol = labelWidth + 2;
  const boxInner = spkCol + 1 + 13 + 1 + 41;
  const indent = ' '.repeat(Math.max(0, Math.floor((PAGE_WIDTH - (boxInner + 2)) / 2)));
  const line = (body: string): string => `${indent}${body}`;
  const fullRule = (ch: string): string => line(`|${ch.repeat(boxInner)}|`);
  const splitRule = line(`|${'-'.repeat(spkCol)}+${'-'.repeat(13)}+${'-'.repeat(41)}|`);
  const formatRow = (r: Row): string => {
    const label = r.labelAlign === 'center' ? center(r.label, spkCol) : ` ${r.label}`.padEnd(spkCol);
    const counts = `${r.snt.padStart(5)}${r.wrd.padStart(7)} `;
    const pcts = `${r.pcts.map((p, k) => p.toFixed(1).padStart(k === 0 ? 5 : 7)).join('')} `;
    return line(`|${label}|${counts}|${pcts}|`);
  };

  const out: string[] = ['', '', '', center('SYSTEM SUMMARY PERCENTAGES by SPEAKER', PAGE_WIDTH), ''];
  out.push(line(`,${'-'.repeat(boxInner)}.`));
  out.push(line(`|${center(title, boxInner)}|`));
  out.push(fullRule('-'));
  out.push(line(`|${' SPKR'.padEnd(spkCol)}| # Snt # Wrd | Corr    Sub    Del    Ins    Err  S.Err |`));
  out.push(splitRule);
  speakerRows.forEach((r, i) => {
    if (i > 0) out.push(splitRule);
    out.push(formatRow(r));
  });
  out.push(fullRule('='));
  out.push(formatRow(total));
  out.push(fullRule('='));
  for (const r of stats) out.push(formatRow(r));
  out.push(line(`\`${'-'.repeat(boxInner)}'`));
  return `${out.join('\n')}\n`;
}
