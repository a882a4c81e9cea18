import type { LogProbs } from '@asrq/ctc/browser';
import { AsrqRuntimeError } from './errors.js';
import { DEFAULT_CHUNK_SEC, DEFAULT_STRIDE_SEC } from './defaults.js';

/**
 * How long audio is cut into overlapping windows. Memory of a transformer encoder grows with the
 * square of its input length, so audio longer than `chunkSec + 2 * strideSec` is run as windows
 * of `chunkSec` seconds that overlap by `2 * strideSec`; each window's first and last `strideSec`
 * (context only) are dropped from its output frames and the kept frames are concatenated, as
 * transformers' ASR pipeline does with `chunk_length_s` / `stride_length_s`.
 */
export interface ChunkOptions {
  /** Window length in seconds (default 30, `DEFAULT_CHUNK_SEC`); 0 disables chunking. */
  chunkSec?: number;
  /** Context dropped on each side of a window, in seconds (default 5, `DEFAULT_STRIDE_SEC`); 0 means windows that only abut. */
  strideSec?: number;
}

/** One window of a long input, in samples of the whole input. */
export interface ChunkSpan {
  /** First sample fed to the model. */
  start: number;
  /** One past the last sample fed to the model. */
  end: number;
  /** First sample whose frames are kept (the window's left context ends here). */
  keepStart: number;
  /** One past the last sample whose frames are kept. */
  keepEnd: number;
}

/** A stretch of stitched frames that came from one window: how its frames map to time. */
export interface FrameSegment {
  /** Index of the segment's first frame in the stitched log-probs. */
  frameStart: number;
  /** Number of frames kept from this window. */
  frames: number;
  /** Time in seconds of the segment's first frame in the whole input. */
  startSec: number;
  /** Seconds per frame (hop / rate). */
  secPerFrame: number;
}

/** Result of {@link forwardLong}: stitched log-probs of the whole input. */
export interface LongForwardResult {
  /** Log-probs of the whole input, the kept frames of every window in order. */
  logProbs: LogProbs;
  /** Sum of the windows' encoder (session.run) seconds. */
  encoderSec: number;
  /** Wall seconds of the whole call (encoder plus feeds, outputs and stitching). */
  wallSec: number;
  /** Frame-to-time map, one segment per window. */
  segments: FrameSegment[];
}

/** Progress of {@link forwardLong}: one event after each window. */
export type LongForwardProgress = { status: 'chunk'; done: number; total: number };

/** Options of {@link forwardLong}. */
export interface LongForwardOptions extends ChunkOptions {
  onProgress?: (progress: LongForwardProgress) => void;
  signal?: AbortSignal;
}

function checkSeconds(name: string, value: number): void {
  if (!(Number.isFinite(value) && value >= 0)) {
    throw new AsrqRuntimeError(
      'RUNTIME_BAD_CHUNKING',
      `\`${name}\` is ${value}; it must be a number of seconds >= 0 (0 disables chunking).`,
      { argument: name },
    );
  }
}

/**
 * Window and context lengths in samples for a model, rounded to whole output frames when the
 * model's frame stride is known, so every window starts on a frame boundary.
 * @param options - Chunk and stride seconds (defaults 30 and 5).
 * @param sampleRate - The model's sample rate.
 * @param frameStrideSamples - Samples per output frame, when known.
 * @returns `chunk` and `stride` in samples (`chunk` 0 means no chunking).
 * @throws AsrqError `RUNTIME_BAD_CHUNKING` for negative values or a stride that leaves no frame to keep (`chunkSec <= 2 * strideSec`).
 */
export function chunkSamples(
  options: ChunkOptions,
  sampleRate: number,
  frameStrideSamples?: number,
): { chunk: number; stride: number } {
  const chunkSec = options.chunkSec ?? DEFAULT_CHUNK_SEC;
  const strideSec = options.strideSec ?? DEFAULT_STRIDE_SEC;
  checkSeconds('chunkSec', chunkSec);
  checkSeconds('strideSec', strideSec);
  if (chunkSec === 0) return { chunk: 0, stride: 0 };
  if (chunkSec <= 2 * strideSec) {
    throw new AsrqRuntimeError(
      'RUNTIME_BAD_CHUNKING',
      `A ${chunkSec} s window with ${strideSec} s of context on each side keeps nothing: \`chunkSec\` must exceed 2 x \`strideSec\` (e.g. 30 and 5).`,
      { argument: ['chunkSec', 'strideSec'] },
    );
  }
  const unit = frameStrideSamples && frameStrideSamples > 0 ? frameStrideSamples : 1;
  const chunk = Math.max(unit, Math.round((chunkSec * sampleRate) / unit) * unit);
  const stride = Math.round((strideSec * sampleRate) / unit) * unit;
  if (chunk <= 2 * stride)
    throw new AsrqRuntimeError(
      'RUNTIME_BAD_CHUNKING',
      `chunkSec ${chunkSec} is too short for strideSec ${strideSec} at ${sampleRate} Hz.`,
    );
  return { chunk, stride };
}

/**
 * Cuts an input into overlapping windows. Inputs up to `chunk + 2 * stride` samples are one
 * window (so utterances of ordinary length are run exactly as before). Longer ones: window k
 * starts at k x (chunk - 2 x stride) and keeps its middle (the first window keeps from sample 0);
 * the last window is moved back to end at the input's end, so it is full length and has at
 * least `stride` of left context. Kept ranges tile the input with no gap or overlap.
 * @param total - Input length in samples.
 * @param chunk - Window length in samples (0: no chunking).
 * @param stride - Context on each side in samples.
 * @returns The windows in order.
 * @example
 * ```ts
 * planChunks(100, 40, 5); // windows [0,40) [30,70) [60,100), kept [0,35) [35,65) [65,100)
 * ```
 */
export function planChunks(total: number, chunk: number, stride: number): ChunkSpan[] {
  if (chunk <= 0 || total <= chunk + 2 * stride) return [{ start: 0, end: total, keepStart: 0, keepEnd: total }];
  const step = chunk - 2 * stride;
  const spans: ChunkSpan[] = [];
  for (let k = 0; ; k++) {
    const start = k * step;
    const keepStart = k === 0 ? 0 : start + stride;
    if (start + chunk >= total) {
      spans.push({ start: Math.max(0, total - chunk), end: total, keepStart, keepEnd: total });
      return spans;
    }
    spans.push({ start, end: start + chunk, keepStart, keepEnd: start + chunk - stride });
  }
}

/**
 * Which of a window's output frames to keep. Frame j of a window starting at sample s covers the
 * same stretch of signal as frame j of any other window shifted by s / hop frames (a convolutional
 * front end has a fixed receptive field and hop), so kept samples map to frames by dividing by the
 * hop: exactly transformers' `rescale_stride` with `inputs_to_logits_ratio` = hop. Scaling by
 * the window's frames / samples instead would drift, because the receptive field makes a window
 * of n samples give fewer than n / hop frames.
 * @param span - The window.
 * @param frames - Frames the model produced for it.
 * @param hop - Samples per output frame.
 * @returns `[first, end)` frame indices within the window.
 */
export function keptFrames(span: ChunkSpan, frames: number, hop: number): [number, number] {
  if (frames <= 0 || !(hop > 0)) return [0, 0];
  const first = Math.min(frames, Math.round((span.keepStart - span.start) / hop));
  const end = span.keepEnd === span.end ? frames : Math.min(frames, Math.round((span.keepEnd - span.start) / hop));
  return [first, Math.max(first, end)];
}

/**
 * Concatenates the kept frames of every window. Pure: no model involved, so the arithmetic is
 * testable on synthetic log-probs.
 * @param pieces - Each window's span and its log-probs.
 * @param sampleRate - Samples per second of the input.
 * @param hop - Samples per output frame.
 * @returns Stitched log-probs and the frame-to-time map.
 * @throws AsrqError `RUNTIME_BAD_OUTPUT` when windows disagree on the vocabulary size.
 */
export function stitchLogProbs(
  pieces: readonly { span: ChunkSpan; logProbs: LogProbs }[],
  sampleRate: number,
  hop: number,
): { logProbs: LogProbs; segments: FrameSegment[] } {
  const stitcher = new Stitcher(sampleRate, hop);
  for (const piece of pieces) stitcher.add(piece.span, piece.logProbs, 0);
  return stitcher.finish();
}

/** Accumulates kept frames into one growing buffer, so only one copy of the result exists (internal: used by forwardLong). */
export class Stitcher {
  private data = new Float32Array(0);
  private frames = 0;
  private vocab = -1;
  readonly segments: FrameSegment[] = [];
  constructor(
    private readonly sampleRate: number,
    private readonly hop: number,
  ) {}

  add(span: ChunkSpan, lp: LogProbs, expectedTotalFrames: number): void {
    if (this.vocab < 0) this.vocab = lp.vocab;
    if (lp.vocab !== this.vocab)
      throw new AsrqRuntimeError(
        'RUNTIME_BAD_OUTPUT',
        `Windows of one input gave ${this.vocab} and ${lp.vocab} scores per frame.`,
      );
    const [first, end] = keptFrames(span, lp.frames, this.hop);
    const count = end - first;
    const needed = (this.frames + count) * this.vocab;
    if (needed > this.data.length) {
      const grown = new Float32Array(
        Math.max(needed, expectedTotalFrames * this.vocab, Math.ceil(this.data.length * 1.25)),
      );
      grown.set(this.data.subarray(0, this.frames * this.vocab));
      this.data = grown;
    }
    this.data.set(lp.data.subarray(first * this.vocab, end * this.vocab), this.frames * this.vocab);
    const secPerFrame = this.hop / this.sampleRate;
    this.segments.push({
      frameStart: this.frames,
      frames: count,
      startSec: (span.start + first * this.hop) / this.sampleRate,
      secPerFrame,
    });
    this.frames += count;
  }

  finish(): { logProbs: LogProbs; segments: FrameSegment[] } {
    const vocab = Math.max(this.vocab, 0);
    return {
      logProbs: { data: this.data.subarray(0, this.frames * vocab), frames: this.frames, vocab },
      segments: this.segments,
    };
  }
}

/**
 * The time in seconds of a stitched frame (its start), through the window it came from.
 * @param segments - From {@link forwardLong} or {@link stitchLogProbs}.
 * @param frame - Frame index in the stitched log-probs (may equal the frame count, for an end time).
 * @returns Seconds from the start of the input.
 */
export function frameToSec(segments: readonly FrameSegment[], frame: number): number {
  let lo = 0;
  let hi = segments.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (segments[mid]!.frameStart <= frame) lo = mid;
    else hi = mid - 1;
  }
  const segment = segments[lo];
  if (!segment) return 0;
  return segment.startSec + (frame - segment.frameStart) * segment.secPerFrame;
}

/**
 * Whether {@link forwardLong} would cut an input of this length into windows.
 * @param samples - Input length in samples at the model's rate.
 * @param sampleRate - The model's sample rate.
 * @param options - Chunk and stride seconds (defaults 30 and 5).
 * @returns True above `chunkSec + 2 * strideSec` (40 s by default), false when chunking is off.
 * @throws AsrqError `RUNTIME_BAD_CHUNKING` for invalid options.
 */
export function needsChunking(samples: number, sampleRate: number, options: ChunkOptions = {}): boolean {
  const { chunk, stride } = chunkSamples(options, sampleRate);
  return chunk > 0 && samples > chunk + 2 * stride;
}
