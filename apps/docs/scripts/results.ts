import { basename } from 'node:path';
import { formatMegabytes, readBenchReports, resultsTable, scatterPlot, type NamedBenchReport } from '@asrq/bench';
import { formatMarkdownTable } from '@asrq/metrics';
import { escapeInline } from './cli-reference.js';

/** A bench report and the file it came from. */
export type NamedReport = NamedBenchReport;

/**
 * Reads every `*.json` bench report (the `report.json` `asrq bench` writes) from a folder.
 * @param dir - Folder of reports, e.g. `apps/docs/data`.
 * @returns The reports sorted by file name.
 * @throws AsrqError `BENCH_BAD_REPORT` when a file is not a bench report of a known schema version.
 */
export function readReports(dir: string): Promise<NamedReport[]> {
  return readBenchReports(dir);
}

const PALETTE = ['#3a7bd5', '#d9534f', '#2e9e5b', '#e08e0b', '#8e44ad', '#16a2b8', '#6c757d', '#c0398f'];

/**
 * Draws WER against encoder RTF for every model of every report as an inline SVG scatter plot
 * (bench's `scatterPlot`, both axes from zero, so distances are honest). Lower-left is better.
 * @param reports - The reports to plot; each report gets one colour (and a legend entry when there are several).
 * @returns SVG markup on one line (an HTML block in Markdown must not be broken by blank lines).
 */
export function werRtfPlot(reports: readonly NamedReport[]): string {
  // Two drawings of the same plot: the wide one for desktops, a narrow one for phones (an SVG
  // scales its text with it, so the wide one's labels would be ~6 px tall on a 390 px screen);
  // the page style shows one of them.
  return [
    drawPlot(reports, 'asrq-plot asrq-plot-wide', 720, 420),
    drawPlot(reports, 'asrq-plot asrq-plot-narrow', 380, 360),
  ].join('');
}

function drawPlot(reports: readonly NamedReport[], className: string, width: number, height: number): string {
  const svg = scatterPlot({
    className,
    ariaLabel: 'WER against encoder real-time factor, one point per model',
    xLabel: 'encoder RTF (lower is faster)',
    yLabel: 'WER % (lower is better)',
    width,
    height,
    fluid: true,
    radius: 5,
    points: reports.flatMap((r, i) =>
      r.report.models.map((m) => ({
        x: m.rtfEncoder,
        y: m.wer,
        colour: PALETTE[i % PALETTE.length]!,
        label: m.label,
        title: `${m.label}: WER ${m.wer.toFixed(2)} %, RTF ${m.rtfEncoder.toFixed(5)}`,
      })),
    ),
    ...(reports.length > 1
      ? { legend: reports.map((r, i) => ({ text: r.file, colour: PALETTE[i % PALETTE.length]! })) }
      : {}),
  });
  return svg.replace(/\n/g, '');
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
 * Page style: results cells never wrap (a number broken over lines cannot be read), with the
 * main table narrow enough for the desktop column (the RTF spread is in the details); VitePress
 * tables scroll sideways when too wide (phones). One of the two plot drawings shows.
 */
const RESULTS_STYLE = [
  '<style>',
  '.asrq-results td, .asrq-results th { white-space: nowrap; padding: 6px 10px; }',
  '.asrq-plot-narrow { display: none; }',
  '@media (max-width: 640px) { .asrq-plot-wide { display: none; } .asrq-plot-narrow { display: block; } }',
  '</style>',
].join('\n');

/** The page's front matter, title and how-to-read notes. */
function pageIntro(): string[] {
  return [
    '---',
    // No outline column: the results tables need the width.
    'aside: false',
    '---',
    '',
    '# Results',
    '',
    '::: info Generated',
    'Everything on this page is generated at build time from the bench report JSON files in `apps/docs/data/` (the `report.json` that `asrq bench` writes). No number is typed in by hand. To add a result, run `asrq bench` and copy its `report.json` there under a descriptive name.',
    ':::',
    '',
    "How to read the numbers: **WER** and **CER** are word and character error rates in percent, pooled over the corpus with sclite conventions. **Encoder RTF** is onnxruntime `session.run` time divided by audio duration, the median over repeats, as the SpeechBrain tutorial times the encoder forward pass; **end-to-end RTF** adds audio reading, input tensors and CTC decoding. **Speedup** is the first model's encoder RTF divided by each model's, measured in the same interleaved run, so only compare speedups within one table. See [Measuring WER and RTF](../concepts/measuring.md).",
    '',
  ];
}

/** One report's section: what was run where, its results table and its error breakdown. */
function reportSection(named: NamedReport): string[] {
  const lines: string[] = [];
  const { report } = named;
  // In a div of its own so the page style keeps every cell on one line (the table scrolls sideways on a phone).
  lines.push(
    `## ${escapeInline(sectionTitle(report))}`,
    '',
    describeRun(named),
    '',
    '<div class="asrq-results">',
    '',
    compactResultsTable(report),
    '',
    '</div>',
    '',
  );
  const rows = report.models.map(
    (m) =>
      `| ${escapeInline(m.label)} | ${m.rtfEncoderRepeats.min.toFixed(5)}-${m.rtfEncoderRepeats.max.toFixed(5)} | ${m.substitutions} | ${m.deletions} | ${m.insertions} | ${m.refWords} | ${m.loadSec.toFixed(2)} s |`,
  );
  lines.push(
    '<details><summary>RTF spread, error breakdown and load times</summary>',
    '',
    '<div class="asrq-results">',
    '',
    '| model | RTF encoder min-max | substitutions | deletions | insertions | reference words | load |',
    '|---|---:|---:|---:|---:|---:|---:|',
    ...rows,
    '',
    '</div>',
    '',
    '</details>',
    '',
  );
  return lines;
}

/** What a report measured, as a heading (the file it came from is named in the section). */
export function sectionTitle(report: NamedReport['report']): string {
  const threads = report.protocol.threads;
  return `${report.models.length} model${report.models.length === 1 ? '' : 's'} on ${report.utterances} utterances of ${basename(report.config.data)}, ${threads} thread${threads === 1 ? '' : 's'}`;
}

/**
 * The results table of a report for the docs column: `resultsTable`'s numbers (same formatting),
 * with the speedup beside WER and the RTF spread moved to the details, so it fits without scrolling.
 */
export function compactResultsTable(report: NamedReport['report']): string {
  return formatMarkdownTable(
    ['model', 'size', 'WER %', 'CER %', 'speedup', 'RTF encoder', 'RTF end-to-end'],
    report.models.map((m) => [
      m.label,
      formatMegabytes(m.sizeBytes),
      m.wer.toFixed(2),
      m.cer.toFixed(2),
      `${m.speedup.toFixed(2)}x`,
      m.rtfEncoder.toFixed(5),
      m.rtfEndToEnd.toFixed(5),
    ]),
    { align: ['left', 'right', 'right', 'right', 'right', 'right', 'right'] },
  );
}

/**
 * Renders the results page from bench reports: one table per report (the same
 * `resultsTable` the CLI prints), sizes, S/D/I, and a WER-vs-RTF plot of every model.
 * @param reports - The reports, in display order.
 * @returns Markdown text.
 */
export function renderResults(reports: readonly NamedReport[]): string {
  const out = pageIntro();
  if (reports.length === 0) {
    out.push('No bench reports are committed yet.', '');
    return `${out.join('\n')}\n`;
  }
  out.push(
    '## WER against speed',
    '',
    'One point per model and report; lower left is better. Both axes start at zero.',
    '',
    werRtfPlot(reports),
    '',
  );
  for (const named of reports) out.push(...reportSection(named));
  out.push(RESULTS_STYLE, '');
  return `${out.join('\n')}\n`;
}

/** The report whose table the repository README shows (the results page shows it too). */
export const README_REPORT = 'dev290-float-vs-int8-plans.json';
export const README_START = `<!-- results-table:start (generated from apps/docs/data/${README_REPORT}, the report the docs' results page shows, by \`pnpm readme:results\`; do not edit) -->`;
export const README_END = '<!-- results-table:end -->';

/**
 * The README's results block: what was run where, and the table `asrq bench` prints, from the
 * same report as the docs' results page, so the two never disagree.
 * @param named - The report.
 * @returns Markdown between the README markers (markers included).
 */
export function readmeResults({ report }: NamedReport): string {
  const p = report.protocol;
  const e = report.environment;
  const run =
    `${report.utterances} utterances of \`${basename(report.config.data)}\` after ${p.warmupExcluded} warm-up ones (${(report.audioSec / 60).toFixed(1)} min of audio), ` +
    `${p.decoding}, ${p.threads} thread${p.threads === 1 ? '' : 's'}, ${p.repeats} encoder runs per utterance, the ${report.models.length} models interleaved per utterance; ` +
    `onnxruntime ${e.onnxruntime} and Node ${e.node} on ${e.cpu} (${e.cores} cores), ${report.startedAt.slice(0, 10)}.`;
  return [README_START, run, '', resultsTable(report), README_END].join('\n');
}
