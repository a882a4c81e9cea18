/** A point label to place on a plot. */
export interface PlotLabel {
  /** Anchor x (the point), in SVG units. */
  x: number;
  /** Anchor y (the point), in SVG units. */
  y: number;
  text: string;
}

/** Where a label goes. */
export interface PlacedLabel {
  x: number;
  y: number;
  anchor: 'start' | 'end';
}

/** Options of {@link layoutLabels}. */
export interface LabelLayoutOptions {
  /** Labels that would end beyond this x go to the left of their point. */
  rightEdge: number;
  /** Font size in SVG units (default 12). */
  fontSize?: number;
  /** Width of one character in SVG units (default 0.62 × the font size, a safe bound for system-ui digits and lower case). */
  charWidth?: number;
  /** Points to keep labels off (markers, default the labelled points), with their radius. */
  markers?: ReadonlyArray<{ x: number; y: number }>;
  /** Marker radius (default 6). */
  radius?: number;
}

interface Box {
  left: number;
  right: number;
  top: number;
  bottom: number;
}

const overlaps = (a: Box, b: Box): boolean =>
  a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;

/** The box a label's text covers when its baseline starts (or ends) at x, y. */
function textBox(x: number, y: number, anchor: PlacedLabel['anchor'], width: number, fontSize: number): Box {
  const left = anchor === 'start' ? x : x - width;
  return { left, right: left + width, top: y - fontSize, bottom: y + fontSize * 0.25 };
}

/**
 * Places point labels so that they cover neither each other nor any marker: each label goes
 * above-right of its point (above-left near the right edge), else the first free place among
 * below, the other side, and then a line further up or down at a time. Models with nearly equal
 * WER and RTF (several int8 plans) stay readable.
 * @param labels - Points with their texts.
 * @param options - Right edge, font metrics, the markers to avoid.
 * @returns One placement per label, in input order.
 */
export function layoutLabels(labels: readonly PlotLabel[], options: LabelLayoutOptions): PlacedLabel[] {
  const fontSize = options.fontSize ?? 12;
  const charWidth = options.charWidth ?? fontSize * 0.62;
  const radius = options.radius ?? 6;
  const gap = radius + 3;
  const taken: Box[] = (options.markers ?? labels).map((m) => ({
    left: m.x - radius,
    right: m.x + radius,
    top: m.y - radius,
    bottom: m.y + radius,
  }));
  const order = labels.map((_, i) => i).sort((a, b) => labels[a]!.y - labels[b]!.y || labels[a]!.x - labels[b]!.x);
  const placed: PlacedLabel[] = new Array(labels.length);
  for (const i of order) {
    const label = labels[i]!;
    const width = label.text.length * charWidth;
    const preferred: PlacedLabel['anchor'] = label.x + gap + width > options.rightEdge ? 'end' : 'start';
    const other: PlacedLabel['anchor'] = preferred === 'start' ? 'end' : 'start';
    const candidates: PlacedLabel[] = [];
    // Above, below, then a line further away each time, on the preferred side first.
    for (let step = 0; step < 12; step++) {
      for (const dy of step === 0
        ? [-gap + 1]
        : [-gap + 1 - step * (fontSize + 2), gap + fontSize - 1 + (step - 1) * (fontSize + 2)])
        for (const anchor of [preferred, other])
          candidates.push({ x: anchor === 'start' ? label.x + gap : label.x - gap, y: label.y + dy, anchor });
    }
    const free = candidates.find((c) => !taken.some((b) => overlaps(b, textBox(c.x, c.y, c.anchor, width, fontSize))));
    const chosen = free ?? candidates[0]!;
    taken.push(textBox(chosen.x, chosen.y, chosen.anchor, width, fontSize));
    placed[i] = chosen;
  }
  return placed;
}
