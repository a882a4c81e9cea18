import { resolve } from 'node:path';
import { buildReport, environmentFacts, journalPath, reportSummary, resultsTable, runBenchmark, writeReports, type BenchConfig } from '@asrq/bench';
import { defaultCorpusDir, defaultModelPath } from '@asrq/fixtures';
import { defaultBeamWidth } from '@asrq/runtime';
import type { Command } from 'commander';
import { addScaleOptions, scaleConfig, type ScaleFlags } from '../bench-scale.js';
import { addChunkOptions, chunkOptions, type ChunkFlags } from '../chunk-options.js';
import { addDecodeOptions, resolveDecodeFlags, type DecodeFlags } from '../decode-options.js';
import { addModelOverrideOptions, modelOverrides, type ModelOverrideFlags } from '../model-options.js';
import { collect, decimal, integer } from '../options.js';
import { createProgressBar, note, print, type OutputMode } from '../output.js';
import { withAbort } from '../signals.js';
import { threadConfig, threadCounts } from '../thread-counts.js';
import { runBenchJobs } from './bench-jobs.js';
import { registerBenchJob } from './bench-job.js';
import { registerBenchMerge } from './bench-merge.js';

interface BenchFlags extends ModelOverrideFlags, ChunkFlags, DecodeFlags, Omit<ScaleFlags, 'threads'> {
  model?: string[];
  tokenizer?: string;
  data?: string;
  n: number;
  warmup: number;
  seed?: number;
  repeats: number;
  /** One intra-op thread count, or several (`--threads 1,2`) measured in the same run. */
  threads: number | number[];
  beam?: number;
  lm?: string;
  alpha?: number;
  beta?: number;
  lenient?: boolean;
  out: string;
  resume?: boolean;
  force?: boolean;
  json?: boolean;
  quiet?: boolean;
}

/**
 * Runs the benchmark described by the flags and writes the reports. Shared by `asrq bench` and `asrq demo`.
 * @param flags - Parsed options.
 * @returns The report.
 */
export async function runBenchCommand(flags: BenchFlags) {
  const mode: OutputMode = { json: Boolean(flags.json), quiet: Boolean(flags.quiet || flags.json) };
  const config: BenchConfig = {
    ...threadConfig((flags.model?.length ? flags.model : [defaultModelPath]).map((m) => resolve(m)), flags.threads),
    data: resolve(flags.data ?? defaultCorpusDir),
    n: flags.n,
    warmup: flags.warmup,
    repeats: flags.repeats,
    beam: flags.beam ?? defaultBeamWidth(flags.lm !== undefined || Boolean(flags.hotword?.length || flags.hotwords)),
    lenient: Boolean(flags.lenient),
  };
  if (flags.tokenizer) config.tokenizer = resolve(flags.tokenizer);
  const overrides = modelOverrides(flags);
  if (overrides) config.overrides = overrides;
  if (flags.seed !== undefined) config.seed = flags.seed;
  if (flags.lm) config.lm = resolve(flags.lm);
  const decode = await resolveDecodeFlags(flags);
  if (decode.alpha !== undefined) config.alpha = decode.alpha;
  if (decode.beta !== undefined) config.beta = decode.beta;
  if (decode.hotwords) config.hotwords = decode.hotwords;
  if (decode.hotwordWeight !== undefined) config.hotwordWeight = decode.hotwordWeight;
  Object.assign(config, chunkOptions(flags), scaleConfig({ ...flags, threads: Math.max(...(typeof flags.threads === 'number' ? [flags.threads] : flags.threads)) }));
  const outDir = resolve(flags.out);
  const bar = createProgressBar(mode);
  const run = await withAbort(
    (signal) =>
      (config.jobs ? runBenchJobs : runBenchmark)(config, {
        jobs: config.jobs ?? 1,
        outDir,
        resume: Boolean(flags.resume),
        force: Boolean(flags.force),
        signal,
        onProgress: (event) => {
          if (event.status === 'loading') note(mode, `loading ${event.model}`);
          else if (event.status === 'stale-lock') note(mode, `note: taking over ${event.path}, left by process ${event.pid ?? '?'} (started ${event.startedAt ?? '?'}), which is no longer running.`);
          else if (event.status === 'short') note(mode, `note: ${event.requested} utterances asked for, but the corpus has only ${event.available} after ${event.warmup} warm-up ones: measuring ${event.available}.`);
          else if (event.status === 'warmup') {
            if (event.done === 0) bar.start(event.total, 'warm-up  ');
            bar.update(event.done);
            // Stopped so the measuring pass starts its own bar (it used to go on as "warm-up 18/2").
            if (event.done === event.total) bar.stop();
          } else if (event.status === 'measuring') {
            bar.ensure(event.total, 'measuring', event.done);
            bar.update(event.done, event.id);
          } else if (event.status === 'skipped') {
            bar.stop();
            note(mode, `skipped ${event.id}: ${event.reason}`);
          } else bar.stop();
        },
      }),
    () => {
      bar.stop();
      note(mode, `\ninterrupted: results so far are in ${journalPath(outDir)}; run the same command with --resume to continue.`);
    },
  );
  const report = buildReport(run, environmentFacts());
  const written = await writeReports(outDir, report, run);
  if (flags.json) print(JSON.stringify(reportSummary(report)));
  else {
    print(resultsTable(report));
    if (report.skipped.length > 0) print(`\n${report.skipped.length} utterance(s) skipped as unreadable (see report.md).`);
    note(mode, `\n${report.utterances} utterances, ${(report.audioSec / 60).toFixed(1)} min; harness overhead ${report.harness.overheadPercent.toFixed(2)} %. Reports: ${written.slice(0, 3).join(', ')}`);
  }
  return report;
}

/** Adds the options `bench` and `demo` share. */
export function addBenchOptions(command: Command, defaults: { n: number; warmup: number; out: string }): Command {
  command
    .option('--model <path>', 'ONNX model; repeat to compare several (the first is the baseline). Default: the bundled model', collect)
    .option('--tokenizer <path>', 'tokenizer.model, tokens.txt or vocab.json (default: found beside the first model)')
    .option('--data <path>', 'LibriSpeech-layout directory or JSONL manifest (default: the bundled 40-utterance corpus)')
    .option('--n <count>', 'utterances to measure', integer(1), defaults.n)
    .option('--warmup <count>', 'warm-up utterances run first and excluded', integer(0), defaults.warmup)
    .option('--seed <int>', 'pick utterances at random with this seed (default: the first ones in id order)', integer(0))
    .option('--repeats <count>', 'encoder runs per utterance; RTF median and spread are over these', integer(1), 3)
    .option('--threads <list>', 'onnxruntime intra-op threads; a list (1,2) measures every model at each count in the same run, speedups per count', threadCounts, [1])
    .option('--beam <width>', 'CTC beam width (default: 1 = greedy, or 32 with --lm or --hotword)', integer(1))
    .option('--lm <file>', 'n-gram LM for beam search: ARPA (.arpa, .arpa.gz) or compiled (asrq lm compile)')
    .option('--alpha <weight>', 'LM weight', decimal())
    .option('--beta <bonus>', 'word insertion bonus', decimal())
    .option('--lenient', 'skip unreadable utterances (counted in the report) instead of stopping')
    .option('--out <dir>', 'output directory for results.jsonl and reports', defaults.out)
    .option('--resume', 'continue an interrupted run from <out>/results.jsonl')
    .option('--force', 'start over even though <out> holds a previous run')
    .option('--json', 'print one JSON object on stdout')
    .option('--quiet', 'no progress output');
  return addModelOverrideOptions(addChunkOptions(addDecodeOptions(command)));
}

/** Registers `asrq bench`. */
export function registerBench(program: Command): void {
  const bench = addBenchOptions(
    program
      .command('bench')
      .description('Measure WER and real-time factor of one or more models on a corpus, interleaved, as the SpeechBrain quantization tutorial does'),
    { n: 100, warmup: 10, out: 'asrq-bench' },
  ).action(async (flags: BenchFlags) => {
    await runBenchCommand(flags);
  });
  addScaleOptions(bench);
  registerBenchMerge(bench);
  registerBenchJob(program);
}
