import { basename } from 'node:path';
import { formatMegabytes, readBenchReports, resultsTable, scatterPlot, type NamedBenchReport } from '@asrq/bench';
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
  const svg = scatterPlot({
    className: 'asrq-plot',
    ariaLabel: 'WER against encoder real-time factor, one point per model',
    xLabel: 'encoder RTF (lower is faster)',
    yLabel: 'WER % (lower is better)',
    width: 720,
    height: 420,
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
 * Page style: a number such as `0.00604 [0.00604-0.00607]` wrapped over three lines cannot be read
 * as a range, so results cells never wrap; VitePress tables scroll sideways when too wide.
 */
const RESULTS_STYLE = '<style>\n.asrq-results td, .asrq-results th { white-space: nowrap; }\n</style>';

/** The page's front matter, title and how-to-read notes. */
function pageIntro(): string[] {
  return [
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
    "How to read the numbers: **WER** and **CER** are word and character error rates in percent, pooled over the corpus with sclite conventions. **Encoder RTF** is onnxruntime `session.run` time divided by audio duration, the median over repeats, as the SpeechBrain tutorial times the encoder forward pass; **end-to-end RTF** adds audio reading, input tensors and CTC decoding. **Speedup** is the first model's encoder RTF divided by each model's, measured in the same interleaved run, so only compare speedups within one table. See [Measuring WER and RTF](../concepts/measuring.md).",
    '',
  ];
}

/** One report's section: what was run where, its results table and its error breakdown. */
function reportSection(named: NamedReport): string[] {
  const lines: string[] = [];
  const { report } = named;
  const title = named.file.replace(/\.json$/, '');
  // In a div of its own so the page style keeps every cell on one line (the table scrolls sideways on a phone).
  lines.push(
    `## ${escapeInline(title)}`,
    '',
    describeRun(named),
    '',
    '<div class="asrq-results">',
    '',
    resultsTable(report),
    '',
    '</div>',
    '',
  );
  const rows = report.models.map(
    (m) =>
      `| ${escapeInline(m.label)} | ${formatMegabytes(m.sizeBytes)} | ${m.substitutions} | ${m.deletions} | ${m.insertions} | ${m.refWords} | ${m.loadSec.toFixed(2)} s |`,
  );
  lines.push(
    '<details><summary>Error breakdown and load times</summary>',
    '',
    '| model | size | substitutions | deletions | insertions | reference words | load |',
    '|---|---:|---:|---:|---:|---:|---:|',
    ...rows,
    '',
    '</details>',
    '',
  );
  return lines;
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
