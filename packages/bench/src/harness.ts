import { join } from 'node:path';
import { lockDirectory } from '@asrq/core/node';
import type { CtcModel } from '@asrq/runtime';
import { errorCode } from '@asrq/core';
import type { JournalWriter } from './journal.js';
import { finishRun } from './run/finish.js';
import { createDecoders, loadModels } from './run/load-models.js';
import { measureInterleaved } from './run/measure-loop.js';
import { openRunJournal, readPreviousRun } from './run/open-journal.js';
import { checkConfig, chunkingOf, selectRunItems } from './run/resolve-inputs.js';
import type { RunContext } from './run/run-context.js';
import { warmUp } from './run/warm-up.js';
import { resolveBenchConfig } from './defaults.js';
import type { BenchConfig, BenchRun, BenchSettings, RunBenchmarkOptions } from './types.js';
import { BenchError } from './errors.js';

/** The journal file of a run directory. */
export function journalPath(outDir: string): string {
  return join(outDir, 'results.jsonl');
}

/**
 * Runs the benchmark protocol of the SpeechBrain tutorial over several models at once:
 * warm-up utterances first (excluded), then every measured utterance through every model,
 * interleaved (A, B, B, A, ...) so machine noise falls on all models alike; encoder time is
 * `session.run` alone, repeated `repeats` times; decoding and audio loading are timed apart.
 * Each (utterance, model) result is appended to a JSONL journal as it is produced, so an
 * interrupted run resumes where it stopped.
 *
 * @param settings - What to run ({@link resolveBenchConfig} applies the defaults).
 * @param options - Output directory, resume, progress and cancellation.
 * @returns The raw run, for {@link buildReport}.
 * The output directory is locked for the run (`results.lock`: pid, host, start time); a lock
 * left by a killed process is taken over with a `stale-lock` progress note. The journal header
 * records fingerprints of every input file, and a resume refuses when any of them changed.
 * @throws AsrqError for unreadable inputs (models, corpus, audio in strict mode), `BENCH_OUT_LOCKED`
 *   (another run uses `outDir`), and `BENCH_RESUME_MISMATCH` (other settings, or an input file changed).
 */
export async function runBenchmark(settings: BenchSettings, options: RunBenchmarkOptions): Promise<BenchRun> {
  const config = resolveBenchConfig(settings);
  // Two runs appending to one journal would write every result twice: one run per --out.
  const lock = await lockDirectory(options.outDir, {
    name: 'results.lock',
    code: errorCode(BenchError, 'BENCH_OUT_LOCKED'),
    argument: 'outDir',
    onStale: (note) =>
      options.onProgress?.({
        status: 'stale-lock',
        path: note.path,
        ...(note.previous ? { pid: note.previous.pid, startedAt: note.previous.startedAt } : {}),
      }),
  });
  try {
    return await runLocked(config, options);
  } finally {
    await lock.release();
  }
}

/**
 * {@link runBenchmark} once the output directory is locked: check the settings, read what the
 * directory holds, select the utterances, load the models and decoders, open the journal, warm
 * up, measure interleaved, and finish the run.
 */
async function runLocked(config: BenchConfig, options: RunBenchmarkOptions): Promise<BenchRun> {
  checkConfig(config);
  const startedAt = new Date().toISOString();
  // Read-only until every input has been checked, so a typo never costs a previous run.
  const previous = await readPreviousRun(journalPath(options.outDir), config, options);
  const items = await selectRunItems(config, options.onProgress);
  const models: CtcModel[] = [];
  let writer: JournalWriter | undefined;
  try {
    const facts = await loadModels(config, models, options);
    const { tokenizerPath, decoders } = await createDecoders(config, models);
    writer = await openRunJournal(previous, config, items, tokenizerPath);
    const events = {
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
    };
    const ctx: RunContext = {
      config,
      models,
      decoders,
      writer,
      sampleRate: models[0]!.info.sampleRate,
      chunking: chunkingOf(config),
      ...events,
    };
    await warmUp(ctx, items.warmup);
    const loop = await measureInterleaved(ctx, items, previous);
    const run = finishRun(config, { items, facts, tokenizerPath, loop, startedAt });
    options.onProgress?.({ status: 'done' });
    return run;
  } finally {
    await writer?.close();
    await Promise.all(models.map((m) => m.release()));
  }
}
