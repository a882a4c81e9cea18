import type { LogProbs } from '@asrq/ctc/browser';
import { throwIfAborted } from '@asrq/core';
import { chunkOptionsFor } from './fixed-length.js';
import {
  chunkSamples,
  needsChunking,
  planChunks,
  Stitcher,
  type LongForwardOptions,
  type LongForwardResult,
} from './long-audio.js';
import type { ModelInfo } from './types.js';
import { AsrqRuntimeError } from './errors.js';

/** What running long audio needs of a model: `CtcModel` (Node) and `WebCtcModel` (browser) both are one. */
export interface WindowedModel {
  /** Name used in messages. */
  readonly name: string;
  /** Its interface. */
  readonly info: ModelInfo;
  /**
   * Runs a batch of waveforms.
   * @param batch - Waveforms at the model's rate.
   */
  forward(batch: readonly Float32Array[]): Promise<{ logProbs: LogProbs[]; encoderSec: number }>;
  /**
   * Its samples per output frame (stated or measured).
   * @param firstWindow - Gives samples to measure on.
   */
  frameHop(firstWindow: () => Promise<Float32Array>): Promise<number>;
}

/** Gives the samples [start, end) of an input; calls come with increasing, possibly overlapping, ranges. */
type WindowSource = (start: number, end: number) => Promise<Float32Array>;

/**
 * Runs a model over an input of any length: one window at a time (so memory is bounded by the
 * window length, not the input's), stitched by frame. Inputs no longer than
 * `chunkSec + 2 * strideSec` run as a single forward pass, exactly as `model.forward` would. A
 * model exported with a fixed input length gets windows that fit it (see `chunkOptionsFor`).
 * Works on the Node model and on the browser's `WebCtcModel` alike.
 * @param model - A loaded model.
 * @param audio - Mono samples at the model's sample rate.
 * @param options - Window and context seconds, progress and abort signal.
 * @returns Stitched log-probs, the summed encoder time, wall time and the frame-to-time map.
 * @throws AsrqError `RUNTIME_BAD_CHUNKING` for invalid options; whatever `model.forward` throws.
 * @example
 * ```ts
 * const { logProbs, encoderSec } = await forwardLong(model, audio, { chunkSec: 30, strideSec: 5 });
 * ```
 */
export async function forwardLong(
  model: WindowedModel,
  audio: Float32Array,
  options: LongForwardOptions = {},
): Promise<LongForwardResult> {
  return forwardWindows(model, audio.length, async (start, end) => audio.subarray(start, end), options);
}

/**
 * {@link forwardLong} over a stream of blocks instead of an array: only the current window (and
 * the block being read) is held, so the input is never held in full. The windows, and so the
 * result, are the same as `forwardLong` on the concatenated blocks.
 * @param model - A loaded model.
 * @param input - The input's total length in samples at the model's rate, and its blocks in order
 *   (e.g. `openAudioStream(path, { sampleRate })` from @asrq/audio).
 * @param options - As for {@link forwardLong}.
 * @returns As {@link forwardLong}.
 * @throws AsrqError `RUNTIME_SHORT_STREAM` when the blocks end before `length` samples; as {@link forwardLong}.
 * @example
 * ```ts
 * const stream = await openAudioStream('meeting.wav', { sampleRate: model.info.sampleRate });
 * const { logProbs } = await forwardLongStream(model, { length: stream.length!, blocks: stream.blocks() });
 * ```
 */
export async function forwardLongStream(
  model: WindowedModel,
  input: { length: number; blocks: AsyncIterable<Float32Array> },
  options: LongForwardOptions = {},
): Promise<LongForwardResult> {
  const iterator = input.blocks[Symbol.asyncIterator]();
  try {
    return await forwardWindows(model, input.length, streamWindows(iterator, input.length), options);
  } finally {
    await iterator.return?.();
  }
}

/** Windows cut from a stream of blocks, keeping only what later windows still need. */
function streamWindows(iterator: AsyncIterator<Float32Array>, length: number): WindowSource {
  let buffer = new Float32Array(0);
  let bufferStart = 0;
  let bufferEnd = 0;
  return async (start, end) => {
    // Drop what no later window needs (windows only move forward), then read up to `end`.
    if (start > bufferStart) {
      buffer.copyWithin(0, start - bufferStart, bufferEnd - bufferStart);
      bufferStart = start;
    }
    while (bufferEnd < end) {
      const next = await iterator.next();
      if (next.done)
        throw new AsrqRuntimeError(
          'RUNTIME_SHORT_STREAM',
          `The audio stream ended after ${bufferEnd} samples, but its length was given as ${length}.`,
        );
      const needed = bufferEnd - bufferStart + next.value.length;
      if (needed > buffer.length) {
        const grown = new Float32Array(Math.max(needed, end - bufferStart, Math.ceil(buffer.length * 1.5)));
        grown.set(buffer.subarray(0, bufferEnd - bufferStart));
        buffer = grown;
      }
      buffer.set(next.value, bufferEnd - bufferStart);
      bufferEnd += next.value.length;
    }
    return buffer.subarray(start - bufferStart, end - bufferStart);
  };
}

async function forwardWindows(
  model: WindowedModel,
  length: number,
  window: WindowSource,
  requestedOptions: LongForwardOptions,
): Promise<LongForwardResult> {
  const started = performance.now();
  const rate = model.info.sampleRate;
  const options = { ...requestedOptions, ...chunkOptionsFor(model.info, requestedOptions) };
  const requested = chunkSamples(options, rate);
  if (!needsChunking(length, rate, options)) {
    throwIfAborted(options.signal);
    const audio = await window(0, length);
    const result = await model.forward([audio]);
    const lp = result.logProbs[0]!;
    options.onProgress?.({ status: 'chunk', done: 1, total: 1 });
    const stated = model.info.frameStrideSamples;
    const secPerFrame =
      stated !== undefined && stated > 0 ? stated / rate : lp.frames > 0 ? length / rate / lp.frames : 0;
    return {
      logProbs: lp,
      encoderSec: result.encoderSec,
      wallSec: (performance.now() - started) / 1000,
      segments: [{ frameStart: 0, frames: lp.frames, startSec: 0, secPerFrame }],
    };
  }
  // Measuring an unstated hop runs the model twice more; that time is not the audio's encoder time.
  const hop = await model.frameHop(() => window(0, requested.chunk));
  const { chunk, stride } = chunkSamples(options, rate, hop);
  const spans = planChunks(length, chunk, stride);
  const stitcher = new Stitcher(rate, hop);
  let encoderSec = 0;
  const expectedFrames = Math.ceil(length / hop) + spans.length + 8;
  for (const [index, span] of spans.entries()) {
    throwIfAborted(options.signal);
    const result = await model.forward([await window(span.start, span.end)]);
    encoderSec += result.encoderSec;
    stitcher.add(span, result.logProbs[0]!, expectedFrames);
    options.onProgress?.({ status: 'chunk', done: index + 1, total: spans.length });
  }
  const { logProbs, segments } = stitcher.finish();
  return { logProbs, encoderSec, wallSec: (performance.now() - started) / 1000, segments };
}
