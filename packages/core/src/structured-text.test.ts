import { describe, expect, it } from 'vitest';
import { AsrqError } from './errors.js';
import { parseStructuredText } from './structured-text.js';

describe('parseStructuredText', () => {
  it('reads JSON for .json names and YAML otherwise, ignoring a BOM', () => {
    expect(parseStructuredText('\uFEFF{"a": 1}', 'x.json', 'T')).toEqual({ a: 1 });
    expect(parseStructuredText('a: 1\nb: [2, 3]\n', 'x.yaml', 'T')).toEqual({ a: 1, b: [2, 3] });
  });

  it('locates syntax errors at file:line:column with the given code', () => {
    const json = (() => {
      try {
        parseStructuredText('{\n  "a": 1,\n}', 'p.json', 'X_BAD');
      } catch (error) {
        return error;
      }
    })();
    expect(AsrqError.isInstance(json) && json.code).toBe('X_BAD');
    expect((json as Error).message).toMatch(/^p\.json:3:1: not valid JSON: /);
    expect(() => parseStructuredText('a: [1\n', 'c.yaml', 'X_BAD', 'Fix it.')).toThrow(
      /^c\.yaml:\d+:\d+: not valid JSON or YAML: .*Fix it\.$/s,
    );
  });
});
