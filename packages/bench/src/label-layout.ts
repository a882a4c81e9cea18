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

/**
 * Places point labels so they do not overlap: each label sits above-right of its point (or
 * above-left near the right edge) and moves down a line at a time while it would cover a label
 * already placed. Models with nearly equal WER and RTF (several int8 plans) stay readable.
 * @param labels - Points with their texts.
 * @param options - Right edge beyond which labels go to the left, font size, char width.
 * @returns One placement per label, in input order.
 */
export function layoutLabels(
  labels: readonly PlotLabel[],
  options: { rightEdge: number; fontSize?: number; charWidth?: number },
): PlacedLabel[] {
  const line = (options.fontSize ?? 12) + 2;
  const charWidth = options.charWidth ?? 6.5;
  const boxes: Array<{ left: number; right: number; y: number }> = [];
  const order = labels.map((_, i) => i).sort((a, b) => labels[a]!.y - labels[b]!.y || labels[a]!.x - labels[b]!.x);
  const placed: PlacedLabel[] = new Array(labels.length);
  for (const i of order) {
    const label = labels[i]!;
    const width = label.text.length * charWidth;
    const anchor = label.x + 9 + width > options.rightEdge ? 'end' : 'start';
    const x = anchor === 'start' ? label.x + 9 : label.x - 9;
    const left = anchor === 'start' ? x : x - width;
    let y = label.y - 8;
    while (boxes.some((b) => Math.abs(b.y - y) < line && b.left < left + width && left < b.right)) y += line;
    boxes.push({ left, right: left + width, y });
    placed[i] = { x, y, anchor };
  }
  return placed;
}
