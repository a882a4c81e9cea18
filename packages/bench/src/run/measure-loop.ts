import { performance } from 'node:perf_hooks';
import { throwIfAborted } from '@asrq/core';
import type { SkippedRecord, UtteranceRecord } from '../types.js';
import { measureUtterance } from './measure-utterance.js';
import type { PreviousRun } from './open-journal.js';
import type { RunItems } from './resolve-inputs.js';
import { loadAudio, type RunContext } from './run-context.js';

/** What the measured loop produced. */
export interface MeasuredLoop {
  /** Resumed and new results (every utterance of the journal, measured or not by this shard). */
  records: UtteranceRecord[];
  skipped: SkippedRecord[];
  /** Measured utterances that already had results in the journal. */
  resumed: number;
  /** Wall time of the loop, seconds. */
  loopSec: number;
  /** Audio loading, inference and decoding time inside the loop, seconds. */
  workSec: number;
}

/**
 * The measured loop: every measured utterance through every model that has no result for it
 * yet, interleaved per utterance; unreadable utterances (lenient runs) are journaled as skipped.
 * @param ctx - The run.
 * @param items - The selected utterances.
 * @param previous - Results and skips a resume keeps.
 * @returns Records, skips and the loop's timings.
 */
export async function measureInterleaved(
  ctx: RunContext,
  items: RunItems,
  previous: PreviousRun,
): Promise<MeasuredLoop> {
  const { measured, measuredIds } = items;
  const done = new Set(previous.records.map((r) => `${r.id}\u0000${r.model}`));
  const skipped = previous.skipped;
  const skippedIds = new Set(skipped.map((s) => s.id));
  const resumed = new Set(previous.records.filter((r) => measuredIds.has(r.id)).map((r) => r.id)).size;
  const records = [...previous.records];
  let workSec = 0;
  const loopStart = performance.now();
  for (const [index, item] of measured.entries()) {
    throwIfAborted(ctx.signal);
    ctx.onProgress?.({ status: 'measuring', done: index, total: measured.length, id: item.id, resumed });
    const pending = ctx.models.map((_, m) => m).filter((m) => !done.has(`${item.id}\u0000${m}`));
    if (pending.length === 0 || skippedIds.has(item.id)) continue;
    const loaded = await loadAudio(ctx, item);
    if ('error' in loaded) {
      const record: SkippedRecord = { kind: 'skipped', id: item.id, path: item.audioPath, reason: loaded.error };
      skipped.push(record);
      await ctx.writer.append(record);
      ctx.onProgress?.({ status: 'skipped', id: item.id, reason: loaded.error });
      continue;
    }
    workSec += loaded.loadSec;
    const utterance = await measureUtterance(ctx, item, index, pending, loaded);
    records.push(...utterance.records);
    workSec += utterance.workSec;
  }
  return { records, skipped, resumed, loopSec: (performance.now() - loopStart) / 1000, workSec };
}
