import { describe, expect, it } from 'vitest';
import { layoutLabels, type PlacedLabel } from './label-layout.js';

type Box = { left: number; right: number; top: number; bottom: number };
const box = (p: PlacedLabel, width: number, fontSize: number): Box => {
  const left = p.anchor === 'start' ? p.x : p.x - width;
  return { left, right: left + width, top: p.y - fontSize, bottom: p.y + fontSize * 0.25 };
};
const overlap = (a: Box, b: Box) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;

describe('layoutLabels', () => {
  it('keeps labels of coinciding points apart', () => {
    const points = [
      { x: 100, y: 200, text: 'model.best-int8.onnx' },
      { x: 100, y: 200, text: 'model.auto-int8.onnx' },
      { x: 101, y: 201, text: 'model.seed-int8.onnx' },
    ];
    const placed = layoutLabels(points, { rightEdge: 700, fontSize: 12 });
    const boxes = placed.map((p, i) => box(p, points[i]!.text.length * 12 * 0.62, 12));
    for (let i = 0; i < boxes.length; i++)
      for (let j = i + 1; j < boxes.length; j++) expect(overlap(boxes[i]!, boxes[j]!), `${i} and ${j}`).toBe(false);
  });

  it("covers no marker, not even a near neighbour's (the docs' seed and onnxruntime points)", () => {
    // The results page's two right-most points, in SVG units of its 720 x 420 plot.
    const points = [
      { x: 430, y: 60, text: 'model.seed-int8.onnx' },
      { x: 470, y: 59, text: 'model.ort-dynamic-matmul.onnx' },
      { x: 432, y: 220, text: 'model.best-int8.onnx' },
    ];
    const placed = layoutLabels(points, { rightEdge: 700, fontSize: 11, radius: 5 });
    const boxes = placed.map((p, i) => box(p, points[i]!.text.length * 11 * 0.62, 11));
    for (const b of boxes)
      for (const m of points)
        expect(overlap(b, { left: m.x - 5, right: m.x + 5, top: m.y - 5, bottom: m.y + 5 })).toBe(false);
    expect(overlap(boxes[0]!, boxes[1]!)).toBe(false);
  });

  it('leaves distant labels where they are and flips labels near the right edge', () => {
    const [a, b] = layoutLabels(
      [
        { x: 100, y: 50, text: 'a' },
        { x: 690, y: 300, text: 'float.onnx' },
      ],
      { rightEdge: 700 },
    );
    expect(a).toEqual({ x: 109, y: 42, anchor: 'start' });
    expect(b).toEqual({ x: 681, y: 292, anchor: 'end' });
  });
});
