import { createHash } from 'node:crypto';
import type { CorpusItem } from '@asrq/audio';
import { BenchError } from './errors.js';

/** One slice of a run's measured utterances: number `index` (1-based) of `count`. */
export interface ShardSpec {
  /** Which slice, 1 to `count`. */
  index: number;
  /** How many slices the run is cut into. */
  count: number;
}

/** Identity of a run's measured utterances before sharding, so shards of different corpora or selections are told apart. */
export interface SelectionDigest {
  /** Measured utterances of the whole (unsharded) run. */
  utterances: number;
  /** Hex sha256 over every measured utterance's id and reference transcript, in selection order. */
  sha256: string;
}

/**
 * Parses `--shard i/n`.
 * @param text - E.g. `2/8` (1-based: `1/8` to `8/8`).
 * @returns The shard.
 * @throws AsrqError `BENCH_BAD_SHARD` when the text is not `i/n` with 1 <= i <= n.
 * @example parseShard('3/4') // { index: 3, count: 4 }
 */
export function parseShard(text: string): ShardSpec {
  const match = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  const index = match ? Number(match[1]) : Number.NaN;
  const count = match ? Number(match[2]) : Number.NaN;
  if (!match || count < 1 || index < 1 || index > count) {
    throw new BenchError(
      'BENCH_BAD_SHARD',
      `\`shard\` must be i/n with 1 <= i <= n (e.g. 1/4 for the first of four slices), got "${text}". With 0-based job indexes (a Kubernetes Indexed Job) add one: $((JOB_COMPLETION_INDEX + 1))/4.`,
      { argument: 'shard' },
    );
  }
  return { index, count };
}

/**
 * Formats a shard as `i/n`.
 * @param shard - The shard.
 * @returns E.g. `2/8`.
 */
export function formatShard(shard: ShardSpec): string {
  return `${shard.index}/${shard.count}`;
}

/**
 * The slice of the measured utterances a shard runs: every `count`-th utterance starting at
 * `index - 1` (round robin, so each shard gets a mix of the corpus rather than one speaker).
 * The same selection and shard always give the same items, and the shards of a run partition it.
 * @param items - The run's measured utterances (after warm-up), in selection order.
 * @param shard - Which slice; the whole list when undefined.
 * @returns The shard's items, in selection order.
 * @throws AsrqError `BENCH_BAD_SHARD` for an index outside 1..count, or a shard left with no utterance.
 */
export function shardItems<T>(items: readonly T[], shard: ShardSpec | undefined): T[] {
  if (!shard) return [...items];
  if (
    !Number.isInteger(shard.index) ||
    !Number.isInteger(shard.count) ||
    shard.index < 1 ||
    shard.index > shard.count
  ) {
    throw new BenchError(
      'BENCH_BAD_SHARD',
      `The shard must be i/n with 1 <= i <= n, got ${shard.index}/${shard.count}.`,
    );
  }
  const slice = items.filter((_, position) => position % shard.count === shard.index - 1);
  if (slice.length === 0 && items.length > 0) {
    throw new BenchError(
      'BENCH_BAD_SHARD',
      `Shard ${formatShard(shard)} is empty: the run measures only ${items.length} utterances, fewer than ${shard.count} shards. Use at most ${items.length} shards (or a larger \`n\`).`,
      { argument: ['shard', 'n'] },
    );
  }
  return slice;
}

/**
 * The shard that job `job` of `jobs` runs inside `shard` (or inside the whole run). Round-robin
 * slices compose: job j of shard i/n is shard i + n(j - 1) of n * jobs, so the jobs of a shard
 * are shards of the whole run and merge like any others.
 * @param shard - The shard being split (undefined = the whole run).
 * @param job - The job, 1 to `jobs`.
 * @param jobs - Number of jobs.
 * @returns The job's shard of the whole run.
 * @example composeShard({ index: 2, count: 4 }, 2, 2) // { index: 6, count: 8 }
 */
export function composeShard(shard: ShardSpec | undefined, job: number, jobs: number): ShardSpec {
  const outer = shard ?? { index: 1, count: 1 };
  return { index: outer.index + outer.count * (job - 1), count: outer.count * jobs };
}

/**
 * What a set of shards of one count adds up to: the whole run, or one coarser shard (the jobs
 * of shard i/n, see {@link composeShard}).
 * @param indexes - The 1-based shard indexes present (distinct).
 * @param count - Their common shard count.
 * @returns `undefined` for the whole run, else the coarser shard; `null` when they make neither.
 */
export function combinedShard(indexes: readonly number[], count: number): ShardSpec | undefined | null {
  const present = new Set(indexes);
  if (present.size === count) return undefined;
  if (present.size === 0 || count % present.size !== 0) return null;
  const coarse = count / present.size;
  const residue = (indexes[0]! - 1) % coarse;
  for (const index of present) if ((index - 1) % coarse !== residue) return null;
  return { index: residue + 1, count: coarse };
}

/**
 * Digest of a run's measured utterances before sharding (see {@link SelectionDigest}).
 * @param items - The measured utterances in selection order.
 * @returns Their count and hash.
 */
export function selectionDigest(items: readonly CorpusItem[]): SelectionDigest {
  const hash = createHash('sha256');
  for (const item of items) hash.update(`${item.id}\u0000${item.transcript}\n`);
  return { utterances: items.length, sha256: hash.digest('hex') };
}
