import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { combinedShard, composeShard, parseShard, shardItems } from './shard.js';

describe('parseShard', () => {
  it('reads i/n and refuses what is not a 1-based slice', () => {
    expect(parseShard('3/4')).toEqual({ index: 3, count: 4 });
    expect(parseShard(' 1 / 1 ')).toEqual({ index: 1, count: 1 });
    for (const bad of ['0/4', '5/4', '1/0', '1', 'a/b', '-1/3', '1/2/3'])
      expect(() => parseShard(bad)).toThrow(expect.objectContaining({ code: 'BENCH_BAD_SHARD' }));
  });
});

describe('shardItems', () => {
  it('the shards of a run partition its items, in order, and are the same every time', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 60 }), fc.integer({ min: 1, max: 8 }), (length, count) => {
        fc.pre(count <= length);
        const items = Array.from({ length }, (_, i) => i);
        const slices = Array.from({ length: count }, (_, i) => shardItems(items, { index: i + 1, count }));
        expect(slices.flat().sort((a, b) => a - b)).toEqual(items);
        for (const slice of slices) expect([...slice].sort((a, b) => a - b)).toEqual(slice);
        expect(shardItems(items, { index: 1, count })).toEqual(slices[0]);
      }),
    );
  });

  it('refuses a shard left empty and an index outside 1..n', () => {
    expect(() => shardItems([1, 2], { index: 3, count: 3 })).toThrow(/only 2 utterances/);
    expect(() => shardItems([1, 2], { index: 0, count: 2 })).toThrow(
      expect.objectContaining({ code: 'BENCH_BAD_SHARD' }),
    );
  });
});

describe('composeShard and combinedShard', () => {
  it('job j of shard i/n takes exactly the items shard i/n gives job j', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 40, max: 80 }),
        (count, jobs, length) => {
          const items = Array.from({ length }, (_, i) => i);
          for (let index = 1; index <= count; index++) {
            const outer = shardItems(items, { index, count });
            for (let job = 1; job <= jobs; job++) {
              expect(shardItems(items, composeShard({ index, count }, job, jobs))).toEqual(
                shardItems(outer, { index: job, count: jobs }),
              );
            }
            const parts = Array.from({ length: jobs }, (_, j) => composeShard({ index, count }, j + 1, jobs).index);
            expect(combinedShard(parts, count * jobs)).toEqual(count === 1 ? undefined : { index, count });
          }
        },
      ),
    );
  });

  it('says when shards make neither the whole run nor one coarser shard', () => {
    expect(combinedShard([1, 2, 3], 3)).toBeUndefined();
    expect(combinedShard([1, 2], 3)).toBeNull();
    expect(combinedShard([1, 2], 4)).toBeNull();
    expect(combinedShard([2, 4], 4)).toEqual({ index: 2, count: 2 });
  });
});
