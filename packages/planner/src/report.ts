import { join } from 'node:path';
import { escapeHtml, scatterPlot, type ScatterPoint } from '@asrq/bench';
import { writeFileAtomic } from '@asrq/core/node';
import type { AutoPlanResult } from './search-types.js';
import type { Trial } from './types.js';

const num = (v: number | undefined, digits: number): string => (v === undefined ? '–' : v.toFixed(digits));
const mb = (bytes: number): string => `${(bytes / 1e6).toFixed(1)} MB`;

/**
 * The Markdown report: settings, the best plan, and a table of every trial.
 * @param result - What {@link searchPlan} returned.
 * @returns Markdown text.
 * @example
 * ```ts
 * console.log(formatAutoPlanReport(await searchPlan('model.onnx', options)));
 * ```
 */
export function formatAutoPlanReport(result: AutoPlanResult): string {
  const s = result.settings;
  const front = new Set(result.pareto.map((t) => t.key));
  const lines = [
    '# asrq quantize --auto',
    '',
    `Budget: ΔWER ≤ ${s.maxWerIncrease} (metric ${s.metric}, SQNR ≥ ${s.minSqnrDb} dB${s.maxSizeBytes === undefined ? '' : `, size ≤ ${mb(s.maxSizeBytes)}`}); eval ${s.eval.n} utterances of ${s.eval.data}; ${s.threads} thread(s), float and candidate interleaved in each run.`,
    `Float: WER ${num(result.float.wer, 2)} %, encoder RTF ${num(result.float.rtfEncoder, 5)}.`,
    `Best: ${result.best.summary} — WER ${num(result.best.wer, 2)} % (Δ ${num(result.best.werDelta, 2)}), speedup ${num(result.best.speedup, 2)}×, ${mb(result.best.sizeBytes)}.`,
    `Stopped: ${result.stoppedBy} after ${result.trials.filter((t) => !t.refinement).length} trials (+${result.trials.filter((t) => t.refinement).length} calibrator refinement), ${result.elapsedSec.toFixed(0)} s.`,
    ...(result.finalists
      ? [
          `Finalists measured together (one run, 3 encoder runs per utterance): ${result.finalists.map((f) => `#${result.trials.findIndex((t) => t.key === f.key)} ${num(f.speedup, 3)}×`).join(', ')}.`,
        ]
      : []),
    '',
    '| # | k | plan | SQNR dB | WER % | ΔWER | RTF | speedup | size | accepted | Pareto |',
    '|---|---|---|---|---|---|---|---|---|---|---|',
    ...result.trials.map(
      (t: Trial, i) =>
        `| ${i} | ${t.k} | ${t.summary} | ${num(t.sqnrDb, 1)} | ${num(t.wer, 2)} | ${num(t.werDelta, 2)} | ${num(t.rtfEncoder, 5)} | ${num(t.speedup, 2)}× | ${mb(t.sizeBytes)} | ${t.accepted ? 'yes' : 'no'} | ${front.has(t.key) ? '●' : ''} |`,
    ),
  ];
  return `${lines.join('\n')}\n`;
}

/**
 * SVG scatter of WER (y) against encoder RTF (x): every measured trial, the float model, the
 * Pareto front joined by a line and the chosen plan ringed.
 * @param result - Search result.
 * @returns SVG markup.
 */
export function paretoPlot(result: AutoPlanResult): string {
  const pts = result.trials.filter((t) => t.wer !== undefined && t.rtfEncoder !== undefined) as Array<
    Trial & { wer: number; rtfEncoder: number }
  >;
  const front = new Set(result.pareto.map((t) => t.key));
  const { wer: floatWer, rtfEncoder: floatRtf } = result.float;
  const floatPoint: ScatterPoint[] =
    floatWer !== undefined && floatRtf !== undefined
      ? [
          {
            x: floatRtf,
            y: floatWer,
            colour: '#64748b',
            shape: 'square',
            className: 'float',
            title: `float: WER ${floatWer.toFixed(2)} %, RTF ${floatRtf.toFixed(5)}`,
          },
        ]
      : [];
  const trialPoints = pts.map(
    (t): ScatterPoint => ({
      x: t.rtfEncoder,
      y: t.wer,
      colour: front.has(t.key) ? '#16a34a' : t.accepted ? '#2563eb' : '#dc2626',
      className: 'trial',
      title: `k=${t.k}: ${t.summary} — WER ${t.wer.toFixed(2)} %, RTF ${t.rtfEncoder.toFixed(5)}`,
      ...(t.key === result.best.key ? { ring: 'best' } : {}),
    }),
  );
  return scatterPlot({
    ariaLabel: 'Plans tried: WER versus encoder RTF',
    xLabel: 'encoder RTF (lower is faster)',
    yLabel: 'WER %',
    width: 600,
    height: 340,
    axes: 'data',
    points: [...floatPoint, ...trialPoints],
    line: {
      points: result.pareto.map((t) => ({ x: t.rtfEncoder!, y: t.wer! })),
      colour: '#16a34a',
      className: 'front',
    },
  });
}

/**
 * A self-contained HTML report (no scripts, no external assets): the Pareto plot and the trial table.
 * @param result - Search result.
 * @returns HTML document.
 */
export function formatAutoPlanHtml(result: AutoPlanResult): string {
  const front = new Set(result.pareto.map((t) => t.key));
  const rows = result.trials.map(
    (t, i) =>
      `<tr${t.key === result.best.key ? ' class="best"' : ''}><td>${i}</td><td>${t.k}</td><td>${escapeHtml(t.summary)}</td><td>${num(t.sqnrDb, 1)}</td><td>${num(t.wer, 2)}</td><td>${num(t.werDelta, 2)}</td><td>${num(t.rtfEncoder, 5)}</td><td>${num(t.speedup, 2)}×</td><td>${mb(t.sizeBytes)}</td><td>${t.accepted ? 'yes' : 'no'}</td><td>${front.has(t.key) ? '●' : ''}</td></tr>`,
  );
  const s = result.settings;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>asrq quantize --auto</title>
<style>body{font:14px system-ui,sans-serif;margin:2em;color:#111827}table{border-collapse:collapse}td,th{border:1px solid #cbd5e1;padding:4px 8px;text-align:left}tr.best{background:#ecfdf5}</style></head>
<body><h1>Automatic quantization plan</h1>
<p>Budget ΔWER ≤ ${s.maxWerIncrease} (metric ${s.metric}${s.maxSizeBytes === undefined ? '' : `, size ≤ ${mb(s.maxSizeBytes)}`}); eval ${s.eval.n} utterances of ${escapeHtml(s.eval.data)}; ${s.threads} thread(s), each plan measured interleaved with the float model. Float WER ${num(result.float.wer, 2)} %, RTF ${num(result.float.rtfEncoder, 5)}. Stopped: ${result.stoppedBy}, ${result.trials.length} trials, ${result.elapsedSec.toFixed(0)} s.</p>
<p>Best: ${escapeHtml(result.best.summary)} — speedup ${num(result.best.speedup, 2)}×, ΔWER ${num(result.best.werDelta, 2)}.</p>
<h2>Pareto front</h2>
<p>Green: Pareto front; blue: accepted; red: over budget; grey square: float; ring: chosen plan.</p>
${paretoPlot(result)}
<h2>Plans tried</h2>
<table><thead><tr><th>#</th><th>k</th><th>plan</th><th>SQNR dB</th><th>WER %</th><th>ΔWER</th><th>RTF</th><th>speedup</th><th>size</th><th>accepted</th><th>Pareto</th></tr></thead>
<tbody>${rows.join('\n')}</tbody></table>
<h2>Chosen plan</h2><pre>${escapeHtml(JSON.stringify(result.plan, null, 2))}</pre>
</body></html>
`;
}

/**
 * Writes `auto-plan.json`, `auto-plan.md` and `auto-plan.html` into a directory, atomically.
 * @param dir - Output directory.
 * @param result - Search result.
 * @returns The paths written.
 * @example
 * ```ts
 * await writeAutoPlanReports('auto', result);
 * ```
 */
export async function writeAutoPlanReports(
  dir: string,
  result: AutoPlanResult,
): Promise<{ json: string; markdown: string; html: string }> {
  const paths = {
    json: join(dir, 'auto-plan.json'),
    markdown: join(dir, 'auto-plan.md'),
    html: join(dir, 'auto-plan.html'),
  };
  await writeFileAtomic(
    paths.json,
    `${JSON.stringify(result, (_, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v), 2)}\n`,
  );
  await writeFileAtomic(paths.markdown, formatAutoPlanReport(result));
  await writeFileAtomic(paths.html, formatAutoPlanHtml(result));
  return paths;
}
