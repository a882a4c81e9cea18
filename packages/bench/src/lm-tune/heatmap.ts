import { escapeHtml } from '../escape-html.js';
import type { SurfacePoint } from '@asrq/ctc';

/**
 * A self-contained HTML page with the WER surface as a heat map: one cell per evaluated
 * (alpha, beta), green = low WER, red = high, the best point outlined.
 * @param surface - Evaluated points.
 * @param best - The best point.
 * @param title - Page title (what was tuned on).
 * @returns The HTML.
 */
export function lmTuneHeatmapHtml(surface: readonly SurfacePoint[], best: SurfacePoint, title: string): string {
  const alphas = [...new Set(surface.map((p) => p.alpha))].sort((a, b) => a - b);
  const betas = [...new Set(surface.map((p) => p.beta))].sort((a, b) => b - a);
  const byKey = new Map(surface.map((p) => [`${p.alpha},${p.beta}`, p]));
  const wers = surface.map((p) => p.wer).sort((a, b) => a - b);
  const lo = wers[0]!;
  // The colour scale ends at the upper quartile: a few very bad corners would otherwise wash out the region that matters.
  const hi = wers[Math.floor(0.75 * (wers.length - 1))]!;
  const color = (wer: number): string => {
    const t = hi > lo ? Math.min(1, (wer - lo) / (hi - lo)) : 0;
    return `hsl(${Math.round(120 * (1 - t))}, 70%, ${Math.round(45 + 15 * t)}%)`;
  };
  const header = `<tr><th>β \\ α</th>${alphas.map((a) => `<th>${a}</th>`).join('')}</tr>`;
  const rows = betas
    .map((beta) => {
      const cells = alphas
        .map((alpha) => {
          const p = byKey.get(`${alpha},${beta}`);
          if (!p) return '<td class="empty"></td>';
          const isBest = p === best || (p.alpha === best.alpha && p.beta === best.beta);
          return `<td style="background:${color(p.wer)}"${isBest ? ' class="best"' : ''} title="alpha ${alpha}, beta ${beta}: WER ${p.wer.toFixed(2)} %">${p.wer.toFixed(1)}</td>`;
        })
        .join('');
      return `<tr><th>${beta}</th>${cells}</tr>`;
    })
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<style>
body { font: 14px system-ui, sans-serif; margin: 2em; }
table { border-collapse: collapse; }
th, td { padding: 4px 6px; text-align: center; font-variant-numeric: tabular-nums; }
td { color: #111; min-width: 3em; }
td.empty { background: #f4f4f4; }
td.best { outline: 3px solid #000; outline-offset: -3px; font-weight: bold; }
</style></head><body>
<h1>${escapeHtml(title)}</h1>
<p>WER % per (alpha, beta); best: alpha ${best.alpha}, beta ${best.beta}, WER ${best.wer.toFixed(2)} % (outlined). Colours run from the lowest WER (green) to the upper quartile and above (red). Empty cells were not evaluated (the finer grids cover only the region around the best point).</p>
<table>
${header}
${rows}
</table>
</body></html>
`;
}
