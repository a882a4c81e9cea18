import { escapeHtml } from './escape-html.js';
import type { BenchReport } from './report-types.js';
import { formatMegabytes } from './format.js';
import { niceAxisMax } from './nice-axis.js';
import { scatterPlot } from './scatter-plot.js';

const COLORS = ['#2563eb', '#dc2626', '#16a34a', '#9333ea', '#ea580c', '#0891b2', '#ca8a04', '#db2777'];

// The old ceil-to-a-power-of-ten rounding ran an axis to twice the data (0.011 -> 0.02).
const niceMax = niceAxisMax;

/** Scatter of WER (y) against encoder RTF (x), one labelled point per model. */
function werVsRtfPlot(report: BenchReport): string {
  return scatterPlot({
    ariaLabel: 'WER versus encoder RTF',
    xLabel: 'encoder RTF (lower is faster)',
    yLabel: 'WER %',
    points: report.models.map((m, i) => ({
      x: m.rtfEncoder,
      y: m.wer,
      colour: COLORS[i % COLORS.length]!,
      label: m.label,
      title: `${m.label}: WER ${m.wer.toFixed(2)} %, RTF ${m.rtfEncoder.toFixed(5)}`,
    })),
  });
}

/** Per-utterance encoder RTF distribution: a box (quartiles), whiskers (min/max) and the points, per model. */
function rtfDistributionPlot(report: BenchReport): string {
  const rowH = 46,
    left = 170,
    right = 20,
    top = 10,
    w = 560;
  const h = top + rowH * report.models.length + 40;
  const all = report.models.flatMap((m) => m.utteranceRtf);
  const xMax = niceMax(Math.max(...all, 0));
  const x = (v: number) => left + (v / xMax) * (w - left - right);
  const parts = [
    `<svg viewBox="0 0 ${w} ${h}" width="${w}" height="${h}" role="img" aria-label="Per-utterance encoder RTF">`,
  ];
  report.models.forEach((m, i) => {
    const color = COLORS[i % COLORS.length]!;
    const sorted = [...m.utteranceRtf].sort((a, b) => a - b);
    if (sorted.length === 0) return;
    const q = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * (sorted.length - 1)))]!;
    const cy = top + i * rowH + rowH / 2;
    parts.push(
      `<text x="${left - 8}" y="${cy + 4}" text-anchor="end" font-size="11">${escapeHtml(m.label)}</text>`,
      `<line x1="${x(sorted[0]!)}" x2="${x(sorted[sorted.length - 1]!)}" y1="${cy}" y2="${cy}" stroke="${color}"/>`,
      `<rect x="${x(q(0.25))}" y="${cy - 10}" width="${Math.max(1, x(q(0.75)) - x(q(0.25)))}" height="20" fill="${color}" fill-opacity="0.2" stroke="${color}"/>`,
      `<line x1="${x(q(0.5))}" x2="${x(q(0.5))}" y1="${cy - 10}" y2="${cy + 10}" stroke="${color}" stroke-width="2"/>`,
      ...sorted.map(
        (v, k) =>
          `<circle cx="${x(v).toFixed(1)}" cy="${(cy + ((k % 5) - 2) * 2).toFixed(1)}" r="1.5" fill="${color}"/>`,
      ),
    );
  });
  const axisY = top + rowH * report.models.length + 14;
  for (const t of [0, 0.5, 1])
    parts.push(
      `<text x="${x(t * xMax)}" y="${axisY}" text-anchor="middle" font-size="11">${(t * xMax).toPrecision(2)}</text>`,
    );
  parts.push(
    `<text x="${(left + w) / 2}" y="${axisY + 18}" text-anchor="middle" font-size="12">per-utterance encoder RTF</text>`,
    '</svg>',
  );
  return parts.join('\n');
}

/** The report's stylesheet. */
const REPORT_CSS = `body { font: 14px/1.5 system-ui, sans-serif; margin: 2rem auto; max-width: 980px; color: #0f172a; padding: 0 1rem; }
table { border-collapse: collapse; margin: 1rem 0; }
th, td { border-bottom: 1px solid #e2e8f0; padding: 4px 10px; text-align: right; }
th:first-child, td:first-child { text-align: left; }
.dot { display: inline-block; width: 10px; height: 10px; border-radius: 50%; margin-right: 6px; }
pre { background: #f1f5f9; padding: 8px; overflow-x: auto; font-size: 12px; }
.plots { display: flex; flex-wrap: wrap; gap: 1rem; }
.meta { color: #475569; }`;

/** One results-table row per model, its colour dot matching the plots. */
function resultRows(report: BenchReport): string {
  return report.models
    .map(
      (m, i) =>
        `<tr><td><span class="dot" style="background:${COLORS[i % COLORS.length]}"></span>${escapeHtml(m.label)}</td><td>${formatMegabytes(m.sizeBytes)}</td><td>${m.wer.toFixed(2)}</td><td>${m.cer.toFixed(2)}</td><td>${m.rtfEncoder.toFixed(5)}</td><td>${m.rtfEncoderRepeats.min.toFixed(5)}–${m.rtfEncoderRepeats.max.toFixed(5)}</td><td>${m.speedup.toFixed(2)}×</td><td>${m.rtfEndToEnd.toFixed(5)}</td></tr>`,
    )
    .join('\n');
}

/** Per model, its worst utterances with their alignments (or "No errors."). */
function worstUtterances(report: BenchReport): string {
  return report.models
    .map(
      (m) =>
        `<h3>${escapeHtml(m.label)}</h3>` +
        (m.worst.length === 0
          ? '<p>No errors.</p>'
          : m.worst
              .map(
                (w) =>
                  `<p class="utt">${escapeHtml(w.id)}: ${w.errors} errors / ${w.refWords} words</p><pre>${escapeHtml(w.alignment)}</pre>`,
              )
              .join('\n')),
    )
    .join('\n');
}

/** The list of skipped utterances with their reasons, or nothing when none was skipped. */
function skippedSection(report: BenchReport): string {
  return report.skipped.length === 0
    ? ''
    : `<h2>Skipped utterances</h2><ul>${report.skipped.map((s) => `<li>${escapeHtml(s.id)}: ${escapeHtml(s.reason)}</li>`).join('')}</ul>`;
}

/**
 * A self-contained HTML report (no scripts, no external assets): results table, WER-vs-RTF
 * plot, per-utterance RTF distribution, worst utterances with their alignments.
 * @param report - A benchmark report.
 * @returns The HTML document.
 */
export function formatHtmlReport(report: BenchReport): string {
  const rows = resultRows(report);
  const worst = worstUtterances(report);
  const skipped = skippedSection(report);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>asrq benchmark report</title>
<style>
${REPORT_CSS}
</style>
</head>
<body>
<h1>asrq benchmark report</h1>
<p class="meta">${report.utterances} utterances, ${(report.audioSec / 60).toFixed(1)} min of audio from <code>${escapeHtml(report.config.data)}</code>; ${report.protocol.warmupExcluded} warm-up utterances excluded; ${report.protocol.repeats} encoder run(s) per utterance; ${report.protocol.threads} thread(s); ${escapeHtml(report.protocol.decoding)}.</p>
<table>
<thead><tr><th>model</th><th>size</th><th>WER %</th><th>CER %</th><th>RTF encoder</th><th>spread</th><th>speedup</th><th>RTF end-to-end</th></tr></thead>
<tbody>
${rows}
</tbody>
</table>
<div class="plots">
<figure><figcaption>WER vs encoder RTF</figcaption>
${werVsRtfPlot(report)}
</figure>
<figure><figcaption>Per-utterance encoder RTF</figcaption>
${rtfDistributionPlot(report)}
</figure>
</div>
<p class="meta">RTF scope: ${escapeHtml(report.protocol.rtfScope)}. Interleaving: ${escapeHtml(report.protocol.interleaving)}. Harness overhead ${report.harness.overheadPercent.toFixed(2)} %. onnxruntime ${escapeHtml(report.environment.onnxruntime)}, Node ${escapeHtml(report.environment.node)}, ${escapeHtml(report.environment.cpu)}.</p>
${skipped}
<h2>Worst utterances</h2>
${worst}
</body>
</html>
`;
}
