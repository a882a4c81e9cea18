import { DEFAULT_CHUNK_SEC, DEFAULT_STRIDE_SEC } from './defaults.js';
import type { ChunkOptions } from './long-audio.js';
import type { ModelInfo } from './types.js';

/**
 * The most samples one run of a fixed-shape export takes (`ModelInfo.fixedInputLength`): the
 * fixed length itself for a waveform input; for a features input, the longest audio whose
 * features fit in its fixed number of frames.
 * @param info - The model's interface.
 * @returns Samples, or undefined when the input length is not fixed.
 */
export function fixedInputSamples(info: Pick<ModelInfo, 'fixedInputLength' | 'frontEnd'>): number | undefined {
  const fixed = info.fixedInputLength;
  if (fixed === undefined) return undefined;
  const frontEnd = info.frontEnd;
  if (frontEnd.kind === 'waveform') return fixed;
  const frames = (n: number) => Math.max(frontEnd.frameCount(n), frontEnd.tensorFrameCount?.(n) ?? 0);
  let lo = 0;
  let hi = Math.max(1, frontEnd.hopSamples) * (fixed + 2) + frontEnd.minSamples;
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (frames(mid) <= fixed) lo = mid;
    else hi = mid;
  }
  return lo;
}

/**
 * The long-audio windows to use with a model: the requested ones, unless the model was exported
 * with a fixed input length they do not fit in. Then windows that fit are chosen: a context of
 * an eighth of the fixed length on each side, the rest kept (minus two frame hops of margin for
 * rounding to whole frames), so any input runs as padded or windowed runs of that length.
 * @param info - The model's interface.
 * @param options - The requested windows (defaults 30 s and 5 s).
 * @returns Chunk options that every run of the model can take.
 * @example
 * ```ts no-run
 * const windows = chunkOptionsFor(model.info, { chunkSec: 30, strideSec: 5 });
 * ```
 */
export function chunkOptionsFor(
  info: Pick<ModelInfo, 'fixedInputLength' | 'frontEnd' | 'sampleRate' | 'frameStrideSamples'>,
  options: ChunkOptions,
): ChunkOptions {
  const limit = fixedInputSamples(info);
  if (limit === undefined) return options;
  const rate = info.sampleRate;
  const chunkSec = options.chunkSec ?? DEFAULT_CHUNK_SEC;
  const strideSec = options.strideSec ?? DEFAULT_STRIDE_SEC;
  const unit = Math.max(1, info.frameStrideSamples ?? 1);
  if (chunkSec > 0 && (chunkSec + 2 * strideSec) * rate + 2 * unit <= limit) return options;
  const stride = Math.floor(limit / 8);
  const chunk = Math.max(unit, limit - 2 * stride - 2 * unit);
  return { chunkSec: chunk / rate, strideSec: stride / rate };
}
