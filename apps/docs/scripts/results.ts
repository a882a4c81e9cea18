import { readdir, readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { benchReportVersion, formatMegabytes, layoutLabels, resultsTable, type BenchReport } from '@asrq/bench';
import { escapeInline } from './cli-reference.js';

/** A bench report and the file it came from. */
export interface NamedReport {
  file: string;
  report: BenchReport;
}

/**
 * Reads every `*.json` bench report (the `report.json` `asrq bench` writes) from a folder.
 * @param dir - Folder of reports, e.g. `apps/docs/data`.
 * @returns The reports sorted by file name.
 * @throws When a file is not a bench report of a known schema version.
 */
export async function readReports(dir: string): Promise<NamedReport[]> {
  const files = (await readdir(dir).catch(() => [] as string[])).filter((f) => f.endsWith('.json')).sort();
  const reports: NamedReport[] = [];
  for (const file of files) {
    const report = JSON.parse(await readFile(join(dir, file), 'utf8')) as BenchReport;
    if (report.version !== benchReportVersion || !Array.isArray(report.models)) {
      throw new Error(`${join(dir, file)} is not an asrq bench report of schema version ${benchReportVersion} (version ${String(report.version)}). Re-run asrq bench or remove the file.`);
    }
    reports.push({ file, report });
  }
  return reports;
}

const PALETTE = ['#3a7bd5', '#d9534f', '#2e9e5b', '#e08e0b', '#8e44ad', '#16a2b8', '#6c757d', '#c0398f'];

function niceStep(range: number, ticks: number): number {
  const raw = range / ticks;
  const power = 10 ** Math.floor(Math.log10(raw));
  const unit = raw / power;
  return (unit <= 1 ? 1 : unit <= 2 ? 2 : unit <= 5 ? 5 : 10) * power;
}

function xml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function trimNumber(value: number): string {
  return Number(value.toPrecision(6)).toString();
}

/**
 * Draws WER against encoder RTF for every model of every report as an inline SVG scatter plot
 * (both axes from zero, so distances are honest). Lower-left is better.
 * @param reports - The reports to plot; each report gets one colour.
 * @returns SVG markup.
 */
export function werRtfPlot(reports: readonly NamedReport[]): string {
  const width = 720;
  const height = 420;
  const margin = { left: 64, right: 24, top: 24, bottom: 56 };
  const points = reports.flatMap((r, i) => r.report.models.map((m) => ({ x: m.rtfEncoder, y: m.wer, label: m.label, colour: PALETTE[i % PALETTE.length]! })));
  const maxX = Math.max(...points.map((p) => p.x), 1e-6);
  const maxY = Math.max(...points.map((p) => p.y), 1);
  const xStep = niceStep(maxX * 1.15, 5);
  const yStep = niceStep(maxY * 1.1, 5);
  const xMax = Math.ceil((maxX * 1.15) / xStep) * xStep;
  const yMax = Math.ceil((maxY * 1.1) / yStep) * yStep;
  const plotW = width - margin.left - margin.right;
  const plotH = height - margin.top - margin.bottom;
  const sx = (x: number) => Math.round((margin.left + (x / xMax) * plotW) * 10) / 10;
  const sy = (y: number) => Math.round((margin.top + plotH - (y / yMax) * plotH) * 10) / 10;
  const parts: string[] = [
    `<svg class="asrq-plot" role="img" aria-labelledby="wer-rtf-title" viewBox="0 0 ${width} ${height}" width="100%" xmlns="http://www.w3.org/2000/svg" font-family="system-ui, sans-serif" font-size="12">`,
    `<title id="wer-rtf-title">WER against encoder real-time factor, one point per model</title>`,
    `<rect x="${margin.left}" y="${margin.top}" width="${plotW}" height="${plotH}" fill="none" stroke="currentColor" stroke-opacity="0.4"/>`,
  ];
  for (let x = 0; x <= xMax + xStep / 2; x += xStep) {
    parts.push(`<line x1="${sx(x)}" y1="${margin.top}" x2="${sx(x)}" y2="${margin.top + plotH}" stroke="currentColor" stroke-opacity="0.12"/>`);
    parts.push(`<text x="${sx(x)}" y="${margin.top + plotH + 18}" text-anchor="middle" fill="currentColor">${trimNumber(x)}</text>`);
  }
  for (let y = 0; y <= yMax + yStep / 2; y += yStep) {
    parts.push(`<line x1="${margin.left}" y1="${sy(y)}" x2="${margin.left + plotW}" y2="${sy(y)}" stroke="currentColor" stroke-opacity="0.12"/>`);
    parts.push(`<text x="${margin.left - 8}" y="${sy(y) + 4}" text-anchor="end" fill="currentColor">${trimNumber(y)}</text>`);
  }
  parts.push(`<text x="${margin.left + plotW / 2}" y="${height - 12}" text-anchor="middle" fill="currentColor">encoder RTF (lower is faster)</text>`);
  parts.push(`<text transform="translate(16 ${margin.top + plotH / 2}) rotate(-90)" text-anchor="middle" fill="currentColor">WER % (lower is better)</text>`);
  const labels = layoutLabels(points.map((p) => ({ x: sx(p.x), y: sy(p.y), text: p.label })), { rightEdge: margin.left + plotW });
  points.forEach((p, i) => {
    const label = labels[i]!;
    parts.push(`<circle cx="${sx(p.x).toFixed(1)}" cy="${sy(p.y).toFixed(1)}" r="5" fill="${p.colour}"><title>${xml(`${p.label}: WER ${p.y.toFixed(2)} %, RTF ${p.x.toFixed(5)}`)}</title></circle>`);
    parts.push(`<text x="${label.x.toFixed(1)}" y="${label.y.toFixed(1)}" text-anchor="${label.anchor}" fill="${p.colour}">${xml(p.label)}</text>`);
  });
  if (reports.length > 1) {
    reports.forEach((r, i) => {
      const y = margin.top + 14 + i * 16;
      parts.push(`<circle cx="${margin.left + 14}" cy="${y - 4}" r="4" fill="${PALETTE[i % PALETTE.length]}"/>`);
      parts.push(`<text x="${margin.left + 24}" y="${y}" fill="currentColor">${xml(r.file)}</text>`);
    });
  }
  parts.push('</svg>');
  return parts.join('');
}

function describeRun({ file, report }: NamedReport): string {
  const c = report.config;
  const p = report.protocol;
  const e = report.environment;
  const corpus = basename(c.data);
  return [
    `Source: \`data/${file}\`. ${report.utterances} utterances (${(report.audioSec / 60).toFixed(1)} min of audio) from corpus \`${escapeInline(corpus)}\`` +
      `${c.seed === undefined ? ', the first in id order' : `, chosen with seed ${c.seed}`}; ${p.warmupExcluded} warm-up utterances excluded; ` +
      `${p.repeats} encoder run(s) per utterance; ${p.threads} thread(s); decoding: ${escapeInline(p.decoding)}.`,
    `Machine: ${escapeInline(e.cpu)}, ${e.cores} cores, ${e.platform}; Node ${e.node}, onnxruntime ${e.onnxruntime}. Run ${report.startedAt.slice(0, 10)}; harness overhead ${report.harness.overheadPercent.toFixed(1)} %.` +
      (report.skipped.length > 0 ? ` ${report.skipped.length} unreadable utterance(s) skipped.` : ''),
  ].join('\n');
}

/**
 * Page style: a number such as `0.00604 [0.00604-0.00607]` wrapped over three lines cannot be read
 * as a range, so results cells never wrap; VitePress tables scroll sideways when too wide.
 */
const RESULTS_STYLE = '<style>\n.asrq-results td, .asrq-results th { white-space: nowrap; }\n</style>';

/**
 * Renders the results page from bench reports: one table per report (the same
 * `resultsTable` the CLI prints), sizes, S/D/I, and a WER-vs-RTF plot of every model.
 * @param reports - The reports, in display order.
 * @returns Markdown text.
 */
export function renderResults(reports: readonly NamedReport[]): string {
  const out = [
    '---',
    'outline: [2, 3]',
    '---',
    '',
    '# Results',
    '',
    '::: info Generated',
    'Everything on this page is generated at build time from the bench report JSON files in `apps/docs/data/` (the `report.json` that `asrq bench` writes). No number is typed in by hand. To add a result, run `asrq bench` and copy its `report.json` there under a descriptive name.',
    ':::',
    '',
    'How to read the numbers: **WER** and **CER** are word and character error rates in percent, pooled over the corpus with sclite conventions. **Encoder RTF** is onnxruntime `session.run` time divided by audio duration, the median over repeats, as the SpeechBrain tutorial times the encoder forward pass; **end-to-end RTF** adds audio reading, input tensors and CTC decoding. **Speedup** is the first model\'s encoder RTF divided by each model\'s, measured in the same interleaved run, so only compare speedups within one table. See [Measuring WER and RTF](../concepts/measuring.md).',
    '',
  ];
  if (reports.length === 0) {
    out.push('No bench reports are committed yet.', '');
    return `${out.join('\n')}\n`;
  }
  out.push('## WER against speed', '', 'One point per model and report; lower left is better. Both axes start at zero.', '', werRtfPlot(reports), '');
  for (const named of reports) {
    const { report } = named;
    const title = named.file.replace(/\.json$/, '');
    // In a div of its own so the page style keeps every cell on one line (the table scrolls sideways on a phone).
    out.push(`## ${escapeInline(title)}`, '', describeRun(named), '', '<div class="asrq-results">', '', resultsTable(report), '', '</div>', '');
    const rows = report.models.map((m) => `| ${escapeInline(m.label)} | ${formatMegabytes(m.sizeBytes)} | ${m.substitutions} | ${m.deletions} | ${m.insertions} | ${m.refWords} | ${m.loadSec.toFixed(2)} s |`);
    out.push('<details><summary>Error breakdown and load times</summary>', '', '| model | size | substitutions | deletions | insertions | reference words | load |', '|---|---:|---:|---:|---:|---:|---:|', ...rows, '', '</details>', '');
  }
  out.push(RESULTS_STYLE, '');
  return `${out.join('\n')}\n`;
}
