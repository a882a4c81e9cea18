import { performance } from 'node:perf_hooks';
import { openAudioStream, probeAudio, readAudio } from '@asrq/audio';
import type { Hypothesis, LogProbs, Tokenizer } from '@asrq/ctc';
import { createDecoder, type CtcDecodeFn, type DecodeSettings, type ScoredText } from '@asrq/ctc/browser';
import type { CtcModel } from './ctc-model.js';
import { chunkOptionsFor } from './fixed-length.js';
import { forwardLong, forwardLongStream } from './forward-long.js';
import { chunkSamples, frameToSec, needsChunking, type ChunkOptions, type LongForwardResult } from './long-audio.js';
import { AsrqRuntimeError } from './errors.js';

/**
 * Settings of a {@link Transcriber}: decoding, plus how long audio is cut into windows
 * (`chunkSec` / `strideSec`, defaults 30 s and 5 s: audio longer than 40 s is chunked; see {@link ChunkOptions}).
 */
export interface TranscriberSettings extends DecodeSettings, ChunkOptions {}

/** One word with its time span in seconds. */
export interface TimedWord {
  word: string;
  startSec: number;
  endSec: number;
}

/** The result of transcribing one utterance. */
export interface Transcript {
  text: string;
  tokens: number[];
  words: TimedWord[];
  /** Audio duration in seconds. */
  audioSec: number;
  /** Model forward time (shared across a batch, divided by audio share; summed over windows for chunked audio). */
  encoderSec: number;
  /** CTC decoding time. */
  decodeSec: number;
  /** With `nBest` > 1: the best hypotheses, best first, distinct texts (the first is `text`). */
  nbest?: ScoredText[];
}

/**
 * Model + tokenizer + decoder: audio in, text with word timings out.
 *
 * @example
 * ```ts
 * const model = await CtcModel.load('model.onnx');
 * const transcriber = new Transcriber(model, await loadTokenizer('tokenizer.model'));
 * const { text } = await transcriber.transcribeFile('a.flac');
 * ```
 */
export class Transcriber {
  readonly model: CtcModel;
  readonly tokenizer: Tokenizer;
  private readonly decode: CtcDecodeFn;
  private readonly chunking: ChunkOptions;

  /**
   * @param model - A loaded model.
   * @param tokenizer - Its tokenizer.
   * @param settings - Decoding settings, and `chunkSec` / `strideSec` for long audio (0 s chunks disable chunking; a
   *   model exported with a fixed input length is given windows that fit it, and shorter audio is padded to it).
   * @throws AsrqError `RUNTIME_VOCAB_MISMATCH` when the tokenizer's size differs from the model's vocabulary;
   *   `RUNTIME_BAD_CHUNKING` for chunk settings that keep nothing.
   */
  constructor(model: CtcModel, tokenizer: Tokenizer, settings: TranscriberSettings = {}) {
    const vocab = model.info.vocabSize;
    if (vocab !== undefined && vocab !== tokenizer.vocabSize) {
      throw new AsrqRuntimeError(
        'RUNTIME_VOCAB_MISMATCH',
        `The tokenizer has ${tokenizer.vocabSize} tokens but ${model.path} outputs ${vocab}. Pass the tokenizer the model was trained with (\`tokenizer\`).`,
        { argument: 'tokenizer' },
      );
    }
    this.model = model;
    this.tokenizer = tokenizer;
    this.decode = createDecoder(tokenizer, settings);
    const requested: ChunkOptions = {
      ...(settings.chunkSec === undefined ? {} : { chunkSec: settings.chunkSec }),
      ...(settings.strideSec === undefined ? {} : { strideSec: settings.strideSec }),
    };
    chunkSamples(requested, model.info.sampleRate); // refuses bad settings now rather than at the first long input
    // A model exported with a fixed input length gets windows that fit it.
    this.chunking = chunkOptionsFor(model.info, requested);
  }

  /**
   * Transcribes one waveform (single-utterance latency mode).
   * @param audio - Mono samples at the model's sample rate.
   * @returns Text, tokens, word timings and timings.
   */
  async transcribe(audio: Float32Array): Promise<Transcript> {
    const [result] = await this.transcribeBatch([audio], { batchSize: 1 });
    return result!;
  }

  /**
   * Reads an audio file (WAV or FLAC, any rate and channel count, any length), resamples it to
   * the model's rate and transcribes it. Audio longer than `chunkSec + 2 * strideSec` is decoded
   * and resampled block by block and cut into windows as it comes (`forwardLongStream`), so only a
   * window of it is held at a time (a FLAC file's decoded blocks are held once: its decoder is
   * synchronous).
   * @param path - Audio file.
   * @returns Text, tokens, word timings and timings.
   * @throws AsrqError from `@asrq/audio` for missing, corrupt or unsupported files.
   */
  async transcribeFile(path: string): Promise<Transcript> {
    const rate = this.model.info.sampleRate;
    const { durationSec } = await probeAudio(path);
    if (!needsChunking(Math.ceil(durationSec * rate), rate, this.chunking))
      return this.transcribe(await readAudio(path, { sampleRate: rate }));
    // Long: windows are cut from the decoded stream as it comes, so the file is never held in full.
    const stream = await openAudioStream(path, { sampleRate: rate });
    if (stream.length === undefined) return this.transcribe(await readAudio(path, { sampleRate: rate }));
    return this.fromLong(
      await forwardLongStream(this.model, { length: stream.length, blocks: stream.blocks() }, this.chunking),
      stream.length,
    );
  }

  /** Decodes stitched log-probs into a transcript, word times through the windows' frames. */
  private fromLong({ logProbs, encoderSec, segments }: LongForwardResult, samples: number): Transcript {
    const started = performance.now();
    const hyp = this.decode(logProbs);
    return {
      text: hyp.text,
      tokens: hyp.tokens,
      words: hyp.words.map((w) => ({
        word: w.word,
        startSec: frameToSec(segments, w.startFrame),
        endSec: frameToSec(segments, w.endFrame),
      })),
      audioSec: samples / this.model.info.sampleRate,
      encoderSec,
      decodeSec: (performance.now() - started) / 1000,
      ...(hyp.nbest ? { nbest: hyp.nbest } : {}),
    };
  }

  /**
   * Transcribes many waveforms for throughput: sorted by length and batched so padding is
   * small; results come back in input order. Waveforms longer than `chunkSec + 2 * strideSec`
   * are run alone, window by window, and their log-probs stitched by frame.
   * @param audios - Mono waveforms at the model's sample rate.
   * @param options - `batchSize` (default 1: models whose attention does not mask padding, like the bundled one, score padded rows slightly differently; raise it for throughput when your model masks padding).
   * @returns One transcript per waveform, in input order.
   */
  async transcribeBatch(audios: readonly Float32Array[], options: { batchSize?: number } = {}): Promise<Transcript[]> {
    const batchSize = this.model.supportsPadding ? Math.max(1, options.batchSize ?? 1) : 1;
    const results: Transcript[] = new Array(audios.length);
    const rate = this.model.info.sampleRate;
    const isLong = (i: number): boolean => needsChunking(audios[i]!.length, rate, this.chunking);
    for (const [index, audio] of audios.entries()) {
      if (!isLong(index)) continue;
      results[index] = this.fromLong(await forwardLong(this.model, audio, this.chunking), audio.length);
    }
    const order = audios
      .map((_, i) => i)
      .filter((i) => !isLong(i))
      .sort((a, b) => audios[a]!.length - audios[b]!.length);
    for (let start = 0; start < order.length; start += batchSize) {
      const indices = order.slice(start, start + batchSize);
      const batch = indices.map((i) => audios[i]!);
      const { logProbs, encoderSec } = await this.model.forward(batch);
      const total = batch.reduce((s, a) => s + a.length, 0);
      indices.forEach((index, row) => {
        const lp = logProbs[row]!;
        const started = performance.now();
        const hyp = this.decode(lp);
        const decodeSec = (performance.now() - started) / 1000;
        // The model's hop when it states one (a window's receptive field makes frames x hop a bit shorter than the audio).
        const hop = this.model.info.frameStrideSamples;
        const secPerFrame =
          hop !== undefined && hop > 0 ? hop / rate : lp.frames > 0 ? batch[row]!.length / rate / lp.frames : 0;
        results[index] = {
          text: hyp.text,
          tokens: hyp.tokens,
          words: hyp.words.map((w) => ({
            word: w.word,
            startSec: w.startFrame * secPerFrame,
            endSec: w.endFrame * secPerFrame,
          })),
          audioSec: batch[row]!.length / rate,
          encoderSec: (encoderSec * batch[row]!.length) / total,
          decodeSec,
          ...(hyp.nbest ? { nbest: hyp.nbest } : {}),
        };
      });
    }
    return results;
  }

  /**
   * Decodes already computed log-probs with this transcriber's decoder.
   * @param logProbs - One utterance's log-probs.
   * @returns The best hypothesis.
   */
  decodeLogProbs(logProbs: LogProbs): Hypothesis {
    return this.decode(logProbs);
  }
}
