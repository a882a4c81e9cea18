import { describe, expect, it } from 'vitest';
import { escapeHtml } from './escape-html.js';
import { scatterPlot } from './scatter-plot.js';

describe('escapeHtml', () => {
  it('escapes the five characters that matter in content and attributes, and nothing else', () => {
    expect(escapeHtml(`a <b> & "c" 'd' é`)).toBe('a &lt;b&gt; &amp; &quot;c&quot; &#39;d&#39; é');
    expect(escapeHtml('&amp;')).toBe('&amp;amp;');
  });
});

describe('scatterPlot', () => {
  const points = [
    { x: 0.006, y: 12, colour: '#111', title: 'float <fp32>', label: 'float' },
    { x: 0.003, y: 12.5, colour: '#222', title: 'int8', label: 'a "quoted" name', className: 'trial', ring: 'best' },
  ];

  it('draws one marker per point inside the frame, axes from zero, with escaped titles and labels', () => {
    const svg = scatterPlot({ ariaLabel: 'WER versus encoder RTF', xLabel: 'RTF', yLabel: 'WER %', points });
    expect(svg.match(/<circle cx=[^>]*r="6"/g)).toHaveLength(2);
    expect(svg).toContain('<title>float &lt;fp32&gt;</title>');
    expect(svg).toContain('a &quot;quoted&quot; name</text>');
    expect(svg.match(/class="best"/g)).toHaveLength(1);
    expect(svg).toContain('>0</text>');
    const cx = [...svg.matchAll(/<circle cx="([\d.]+)" cy="([\d.]+)" r="6"/g)].map((m): [number, number] => [
      Number(m[1]),
      Number(m[2]),
    ]);
    for (const [x, y] of cx) {
      expect(x).toBeGreaterThanOrEqual(60);
      expect(x).toBeLessThanOrEqual(540);
      expect(y).toBeGreaterThanOrEqual(20);
      expect(y).toBeLessThanOrEqual(275);
    }
    // The faster model sits to the left.
    expect(cx[1]![0]).toBeLessThan(cx[0]![0]);
    expect(svg).not.toContain('NaN');
  });

  it('draws squares, a line, a legend and data-range axes when asked', () => {
    const svg = scatterPlot({
      ariaLabel: 'plans',
      xLabel: 'RTF',
      yLabel: 'WER %',
      axes: 'data',
      fluid: true,
      className: 'asrq-plot',
      points: [{ ...points[0]!, shape: 'square', className: 'float' }, points[1]!],
      line: { points: [points[1]!, points[0]!], colour: '#0a0', className: 'front' },
      legend: [{ text: 'a.json', colour: '#111' }],
    });
    expect(svg).toMatch(/^<svg class="asrq-plot" viewBox="0 0 560 320" width="100%"/);
    expect(svg).toMatch(/<rect class="float" [^>]*><title>/);
    expect(svg).toMatch(/<polyline class="front" [^>]*points="[\d.]+,[\d.]+ [\d.]+,[\d.]+"/);
    expect(svg).toContain('a.json</text>');
    expect(svg).not.toContain('>0</text>'); // the x axis starts near the data, not at zero
  });

  it('draws an empty frame without NaN when there are no points', () => {
    expect(scatterPlot({ ariaLabel: 'empty', xLabel: 'x', yLabel: 'y', points: [] })).not.toContain('NaN');
  });
});
