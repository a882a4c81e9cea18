import { describe, expect, it } from 'vitest';
import { interleavedOrder } from './interleave.js';

describe('interleavedOrder', () => {
  it('keeps the listed order in even rounds and reverses it in odd ones, without touching the input', () => {
    const models = ['a', 'b', 'c'];
    expect(interleavedOrder(models, 0)).toEqual(['a', 'b', 'c']);
    expect(interleavedOrder(models, 1)).toEqual(['c', 'b', 'a']);
    expect(interleavedOrder(models, 4)).toEqual(['a', 'b', 'c']);
    expect(models).toEqual(['a', 'b', 'c']);
  });
  it('gives every model the first slot equally often over an even number of rounds', () => {
    const firsts = Array.from({ length: 6 }, (_, r) => interleavedOrder([0, 1], r)[0]);
    expect(firsts.filter((m) => m === 0)).toHaveLength(3);
  });
});
