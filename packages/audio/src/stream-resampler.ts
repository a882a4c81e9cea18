import { resample } from './resample.js';
import { AudioError } from './errors.js';

function gcd(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b];
  return a;
}

/** Same bound as the largest phase table `resample` builds (that of quality `high`). */
const maxExactPhases = 1024;

/**
 * Taps reach at most this many input samples on either side of an output instant, for either
 * quality of {@link resample} (Kaiser's length formula for its `high` design, the wider one).
 */
function contextSamples(fromRate: number, toRate: number): number {
  const lower = Math.min(fromRate, toRate);
  const lowerTaps = (100 - 7.95) / (14.36 * (1 - 0.92) * 0.5);
  return Math.ceil((lowerTaps / 2) * (fromRate / lower)) + 2;
}

/**
 * Resamples a stream block by block and gives exactly the samples {@link resample} gives for
 * the whole signal at once, without ever holding the whole signal. Each call runs `resample` on
 * a slice that starts on a multiple of the reduced ratio's input step (so the slice's output
 * grid is the whole signal's) and carries enough context on both sides for every filter tap.
 *
 * Exact streaming covers integer rates whose reduced ratio has up to 1024 phases (every common
 * rate to 16 kHz: 8, 11.025, 22.05, 24, 32, 44.1, 48, 96 kHz). Other ratios are gathered and
 * resampled once in {@link StreamResampler.finish}.
 *
 * @example
 * ```ts
 * const r = new StreamResampler(44100, 16000);
 * for (const block of blocks) use(r.push(block));
 * use(r.finish());
 * ```
 */
export class StreamResampler {
  private readonly passthrough: boolean;
  private readonly streaming: boolean;
  private readonly up: number;
  private readonly down: number;
  /** Context in input samples, a multiple of `down`. */
  private readonly context: number;
  /** Buffered input; `buffer[0]` is input sample `bufferStart`. */
  private buffer = new Float32Array(0);
  private bufferStart = 0;
  private bufferLength = 0;
  /** Input samples seen so far. */
  private received = 0;
  /** Outputs are complete for inputs before this sample (a multiple of `down`). */
  private doneUpTo = 0;
  private finished = false;

  /**
   * @param fromRate - Input rate in Hz.
   * @param toRate - Output rate in Hz.
   * @param options - `quality` as in {@link resample}.
   * @throws AsrqError `AUDIO_BAD_SAMPLE_RATE` when a rate is not a positive finite number.
   */
  constructor(
    readonly fromRate: number,
    readonly toRate: number,
    private readonly options: { quality?: 'default' | 'high' } = {},
  ) {
    for (const rate of [fromRate, toRate]) {
      if (!(Number.isFinite(rate) && rate > 0)) {
        throw new AudioError(
          'AUDIO_BAD_SAMPLE_RATE',
          `Cannot resample: sample rate ${rate} is not a positive number of Hz.`,
        );
      }
    }
    this.passthrough = fromRate === toRate;
    const integral = Number.isInteger(fromRate) && Number.isInteger(toRate);
    const g = integral ? gcd(fromRate, toRate) : 1;
    this.up = integral ? toRate / g : 0;
    this.down = integral ? fromRate / g : 0;
    this.streaming = integral && this.up <= maxExactPhases;
    this.context = this.streaming ? Math.ceil(contextSamples(fromRate, toRate) / this.down) * this.down : 0;
  }

  /**
   * Output length for an input of `inputLength` samples: what {@link resample} returns.
   * @param inputLength - Input samples.
   * @returns Output samples.
   */
  outputLength(inputLength: number): number {
    return this.passthrough ? inputLength : Math.ceil((inputLength * this.toRate) / this.fromRate);
  }

  /**
   * Adds input and returns the output samples that are now final (possibly none).
   * @param block - The next input samples.
   * @returns Output samples, in order, continuing the previous ones.
   */
  push(block: Float32Array): Float32Array {
    if (this.finished)
      throw new AudioError(
        'AUDIO_STREAM_FINISHED',
        'StreamResampler.push was called after finish(); create a new resampler per stream.',
      );
    this.received += block.length;
    if (this.passthrough) return block;
    this.append(block);
    if (!this.streaming) return new Float32Array(0);
    // Inputs whose every tap is available: up to `received - context`, on a multiple of `down`.
    const end = Math.floor((this.received - this.context) / this.down) * this.down;
    if (end <= this.doneUpTo) return new Float32Array(0);
    return this.emit(end, end + this.context);
  }

  /**
   * Ends the stream and returns the remaining output samples.
   * @returns The last output samples.
   */
  finish(): Float32Array {
    if (this.finished) return new Float32Array(0);
    this.finished = true;
    if (this.passthrough) return new Float32Array(0);
    if (!this.streaming)
      return resample(this.buffer.subarray(0, this.bufferLength), this.fromRate, this.toRate, this.options);
    return this.emit(this.received, this.received);
  }

  /** Resamples inputs [doneUpTo, end) from a slice reaching `sliceEnd` and drops what is no longer needed. */
  private emit(end: number, sliceEnd: number): Float32Array {
    const sliceStart = Math.max(0, this.doneUpTo - this.context);
    const slice = this.buffer.subarray(sliceStart - this.bufferStart, sliceEnd - this.bufferStart);
    const out = resample(slice, this.fromRate, this.toRate, this.options);
    // sliceStart is a multiple of `down`, so slice output m is whole-signal output sliceStart*up/down + m.
    const first = ((this.doneUpTo - sliceStart) / this.down) * this.up;
    const last = end === this.received ? out.length : ((end - sliceStart) / this.down) * this.up;
    this.doneUpTo = end;
    this.discardBefore(Math.max(0, end - this.context));
    return out.slice(first, last);
  }

  private append(block: Float32Array): void {
    if (this.bufferLength + block.length > this.buffer.length) {
      const grown = new Float32Array(Math.max(this.bufferLength + block.length, this.buffer.length * 2));
      grown.set(this.buffer.subarray(0, this.bufferLength));
      this.buffer = grown;
    }
    this.buffer.set(block, this.bufferLength);
    this.bufferLength += block.length;
  }

  private discardBefore(sample: number): void {
    const drop = sample - this.bufferStart;
    if (drop <= 0) return;
    this.buffer.copyWithin(0, drop, this.bufferLength);
    this.bufferLength -= drop;
    this.bufferStart = sample;
  }
}
