import { InvalidArgumentError } from 'commander';
import { describe, expect, it } from 'vitest';
import { byteSize } from './parsers.js';

describe('byteSize (--max-size)', () => {
  const parse = byteSize(1e12);
  it.each([
    ['200MB', 200e6],
    ['200 MB', 200e6],
    ['200m', 200e6],
    ['1.5GB', 1.5e9],
    ['190MiB', 190 * 2 ** 20],
    ['64KiB', 65_536],
    ['12kB', 12_000],
    ['123456', 123_456],
    ['10b', 10],
    ['1GiB', 2 ** 30],
  ])('%s is %d bytes', (typed, bytes) => {
    expect(parse(typed)).toBe(bytes);
  });
  it.each(['', 'MB', '-5MB', '200XB', '1e9', '0', '0.1b', '2TB', '1001GB', 'NaN'])('refuses %j', (typed) => {
    expect(() => parse(typed)).toThrow(InvalidArgumentError);
  });
});
