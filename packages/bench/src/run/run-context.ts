import { performance } from 'node:perf_hooks';
import { readAudio, type CorpusItem } from '@asrq/audio';
import type { CtcDecodeFn, CtcModel } from '@asrq/runtime';
import type { BenchProgress } from '../types.js';
import type { JournalWriter } from '../journal.js';
import type { BenchConfig } from '../types.js';

/** What the warm-up and the measured loop share: the loaded models, their decoders and the open journal. */
export interface RunContext {
  config: BenchConfig;
  models: CtcModel[];
  decoders: CtcDecodeFn[];
  writer: JournalWriter;
  /** The first model's sample rate: audio is read at it for every model. */
  sampleRate: number;
  chunking: { chunkSec?: number; strideSec?: number };
  onProgress?: (event: BenchProgress) => void;
  signal?: AbortSignal;
}

/** An utterance's audio and how long reading it took, or why it could not be read (lenient runs). */
export type LoadedAudio = { audio: Float32Array; loadSec: number } | { error: string };

/**
 * Reads, decodes and resamples one utterance, timing it.
 * @param ctx - The run (sample rate, lenient).
 * @param item - The utterance.
 * @returns The audio, or in a lenient run the reason it could not be read.
 * @throws The read error in a strict run.
 */
export async function loadAudio(ctx: RunContext, item: CorpusItem): Promise<LoadedAudio> {
  const started = performance.now();
  try {
    const audio = await readAudio(item.audioPath, { sampleRate: ctx.sampleRate });
    return { audio, loadSec: (performance.now() - started) / 1000 };
  } catch (error) {
    if (!ctx.config.lenient) throw error;
    return { error: (error as Error).message };
  }
}
