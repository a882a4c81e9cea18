import { performance } from 'node:perf_hooks';
import { throwIfAborted } from '@asrq/core';
import type { CtcModel } from './ctc-model.js';
import {
  chunkSamples,
  needsChunking,
  planChunks,
  Stitcher,
  type LongForwardOptions,
  type LongForwardResult,
} from './long-audio.js';
import { RuntimeError } from './errors.js';

/** Gives the samples [start, end) of an input; calls come with increasing, possibly overlapping, ranges. */
type WindowSource = (start: number, end: number) => Promise<Float32Array>;

/**
 * Runs a model over an input of any length: one window at a time (so memory is bounded by the
 * window length, not the input's), stitched by frame. Inputs no longer than
 * `chunkSec + 2 * strideSec` run as a single forward pass, exactly as `model.forward` would.
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
  model: CtcModel,
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
  model: CtcModel,
  input: { length: number; blocks: AsyncIterable<Float32Array> },
  options: LongForwardOptions = {},
): Promise<LongForwardResult> {
  const iterator = input.blocks[Symbol.asyncIterator]();
  let buffer = new Float32Array(0);
  let bufferStart = 0;
  let bufferEnd = 0;
  const window: WindowSource = async (start, end) => {
    // Drop what no later window needs (windows only move forward), then read up to `end`.
    if (start > bufferStart) {
      buffer.copyWithin(0, start - bufferStart, bufferEnd - bufferStart);
      bufferStart = start;
    }
    while (bufferEnd < end) {
      const next = await iterator.next();
      if (next.done)
        throw new RuntimeError(
          'RUNTIME_SHORT_STREAM',
          `The audio stream ended after ${bufferEnd} samples, but its length was given as ${input.length}.`,
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
  try {
    return await forwardWindows(model, input.length, window, options);
  } finally {
    await iterator.return?.();
  }
}

async function forwardWindows(
  model: CtcModel,
  length: number,
  window: WindowSource,
  options: LongForwardOptions,
): Promise<LongForwardResult> {
  const started = performance.now();
  const rate = model.info.sampleRate;
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
  const hop = await frameHop(model, () => window(0, requested.chunk));
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

const measuredHops = new WeakMap<CtcModel, number>();

/**
 * The model's samples per output frame: `info.frameStrideSamples` when the model states it,
 * else measured once per model from the frame counts of a window and its first half (the
 * receptive field cancels out in the difference) and rounded to whole samples.
 */
async function frameHop(model: CtcModel, firstWindow: () => Promise<Float32Array>): Promise<number> {
  const stated = model.info.frameStrideSamples ?? measuredHops.get(model);
  if (stated !== undefined && stated > 0) return stated;
  const window = await firstWindow();
  const half = window.subarray(0, Math.floor(window.length / 2));
  const a = await model.forward([window]);
  const b = await model.forward([half]);
  const frames = a.logProbs[0]!.frames - b.logProbs[0]!.frames;
  if (frames <= 0) {
    throw new RuntimeError(
      'RUNTIME_BAD_CHUNKING',
      `${model.path}: a ${window.length}-sample window gives no more frames than its first half, so its frame hop cannot be measured; give the model a frame_stride_samples metadata entry or disable chunking (--chunk-sec 0).`,
    );
  }
  const hop = Math.max(1, Math.round((window.length - half.length) / frames));
  measuredHops.set(model, hop);
  return hop;
}
