import type { CorpusItem } from '@asrq/audio';
import { throwIfAborted } from '@asrq/core';
import { forwardLong } from '@asrq/runtime';
import { loadAudio, type RunContext } from './run-context.js';

/**
 * Runs the warm-up utterances through every model (nothing is recorded), so the first measured
 * utterance does not pay for lazy allocations and cold caches. Unreadable ones are passed over.
 * @param ctx - The run.
 * @param items - Warm-up utterances.
 */
export async function warmUp(ctx: RunContext, items: readonly CorpusItem[]): Promise<void> {
  for (const [index, item] of items.entries()) {
    throwIfAborted(ctx.signal);
    ctx.onProgress?.({ status: 'warmup', done: index, total: items.length });
    const loaded = await loadAudio(ctx, item);
    if ('error' in loaded) continue;
    for (const model of ctx.models) await forwardLong(model, loaded.audio, ctx.chunking);
  }
  ctx.onProgress?.({ status: 'warmup', done: items.length, total: items.length });
}
