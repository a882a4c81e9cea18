import { describe, expect, it } from 'vitest';
import { threadConfig, threadCounts } from './thread-counts.js';

describe('--threads <list>', () => {
  it('parses one count or a comma list and refuses the rest', () => {
    expect(threadCounts('2')).toEqual([2]);
    expect(threadCounts('1, 2')).toEqual([1, 2]);
    for (const bad of ['0', '1,,2', 'a', '1.5', '1,1']) expect(() => threadCounts(bad)).toThrow();
  });

  it('lists every model once per count, counts in order', () => {
    expect(threadConfig(['f.onnx', 'q.onnx'], [1])).toEqual({ models: ['f.onnx', 'q.onnx'], threads: 1 });
    expect(threadConfig(['f.onnx', 'q.onnx'], 4)).toEqual({ models: ['f.onnx', 'q.onnx'], threads: 4 });
    expect(threadConfig(['f.onnx', 'q.onnx'], [1, 2])).toEqual({
      models: ['f.onnx', 'q.onnx', 'f.onnx', 'q.onnx'],
      threads: 1,
      modelThreads: [1, 1, 2, 2],
    });
  });
});
