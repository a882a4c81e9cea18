import { describe, expect, it } from 'vitest';
import { layoutLabels } from './label-layout.js';

describe('layoutLabels', () => {
  it('keeps labels of coinciding points apart', () => {
    const placed = layoutLabels(
      [
        { x: 100, y: 200, text: 'model.best-int8.onnx' },
        { x: 100, y: 200, text: 'model.auto-int8.onnx' },
        { x: 101, y: 201, text: 'model.seed-int8.onnx' },
      ],
      { rightEdge: 700 },
    );
    const ys = placed.map((p) => p.y).sort((a, b) => a - b);
    expect(ys[1]! - ys[0]!).toBeGreaterThanOrEqual(14);
    expect(ys[2]! - ys[1]!).toBeGreaterThanOrEqual(14);
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
