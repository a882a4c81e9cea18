import { escapeHtml } from './escape-html.js';
import { layoutLabels } from './label-layout.js';
import { niceAxisMax } from './nice-axis.js';

/** One marker of a {@link scatterPlot}. */
export interface ScatterPoint {
  x: number;
  y: number;
  colour: string;
  /** Tooltip text (escaped here). */
  title: string;
  /** Text drawn beside the point (escaped here); labels are placed so they do not overlap. */
  label?: string;
  /** CSS class of the marker. */
  className?: string;
  /** `circle` (default) or `square` (e.g. the float model among plans). */
  shape?: 'circle' | 'square';
  /** Draw a ring around the point with this CSS class (e.g. the chosen plan). */
  ring?: string;
}

/** What to draw: see {@link scatterPlot}. */
export interface ScatterPlotOptions {
  points: readonly ScatterPoint[];
  /** Accessible name of the figure (`aria-label`). */
  ariaLabel: string;
  xLabel: string;
  yLabel: string;
  /** CSS class of the `<svg>`. */
  className?: string;
  /** Size in SVG units (default 560 × 320). */
  width?: number;
  height?: number;
  /** Scale to the container's width (`width="100%"`) instead of a fixed pixel width. */
  fluid?: boolean;
  /** Marker radius (default 6). */
  radius?: number;
  /** `zero`: both axes from zero to a round number (default; distances are honest). `data`: around the data. */
  axes?: 'zero' | 'data';
  /** A polyline through these points, under the markers (e.g. a Pareto front). */
  line?: { points: ReadonlyArray<{ x: number; y: number }>; colour: string; className?: string };
  /** Legend entries, top left (e.g. one colour per report). */
  legend?: ReadonlyArray<{ text: string; colour: string }>;
}

const M = { left: 60, right: 20, top: 20, bottom: 45 };
const TICKS = [0, 0.25, 0.5, 0.75, 1];
const tick = (v: number): string => Number(v.toPrecision(3)).toString();

/** The axis ranges: from zero to a round number, or the data range with a margin. */
function axisRanges(options: ScatterPlotOptions): { x0: number; x1: number; y0: number; y1: number } {
  const xs = options.points.map((p) => p.x);
  const ys = options.points.map((p) => p.y);
  if (options.axes === 'data' && xs.length > 0)
    return {
      x0: Math.min(...xs) * 0.95,
      x1: Math.max(...xs) * 1.05,
      y0: Math.min(...ys) - 0.5,
      y1: Math.max(...ys) + 0.5,
    };
  return { x0: 0, x1: niceAxisMax(Math.max(...xs, 0)), y0: 0, y1: niceAxisMax(Math.max(...ys, 1)) };
}

/** Frame, grid lines, tick labels and axis titles. */
function axes(
  options: ScatterPlotOptions,
  w: number,
  h: number,
  r: ReturnType<typeof axisRanges>,
  sx: (v: number) => number,
  sy: (v: number) => number,
): string[] {
  const parts = [
    `<rect x="${M.left}" y="${M.top}" width="${w - M.left - M.right}" height="${h - M.top - M.bottom}" fill="none" stroke="currentColor" stroke-opacity="0.4"/>`,
  ];
  for (const t of TICKS) {
    const xv = r.x0 + t * (r.x1 - r.x0);
    const yv = r.y0 + t * (r.y1 - r.y0);
    parts.push(
      `<line x1="${sx(xv).toFixed(1)}" y1="${M.top}" x2="${sx(xv).toFixed(1)}" y2="${h - M.bottom}" stroke="currentColor" stroke-opacity="0.12"/>`,
      `<text x="${sx(xv).toFixed(1)}" y="${h - M.bottom + 16}" text-anchor="middle" fill="currentColor">${tick(xv)}</text>`,
      `<line x1="${M.left}" y1="${sy(yv).toFixed(1)}" x2="${w - M.right}" y2="${sy(yv).toFixed(1)}" stroke="currentColor" stroke-opacity="0.12"/>`,
      `<text x="${M.left - 6}" y="${(sy(yv) + 4).toFixed(1)}" text-anchor="end" fill="currentColor">${tick(yv)}</text>`,
    );
  }
  const midY = (M.top + h - M.bottom) / 2;
  parts.push(
    `<text x="${(M.left + w - M.right) / 2}" y="${h - 8}" text-anchor="middle" font-size="12" fill="currentColor">${escapeHtml(options.xLabel)}</text>`,
    `<text x="14" y="${midY}" text-anchor="middle" font-size="12" fill="currentColor" transform="rotate(-90 14 ${midY})">${escapeHtml(options.yLabel)}</text>`,
  );
  return parts;
}

/** One marker (circle or square) with its tooltip, and its ring. */
function marker(p: ScatterPoint, cx: string, cy: string, radius: number): string[] {
  const cls = p.className ? ` class="${escapeHtml(p.className)}"` : '';
  const title = `<title>${escapeHtml(p.title)}</title>`;
  const shape =
    p.shape === 'square'
      ? `<rect${cls} x="${(Number(cx) - radius).toFixed(1)}" y="${(Number(cy) - radius).toFixed(1)}" width="${2 * radius}" height="${2 * radius}" fill="${p.colour}">${title}</rect>`
      : `<circle cx="${cx}" cy="${cy}" r="${radius}" fill="${p.colour}"${cls}>${title}</circle>`;
  return p.ring
    ? [
        shape,
        `<circle cx="${cx}" cy="${cy}" r="${radius + 5}" fill="none" stroke="currentColor" stroke-width="2" class="${escapeHtml(p.ring)}"/>`,
      ]
    : [shape];
}

/**
 * An SVG scatter plot, self-contained (no scripts, no external assets), as the bench HTML
 * report, the planner's report and the docs' results page draw WER against encoder RTF. Text
 * and axes use `currentColor`, so the plot follows the page's colour scheme.
 * @param options - Points, axis titles and extras; see {@link ScatterPlotOptions}.
 * @returns SVG markup.
 * @example
 * ```ts
 * const svg = scatterPlot({ ariaLabel: 'WER versus encoder RTF', xLabel: 'encoder RTF', yLabel: 'WER %', points: [{ x: 0.006, y: 12.1, colour: '#2563eb', title: 'float', label: 'float' }] });
 * ```
 */
export function scatterPlot(options: ScatterPlotOptions): string {
  const w = options.width ?? 560;
  const h = options.height ?? 320;
  const radius = options.radius ?? 6;
  const r = axisRanges(options);
  const sx = (v: number): number => M.left + ((v - r.x0) / Math.max(r.x1 - r.x0, 1e-12)) * (w - M.left - M.right);
  const sy = (v: number): number => h - M.bottom - ((v - r.y0) / Math.max(r.y1 - r.y0, 1e-12)) * (h - M.top - M.bottom);
  const cls = options.className ? ` class="${escapeHtml(options.className)}"` : '';
  const size = options.fluid ? 'width="100%"' : `width="${w}" height="${h}"`;
  const parts = [
    `<svg${cls} viewBox="0 0 ${w} ${h}" ${size} role="img" aria-label="${escapeHtml(options.ariaLabel)}" xmlns="http://www.w3.org/2000/svg" font-family="system-ui, sans-serif" font-size="11">`,
    ...axes(options, w, h, r, sx, sy),
  ];
  const line = options.line;
  if (line && line.points.length > 1) {
    const cls = line.className ? ` class="${escapeHtml(line.className)}"` : '';
    parts.push(
      `<polyline${cls} fill="none" stroke="${line.colour}" stroke-width="2" points="${line.points.map((p) => `${sx(p.x).toFixed(1)},${sy(p.y).toFixed(1)}`).join(' ')}"/>`,
    );
  }
  const labelled = options.points.filter((p) => p.label !== undefined);
  const placed = layoutLabels(
    labelled.map((p) => ({ x: sx(p.x), y: sy(p.y), text: p.label! })),
    {
      rightEdge: w - M.right,
      fontSize: 11,
      markers: options.points.map((p) => ({ x: sx(p.x), y: sy(p.y) })),
      radius: radius + (options.points.some((p) => p.ring) ? 5 : 0),
    },
  );
  for (const p of options.points) parts.push(...marker(p, sx(p.x).toFixed(1), sy(p.y).toFixed(1), radius));
  labelled.forEach((p, i) =>
    parts.push(
      `<text x="${placed[i]!.x.toFixed(1)}" y="${placed[i]!.y.toFixed(1)}" text-anchor="${placed[i]!.anchor}" fill="${p.colour}">${escapeHtml(p.label!)}</text>`,
    ),
  );
  (options.legend ?? []).forEach((entry, i) => {
    const y = M.top + 14 + i * 16;
    parts.push(
      `<circle cx="${M.left + 14}" cy="${y - 4}" r="4" fill="${entry.colour}"/>`,
      `<text x="${M.left + 24}" y="${y}" fill="currentColor">${escapeHtml(entry.text)}</text>`,
    );
  });
  parts.push('</svg>');
  return parts.join('\n');
}
