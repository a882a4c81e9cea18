import { resolve } from 'node:path';
import {
  buildReport,
  environmentFacts,
  jobDir,
  journalPath,
  reportSummary,
  resultsTable,
  runBenchJobs,
  runBenchmark,
  threadConfig,
  writeReports,
  type BenchSettings,
  type BenchProgress,
  type BenchReport,
} from '@asrq/bench';
import { defaultCorpusDir, defaultModelPath } from '@asrq/fixtures';
import type { Command } from 'commander';
import { scaleConfig } from '../options/scale.js';
import { chunkOptions } from '../options/chunk.js';
import { addCommand } from '../options/spec.js';
import { assertWritableDir } from '../output-dirs.js';
import { resolveDecodeFlags } from '../options/decode.js';
import { modelOverrides } from '../options/model.js';
import { usageError } from '../exit-codes.js';
import { createProgressBar, note, print, type OutputMode, type ProgressBar } from '../output.js';
import { withAbort } from '../signals.js';
import { benchOptions, benchSettingsOf, type BenchCommandFlags } from '../options/bench.js';
import { registerBenchMerge } from './bench-merge.js';

/**
 * Runs the benchmark described by the flags and writes the reports. Shared by `asrq bench` and `asrq demo`.
 * @param flags - Parsed options.
 * @returns The report.
 */
export async function runBenchCommand(flags: BenchCommandFlags): Promise<BenchReport> {
  if (flags.resume && flags.force)
    throw usageError(`--resume continues the run in ${flags.out} and --force starts it over: give one of them.`);
  const mode: OutputMode = { json: Boolean(flags.json), quiet: Boolean(flags.quiet || flags.json) };
  const outDir = resolve(flags.out);
  await assertWritableDir(outDir, '--out');
  const config = await benchConfig(flags);
  const bar = createProgressBar(mode);
  const run = await withAbort(
    (signal) =>
      (config.jobs ? runBenchJobs : runBenchmark)(config, {
        jobs: config.jobs ?? 1,
        outDir,
        resume: Boolean(flags.resume),
        force: Boolean(flags.force),
        signal,
        onProgress: benchProgress(bar, mode),
      }),
    () => {
      bar.stop();
      note(
        mode,
        `\ninterrupted: results so far are in ${config.jobs ? `the job journals ${journalPath(jobDir(outDir, 1))} to ${journalPath(jobDir(outDir, config.jobs))}` : journalPath(outDir)}; run the same command with --resume to continue.`,
      );
    },
  );
  const report = buildReport(run, environmentFacts());
  const written = await writeReports(outDir, report, run);
  // On stderr also with --json: a WER near 100 % for a reason the numbers do not show.
  for (const m of report.models)
    for (const w of m.warnings ?? []) note({ json: false, quiet: false }, `warning: ${m.label}: ${w}`);
  if (report.skipped.length + report.corpusWarnings > 0)
    note({ json: false, quiet: false }, `warning: ${skippedSummary(report)}`);
  if (flags.json) print(JSON.stringify(reportSummary(report)));
  else {
    print(resultsTable(report));
    note(
      mode,
      `\n${report.utterances} utterances, ${(report.audioSec / 60).toFixed(1)} min; harness overhead ${report.harness.overheadPercent.toFixed(2)} %. Reports: ${written.slice(0, 3).join(', ')}`,
    );
  }
  return report;
}

/** What --lenient left out, said on stderr also with --json and --quiet: a smaller corpus must never pass unnoticed. */
function skippedSummary(report: BenchReport): string {
  const parts = [
    ...(report.skipped.length > 0 ? [`${report.skipped.length} unreadable utterance(s) (listed in report.md)`] : []),
    ...(report.corpusWarnings > 0
      ? [`${report.corpusWarnings} corpus entr(ies) with a problem (missing audio, a bad transcript line, ...)`]
      : []),
  ];
  return `--lenient skipped ${parts.join(' and ')}; ${report.utterances} of ${report.requested ?? report.utterances} utterances were measured.`;
}

/** The benchmark the flags describe (the benchmark resolves its defaults, the beam width among them). */
async function benchConfig(flags: BenchCommandFlags): Promise<BenchSettings> {
  const overrides = modelOverrides(flags);
  const threads = typeof flags.threads === 'number' ? [flags.threads] : flags.threads;
  return {
    ...threadConfig(
      (flags.model?.length ? flags.model : [defaultModelPath]).map((m) => resolve(m)),
      flags.threads,
    ),
    data: defaultCorpusDir,
    ...benchSettingsOf(flags),
    ...(overrides ? { overrides } : {}),
    ...(await resolveDecodeFlags(flags)),
    ...chunkOptions(flags),
    ...scaleConfig({ ...flags, threads: Math.max(...threads) }),
  };
}

/**
 * Renders benchmark progress: warm-up and measuring bars, a line per other event. The note that
 * the corpus is shorter than --n waits until the models have loaded (the corpus is read first),
 * so a model that fails to load is the only thing printed about it.
 */
function benchProgress(bar: ProgressBar, mode: OutputMode): (event: BenchProgress) => void {
  let shortNote: string | undefined;
  return (event) => {
    if (shortNote !== undefined && (event.status === 'warmup' || event.status === 'measuring')) {
      note(mode, shortNote);
      shortNote = undefined;
    }
    if (event.status === 'loading') note(mode, `loading ${event.model}`);
    else if (event.status === 'stale-lock')
      note(
        mode,
        `note: taking over ${event.path}, left by process ${event.pid ?? '?'} (started ${event.startedAt ?? '?'}), which is no longer running.`,
      );
    else if (event.status === 'short')
      shortNote = `note: ${event.requested} utterances asked for, but the corpus has only ${event.available} after ${event.warmup} warm-up ones: measuring ${event.available}.`;
    else if (event.status === 'warmup') {
      if (event.done === 0) bar.start(event.total, 'warm-up  ');
      bar.update(event.done);
      // Stopped so the measuring pass starts its own bar (it used to go on as "warm-up 18/2").
      if (event.done === event.total) bar.stop();
    } else if (event.status === 'measuring') {
      bar.ensure(event.total, 'measuring', event.done);
      bar.update(event.done, event.id);
    } else if (event.status === 'corpus-warning') note(mode, `skipped (--lenient): ${event.message}`);
    else if (event.status === 'skipped') {
      bar.stop();
      note(mode, `skipped ${event.id}: ${event.reason}`);
    } else bar.stop();
  };
}

/** Registers `asrq bench`. */
export function registerBench(program: Command): void {
  const bench = addCommand(
    program,
    {
      name: 'bench',
      description:
        'Measure WER and real-time factor of one or more models on a corpus, interleaved, as the SpeechBrain quantization tutorial does',
      options: benchOptions,
    },
    async (flags) => {
      await runBenchCommand(flags);
    },
  );
  registerBenchMerge(bench);
}
