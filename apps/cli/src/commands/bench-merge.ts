import { resolve } from 'node:path';
import { mergeShards, reportSummary, resultsTable, writeReports } from '@asrq/bench';
import type { Command } from 'commander';
import { addCommand, defineOptions } from '../options/spec.js';
import { note, print, type OutputMode } from '../output.js';

const benchMergeOptions = defineOptions({
  out: { flags: '--out <dir>', description: 'directory for the merged results.jsonl and reports', required: true },
  force: { flags: '--force', description: 'replace a run already in --out' },
  json: { flags: '--json', description: 'print one JSON object on stdout' },
  quiet: { flags: '--quiet', description: 'no chatter on stderr' },
});

/**
 * Registers `asrq bench merge <dirs...>` under `asrq bench`: joins the output directories of
 * `asrq bench --shard i/n` runs into one journal and report, after checking they are shards of
 * one run (settings, model/tokenizer/LM contents, corpus, every shard once and finished).
 */
export function registerBenchMerge(bench: Command): void {
  // `merge` has its own --out, --force, --json: options after the word `merge` are its own.
  // Commander needs this on every level above too (asrq has no options of its own but --help/--version).
  bench.parent?.enablePositionalOptions();
  bench.enablePositionalOptions();
  addCommand(
    bench,
    {
      name: 'merge',
      description:
        'merge the --out directories of asrq bench --shard i/n runs into one report (checks they are shards of one run)',
      arguments: [{ name: '<dirs...>', description: 'shard output directories, in any order' }],
      options: benchMergeOptions,
    },
    async (dirs, flags) => {
      const mode: OutputMode = { json: Boolean(flags.json), quiet: Boolean(flags.quiet || flags.json) };
      const outDir = resolve(flags.out);
      const merged = await mergeShards(
        dirs.map((d) => resolve(d)),
        { outDir, force: Boolean(flags.force) },
      );
      const written = await writeReports(outDir, merged.report, merged.run);
      if (flags.json)
        print(
          JSON.stringify({
            ...reportSummary(merged.report),
            shards: merged.report.merged?.length ?? 0,
            shard: merged.shard ? `${merged.shard.index}/${merged.shard.count}` : null,
          }),
        );
      else {
        print(resultsTable(merged.report));
        const what = merged.shard ? `shard ${merged.shard.index}/${merged.shard.count}` : 'the whole run';
        note(
          mode,
          `\nmerged ${dirs.length} shards into ${what}: ${merged.report.utterances} utterances, ${(merged.report.audioSec / 60).toFixed(1)} min. Reports: ${written.slice(0, 3).join(', ')}`,
        );
      }
    },
  );
}
