import type { BenchRun, LoadedModelFacts } from '../types.js';
import type { BenchConfig } from '../types.js';
import type { MeasuredLoop } from './measure-loop.js';
import type { RunItems } from './resolve-inputs.js';
import { BenchError } from '../errors.js';

/**
 * The raw run, limited to this run's measured utterances.
 * @param config - What ran.
 * @param parts - Items, model facts, tokenizer, the loop's results and the start time.
 * @returns The run for `buildReport`.
 * @throws AsrqError `BENCH_NOT_ENOUGH_DATA` when every measured utterance was skipped as unreadable.
 */
export function finishRun(
  config: BenchConfig,
  parts: { items: RunItems; facts: LoadedModelFacts[]; tokenizerPath: string; loop: MeasuredLoop; startedAt: string },
): BenchRun {
  const { items, loop } = parts;
  const { measuredIds, corpus } = items;
  const finished = new Set(loop.records.filter((r) => measuredIds.has(r.id)).map((r) => r.id));
  if (finished.size === 0) {
    const reasons = loop.skipped
      .filter((k) => measuredIds.has(k.id))
      .slice(0, 3)
      .map((k) => `${k.id}: ${k.reason}`);
    throw new BenchError(
      'BENCH_NOT_ENOUGH_DATA',
      `All ${items.measured.length} measured utterances of ${config.data} were skipped as unreadable${reasons.length ? ` (${reasons.join('; ')})` : ''}. Check the corpus with asrq data list.`,
    );
  }
  return {
    config,
    records: loop.records.filter((r) => measuredIds.has(r.id)),
    skipped: loop.skipped.filter((s) => measuredIds.has(s.id)),
    models: parts.facts,
    tokenizer: parts.tokenizerPath,
    corpus: { root: corpus.root, kind: corpus.kind, available: corpus.items.length, warnings: corpus.warnings.length },
    resumed: loop.resumed,
    loopSec: loop.loopSec,
    workSec: loop.workSec,
    peakRssBytes: process.resourceUsage().maxRSS * 1024,
    startedAt: parts.startedAt,
    finishedAt: new Date().toISOString(),
  };
}
