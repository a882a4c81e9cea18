import type { NamedFingerprint, RunInputs } from './types.js';
import { combinedShard, formatShard, type ShardSpec } from './shard.js';
import type { BenchConfig, JournalHeader, SkippedRecord, UtteranceRecord } from './types.js';
import { BenchError } from './errors.js';

/** One shard's run read back from its directory. */
export interface ShardJournal {
  dir: string;
  header: JournalHeader;
  records: UtteranceRecord[];
  skipped: SkippedRecord[];
}

/** Settings whose paths may differ between machines: the files are compared by fingerprint instead. */
const PATH_KEYS = new Set(['models', 'tokenizer', 'lm', 'data', 'shard']);

function show(value: unknown): string {
  return value === undefined ? '(not set)' : JSON.stringify(value);
}

function short(fingerprint: NamedFingerprint | undefined): string {
  return fingerprint
    ? `${fingerprint.path} (sha256 ${fingerprint.sha256.slice(0, 12)}, ${fingerprint.size} bytes)`
    : '(none)';
}

/**
 * Lists how two shards' runs differ: settings (paths aside), model/tokenizer/LM/manifest
 * contents, the corpus selection, the shard count.
 * @param a - First shard (the reference).
 * @param b - Another shard.
 * @returns One line per difference; empty when they belong to the same run.
 */
export function shardDifferences(a: ShardJournal, b: ShardJournal): string[] {
  const differences: string[] = [];
  const ca = a.header.config as unknown as Record<string, unknown>;
  const cb = b.header.config as unknown as Record<string, unknown>;
  for (const key of new Set([...Object.keys(ca), ...Object.keys(cb)])) {
    if (PATH_KEYS.has(key)) continue;
    if (JSON.stringify(ca[key]) !== JSON.stringify(cb[key]))
      differences.push(`setting ${key}: ${show(ca[key])} in ${a.dir}, ${show(cb[key])} in ${b.dir}`);
  }
  const ia = a.header.inputs as RunInputs;
  const ib = b.header.inputs as RunInputs;
  const same = (x: NamedFingerprint | undefined, y: NamedFingerprint | undefined) =>
    x === undefined ? y === undefined : y !== undefined && x.sha256 === y.sha256 && x.size === y.size;
  if (ia.models.length !== ib.models.length)
    differences.push(`number of models: ${ia.models.length} in ${a.dir}, ${ib.models.length} in ${b.dir}`);
  else
    ia.models.forEach(
      (m, i) =>
        !same(m, ib.models[i]) &&
        differences.push(`model ${i + 1}: ${short(m)} in ${a.dir}, ${short(ib.models[i])} in ${b.dir}`),
    );
  if (!same(ia.tokenizer, ib.tokenizer))
    differences.push(`tokenizer: ${short(ia.tokenizer)} in ${a.dir}, ${short(ib.tokenizer)} in ${b.dir}`);
  if (!same(ia.lm, ib.lm)) differences.push(`LM: ${short(ia.lm)} in ${a.dir}, ${short(ib.lm)} in ${b.dir}`);
  if (!same(ia.manifest, ib.manifest))
    differences.push(`manifest: ${short(ia.manifest)} in ${a.dir}, ${short(ib.manifest)} in ${b.dir}`);
  const sa = ia.selection;
  const sb = ib.selection;
  if (sa?.sha256 !== sb?.sha256) {
    differences.push(
      `corpus: ${sa?.utterances ?? '?'} measured utterances (ids and transcripts sha256 ${sa?.sha256.slice(0, 12)}) in ${a.dir}, ${sb?.utterances ?? '?'} (${sb?.sha256.slice(0, 12)}) in ${b.dir}`,
    );
  }
  const ka = a.header.config.shard?.count;
  const kb = b.header.config.shard?.count;
  if (ka !== kb) differences.push(`shard count: ${ka ?? 'unsharded'} in ${a.dir}, ${kb ?? 'unsharded'} in ${b.dir}`);
  return differences;
}

/**
 * Checks that shard directories can be merged and says what they add up to.
 * @param shards - The shards read back.
 * @param expected - What they must add up to: the whole run when undefined, else this shard (the jobs of `--shard i/n --jobs N`).
 * @returns The combined shard (`undefined` for a whole run; a coarser shard for the jobs of one shard).
 * @throws AsrqError `BENCH_MERGE_MISMATCH` naming each difference or the missing/duplicate shards,
 *   `BENCH_MERGE_INCOMPLETE` when a shard's run did not finish.
 */
export function checkShards(shards: readonly ShardJournal[], expected?: ShardSpec): ShardSpec | undefined {
  const first = shards[0]!;
  const problems: string[] = [];
  for (const shard of shards.slice(1)) problems.push(...shardDifferences(first, shard));
  if (problems.length > 0) {
    const shown = problems.slice(0, 8).join('; ') + (problems.length > 8 ? `; and ${problems.length - 8} more` : '');
    throw new BenchError(
      'BENCH_MERGE_MISMATCH',
      `These directories are not shards of one run: ${shown}. Merge only the shards of one run (same models, settings and corpus).`,
    );
  }
  const count = first.header.config.shard!.count;
  const byIndex = new Map<number, string>();
  for (const shard of shards) {
    const index = shard.header.config.shard!.index;
    const other = byIndex.get(index);
    if (other)
      throw new BenchError(
        'BENCH_MERGE_MISMATCH',
        `Shard ${index}/${count} appears twice (${other} and ${shard.dir}). Pass each shard's directory once.`,
      );
    byIndex.set(index, shard.dir);
  }
  const combined = combinedShard([...byIndex.keys()], count);
  const wanted = expected ?? { index: 1, count: 1 };
  if (combined === null || (combined?.index ?? 1) !== wanted.index || (combined?.count ?? 1) !== wanted.count) {
    // The shards of `count` that make up the wanted one (all of them for the whole run).
    const missing = Array.from({ length: count }, (_, i) => i + 1).filter(
      (i) => (i - 1) % wanted.count === wanted.index - 1 && !byIndex.has(i),
    );
    const listed =
      missing
        .slice(0, 10)
        .map((i) => `${i}/${count}`)
        .join(', ') + (missing.length > 10 ? `, and ${missing.length - 10} more` : '');
    throw new BenchError(
      'BENCH_MERGE_MISMATCH',
      `Shards missing: ${listed} (got ${byIndex.size} of ${count}). Run them (\`shard\` i/${count} with the same options) and merge all ${count} directories.`,
      { argument: 'shard' },
    );
  }
  for (const shard of shards) {
    const modelCount = shard.header.config.models.length;
    const ids = Object.keys((shard.header.inputs as RunInputs).audio);
    const perId = new Map<string, number>();
    for (const r of shard.records) perId.set(r.id, (perId.get(r.id) ?? 0) + 1);
    const skipped = new Set(shard.skipped.map((s) => s.id));
    const unfinished = ids.filter((id) => !skipped.has(id) && (perId.get(id) ?? 0) < modelCount);
    if (unfinished.length > 0) {
      throw new BenchError(
        'BENCH_MERGE_INCOMPLETE',
        `Shard ${formatShard(shard.header.config.shard!)} in ${shard.dir} did not finish: ${unfinished.length} of ${ids.length} utterances have no result (first: ${unfinished[0]}). Run it again with \`resume\`, then merge.`,
        { argument: 'resume' },
      );
    }
  }
  return combined;
}

/**
 * Merges the shards' input fingerprints: the first shard's files, every shard's audio.
 * @param shards - Checked shards.
 * @returns Fingerprints for the merged journal header.
 */
export function mergeInputs(shards: readonly ShardJournal[]): RunInputs {
  const first = shards[0]!.header.inputs as RunInputs;
  const audio: RunInputs['audio'] = {};
  for (const shard of shards) Object.assign(audio, (shard.header.inputs as RunInputs).audio);
  return { ...first, audio };
}

/**
 * The merged run's config: the first shard's, with the combined shard (none for a whole run).
 * @param config - First shard's config.
 * @param combined - What the shards add up to.
 * @returns The config.
 */
export function mergedConfig(config: BenchConfig, combined: ShardSpec | undefined): BenchConfig {
  const { shard: _shard, ...rest } = config;
  return combined ? { ...rest, shard: combined } : rest;
}
