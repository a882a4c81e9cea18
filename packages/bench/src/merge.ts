import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { errorCode } from '@asrq/core';
import { lockDirectory } from '@asrq/core/node';
import { journalPath } from './harness.js';
import type { BenchRun, LoadedModelFacts } from './types.js';
import { JOURNAL_VERSION, openJournal, readJournal, startJournal } from './journal.js';
import { checkShards, mergedConfig, mergeInputs, type ShardJournal } from './merge-checks.js';
import { buildReport } from './report.js';
import type { BenchReport } from './report-types.js';
import type { RunInputs } from './types.js';
import { formatShard, type ShardSpec } from './shard.js';
import type { BenchConfig, SkippedRecord, UtteranceRecord } from './types.js';
import { BenchError } from './errors.js';

/** Options of {@link mergeShards}. */
export interface MergeShardsOptions {
  /** Directory for the merged journal (`results.jsonl`) and reports; locked while merging. */
  outDir: string;
  /** Replace a run already in `outDir`. */
  force?: boolean;
  /** What the shards must add up to: the whole run when undefined, else this shard (the jobs of one `--shard i/n` run). */
  expected?: ShardSpec;
  /** Environment recorded when no shard has a report.json (default: the first shard's). */
  environment?: BenchReport['environment'];
}

/** What {@link mergeShards} produced. */
export interface MergedRun {
  run: BenchRun;
  report: BenchReport;
  /** What the shards add up to: `undefined` for the whole run, else a coarser shard (the jobs of one shard). */
  shard: ShardSpec | undefined;
}

async function readShard(dir: string): Promise<{ journal: ShardJournal; report?: BenchReport }> {
  const path = journalPath(dir);
  const contents = await readJournal(path);
  if (!contents.header)
    throw new BenchError(
      'BENCH_MERGE_MISMATCH',
      `${path} is missing or has no header line: ${dir} holds no asrq bench run.`,
      { location: path },
    );
  if (contents.header.version !== JOURNAL_VERSION || !contents.header.inputs?.selection) {
    throw new BenchError(
      'BENCH_MERGE_MISMATCH',
      `${path} was written by another asrq version (journal version ${contents.header.version}, without the corpus digest merging needs). Run the shard again with this version.`,
      { location: path },
    );
  }
  if (!contents.header.config.shard) {
    throw new BenchError(
      'BENCH_MERGE_MISMATCH',
      `${dir} holds a whole run, not a shard (it was run without \`shard\`). Merge only the directories of runs with \`shard\` i/n.`,
      { location: path, argument: 'shard' },
    );
  }
  const report = await readFile(join(dir, 'report.json'), 'utf8').then(
    (text) => JSON.parse(text) as BenchReport,
    () => undefined,
  );
  return {
    journal: { dir, header: contents.header, records: contents.records, skipped: contents.skipped },
    ...(report ? { report } : {}),
  };
}

/**
 * Merges the directories of `asrq bench --shard i/n` runs into one run and report. The shards
 * must belong to one run: the same settings, the same model, tokenizer, LM and manifest
 * contents (by sha256, so paths may differ between machines), the same corpus selection, every
 * shard present once and finished. The merged WER, counts and transcripts are those of the
 * unsharded run; RTF pools every shard's encoder time over all audio, so shards measured on
 * different machines mix their speeds (the report lists each shard's CPU).
 *
 * @param dirs - Shard output directories.
 * @param options - Where to write, and whether to replace a run there.
 * @returns The merged run and its report; the journal is written to `outDir` (reports are the caller's to write, with `writeReports`).
 * @throws AsrqError `BENCH_MERGE_MISMATCH` naming what differs, missing or duplicate shards;
 *   `BENCH_MERGE_INCOMPLETE` for an unfinished shard; `BENCH_OUT_EXISTS` when `outDir` holds a run and `force` is not set;
 *   `BENCH_OUT_LOCKED` while another process uses `outDir`.
 */
export async function mergeShards(dirs: readonly string[], options: MergeShardsOptions): Promise<MergedRun> {
  if (dirs.length === 0)
    throw new BenchError(
      'BENCH_MERGE_MISMATCH',
      'No shard directory to merge. Pass the output directory of every shard of the run.',
    );
  const outDir = resolve(options.outDir);
  if (dirs.some((d) => resolve(d) === outDir))
    throw new BenchError(
      'BENCH_BAD_OPTION',
      `\`outDir\` ${options.outDir} is one of the shard directories; write the merged run to a directory of its own.`,
      { argument: 'outDir' },
    );
  const read = [];
  for (const dir of dirs) read.push(await readShard(dir));
  const shards = read.map((r) => r.journal);
  const combined = checkShards(shards, options.expected);
  const lock = await lockDirectory(outDir, {
    name: 'results.lock',
    code: errorCode(BenchError, 'BENCH_OUT_LOCKED'),
    argument: 'outDir',
  });
  try {
    const existing = await readJournal(journalPath(outDir)).catch(() => undefined);
    if (!options.force && existing && (existing.header || existing.records.length > 0)) {
      throw new BenchError(
        'BENCH_OUT_EXISTS',
        `${outDir} already holds a run (${journalPath(outDir)}). Pass \`force\` to replace it, or choose another \`outDir\`.`,
        { argument: ['force', 'outDir'] },
      );
    }
    const config = mergedConfig(shards[0]!.header.config, combined);
    const inputs = mergeInputs(shards);
    const records = shards.flatMap((s) => s.records);
    const skipped = shards.flatMap((s) => s.skipped);
    await writeMergedJournal(journalPath(outDir), config, inputs, [...records, ...skipped]);
    const reports = read.map((r) => r.report);
    const run = mergedRun(shards, reports, { config, inputs, records, skipped });
    const environment = reports.find((r) => r !== undefined)?.environment ?? options.environment;
    if (!environment)
      throw new BenchError(
        'BENCH_MERGE_MISMATCH',
        `No shard directory has a report.json to take the machine facts from (${dirs.join(', ')}); pass options.environment.`,
      );
    const report: BenchReport = { ...buildReport(run, environment), merged: mergedShardFacts(shards, reports) };
    return { run, report, shard: combined };
  } finally {
    await lock.release();
  }
}

/** Writes the merged journal: the header, then every shard's records and skips. */
async function writeMergedJournal(
  path: string,
  config: BenchConfig,
  inputs: RunInputs,
  lines: ReadonlyArray<UtteranceRecord | SkippedRecord>,
): Promise<void> {
  await startJournal(path, config, inputs);
  const writer = await openJournal(path);
  try {
    for (const line of lines) await writer.append(line);
  } finally {
    await writer.close();
  }
}

/** The merged raw run: every shard's records, model facts from the shards' reports, harness times summed. */
function mergedRun(
  shards: readonly ShardJournal[],
  reports: ReadonlyArray<BenchReport | undefined>,
  merged: { config: BenchConfig; inputs: RunInputs; records: UtteranceRecord[]; skipped: SkippedRecord[] },
): BenchRun {
  const { config, inputs } = merged;
  const firstReport = reports.find((r) => r !== undefined);
  const models: LoadedModelFacts[] = config.models.map((path, m) => ({
    path,
    sizeBytes: firstReport?.models[m]?.sizeBytes ?? inputs.models[m]?.size ?? 0,
    loadSec: Math.max(0, ...reports.map((r) => r?.models[m]?.loadSec ?? 0)),
    rssIncreaseBytes: Math.max(0, ...reports.map((r) => r?.models[m]?.rssIncreaseBytes ?? 0)),
  }));
  const sum = (pick: (r: BenchReport) => number) => reports.reduce((total, r) => total + (r ? pick(r) : 0), 0);
  return {
    config,
    records: merged.records,
    skipped: merged.skipped,
    models,
    tokenizer: inputs.tokenizer.path,
    corpus: {
      root: config.data,
      kind: 'merged',
      available: inputs.selection?.utterances ?? 0,
      warnings: Math.max(0, ...reports.map((r) => r?.corpusWarnings ?? 0)),
    },
    resumed: sum((r) => r.harness.resumedUtterances),
    loopSec: sum((r) => r.harness.loopSec),
    workSec: sum((r) => r.harness.workSec),
    peakRssBytes: Math.max(0, ...reports.map((r) => r?.harness.peakRssBytes ?? 0)),
    startedAt: shards.map((s) => s.header.startedAt).sort()[0]!,
    finishedAt:
      reports
        .map((r) => r?.finishedAt ?? '')
        .sort()
        .at(-1) || new Date().toISOString(),
  };
}

/** Each shard as the merged report lists it, with its machine when it has a report. */
function mergedShardFacts(
  shards: readonly ShardJournal[],
  reports: ReadonlyArray<BenchReport | undefined>,
): NonNullable<BenchReport['merged']> {
  return shards.map((s, i) => ({
    dir: s.dir,
    shard: formatShard(s.header.config.shard!),
    utterances: new Set(s.records.map((r) => r.id)).size,
    ...(reports[i]
      ? { cpu: reports[i]!.environment.cpu, cores: reports[i]!.environment.cores, loopSec: reports[i]!.harness.loopSec }
      : {}),
  }));
}
