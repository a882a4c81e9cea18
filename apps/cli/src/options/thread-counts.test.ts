import { describe, expect, it } from 'vitest';
import { threadCounts } from './thread-counts.js';

describe('--threads <list>', () => {
  it('parses one count or a comma list and refuses the rest', () => {
    expect(threadCounts('2')).toEqual([2]);
    expect(threadCounts('1, 2')).toEqual([1, 2]);
    for (const bad of ['0', '1,,2', 'a', '1.5', '1,1']) expect(() => threadCounts(bad)).toThrow();
  });
});
