import { openCorpus, selectItems, type Corpus, type CorpusItem } from '@asrq/audio';
import { needsChunking } from '@asrq/runtime';
import type { BenchProgress } from '../types.js';
import { shardItems } from '../shard.js';
import type { BenchConfig } from '../types.js';
import { BenchError } from '../errors.js';

/**
 * Checks a run's settings before anything is read or written.
 * @param config - What to run.
 * @throws AsrqError `BENCH_NO_MODEL`, `BENCH_BAD_OPTION` naming the option, `RUNTIME_BAD_CHUNKING`.
 */
export function checkConfig(config: BenchConfig): void {
  if (config.models.length === 0)
    throw new BenchError('BENCH_NO_MODEL', 'No model to benchmark. Pass at least one in `models`.', {
      argument: 'models',
    });
  if (!Number.isInteger(config.n) || config.n < 1)
    throw new BenchError('BENCH_BAD_OPTION', `\`n\` must be a positive integer, got ${config.n}.`, { argument: 'n' });
  if (!Number.isInteger(config.warmup) || config.warmup < 0)
    throw new BenchError('BENCH_BAD_OPTION', `\`warmup\` must be 0 or more, got ${config.warmup}.`, {
      argument: 'warmup',
    });
  if (!Number.isInteger(config.repeats) || config.repeats < 1)
    throw new BenchError('BENCH_BAD_OPTION', `\`repeats\` must be 1 or more, got ${config.repeats}.`, {
      argument: 'repeats',
    });
  if (
    config.modelThreads &&
    (config.modelThreads.length !== config.models.length ||
      config.modelThreads.some((t) => !Number.isInteger(t) || t < 1))
  ) {
    throw new BenchError(
      'BENCH_BAD_OPTION',
      `modelThreads must give a positive integer thread count for each of the ${config.models.length} models, got [${config.modelThreads.join(', ')}].`,
    );
  }
  // Refuses a chunking that keeps nothing (RUNTIME_BAD_CHUNKING) before anything is read or written.
  needsChunking(0, 16000, chunkingOf(config));
}

/** The long-audio window settings of a run (runtime defaults where absent). */
export function chunkingOf(config: BenchConfig): { chunkSec?: number; strideSec?: number } {
  return {
    ...(config.chunkSec === undefined ? {} : { chunkSec: config.chunkSec }),
    ...(config.strideSec === undefined ? {} : { strideSec: config.strideSec }),
  };
}

/** The utterances of a run. */
export interface RunItems {
  corpus: Corpus;
  /** Run through every model first, excluded from all numbers. */
  warmup: CorpusItem[];
  /** The measured selection before sharding (what every shard of the run shares). */
  unsharded: CorpusItem[];
  /** What this process measures: `unsharded`, or its shard. */
  measured: CorpusItem[];
  measuredIds: Set<string>;
}

/**
 * Opens the corpus and selects the warm-up and measured utterances (seeded or in id order),
 * then this run's shard of the measured ones.
 * @param config - What to run.
 * @param onProgress - Told of each corpus entry lenient mode left out, and when the corpus has fewer utterances than asked for.
 * @returns The utterances.
 * @throws AsrqError `BENCH_NOT_ENOUGH_DATA` when nothing is left to measure after the warm-up.
 */
export async function selectRunItems(
  config: BenchConfig,
  onProgress?: (event: BenchProgress) => void,
): Promise<RunItems> {
  const corpus = await openCorpus(config.data, { lenient: config.lenient });
  for (const w of corpus.warnings)
    onProgress?.({ status: 'corpus-warning', code: w.code, message: w.message, path: w.path });
  const selection = selectItems(corpus.items, {
    n: config.n + config.warmup,
    ...(config.seed === undefined ? {} : { seed: config.seed }),
  });
  const warmup = selection.slice(0, config.warmup);
  const unsharded = selection.slice(config.warmup);
  if (unsharded.length === 0) {
    throw new BenchError(
      'BENCH_NOT_ENOUGH_DATA',
      `${config.data} has ${corpus.items.length} utterances: none left to measure after ${config.warmup} warm-up ones. Lower \`warmup\` or use a larger corpus.`,
      { argument: 'warmup' },
    );
  }
  if (unsharded.length < config.n)
    onProgress?.({ status: 'short', requested: config.n, available: unsharded.length, warmup: config.warmup });
  const measured = shardItems(unsharded, config.shard);
  return { corpus, warmup, unsharded, measured, measuredIds: new Set(measured.map((m) => m.id)) };
}
