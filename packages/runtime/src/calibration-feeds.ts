import { openCorpus, readAudio, selectItems, type CorpusItem } from '@asrq/audio';
import type { Tensor } from 'onnxruntime-node';
import { audioWindows } from './audio-windows.js';
import { CtcModel } from './ctc-model.js';
import { buildFeeds } from './feeds.js';
import { fixedInputSamples } from './fixed-length.js';
import type { ModelInfo, ModelInfoOverrides } from './types.js';
import { AsrqRuntimeError } from './errors.js';

/** Model input feeds of one utterance, as `buildFeeds` makes them. */
export type UtteranceFeeds = Record<string, Tensor>;

/** Options of {@link calibrationFeeds}. */
export interface CalibrationFeedsOptions {
  /** How many utterances to take. */
  n: number;
  /** With a seed: a reproducible random sample of `n` (the tutorial's "10 random utterances"); without: the first `n` by id. */
  seed?: number;
  /** Interface discovery overrides (`audioInput`, `sampleRate`, `frontEnd`, ...), as for `CtcModel.load`. */
  overrides?: ModelInfoOverrides;
  /** Longer utterances are calibrated window by window ({@link audioWindows}; default 30 s). */
  windowSec?: number;
}

/** Calibration and validation inputs of one model from a corpus. */
export interface CalibrationFeeds {
  /** The model's interface the feeds follow. */
  info: ModelInfo;
  /** The chosen utterances, in id order. */
  items: CorpusItem[];
  /** Lazily decoded feeds of every chosen utterance (of each window of a long one, see `windowSec`), one at a time; iterable more than once. */
  calibration: AsyncIterable<UtteranceFeeds>;
  /**
   * Feeds of the first chosen utterance's first window (at most `windowSec`, as calibration cuts
   * it), for validation and sensitivity SQNR: a 10-minute first utterance is not run through the
   * model, and the quantized copy next to it, in one piece.
   */
  sample: UtteranceFeeds;
  /**
   * Feeds of any audio file, decoded and shaped as the model expects.
   * @param audioPath - Audio file.
   * @returns Its feeds.
   */
  feedsOf(audioPath: string): Promise<UtteranceFeeds>;
}

/**
 * Turns a corpus into a model's calibration feeds, exactly as inference feeds the model: picks
 * `n` utterances (seeded, or the first `n`), reads the model's interface, and decodes each
 * utterance at the model's sample rate only when calibration asks for it. The feeds have the
 * types the model declares (float16 for fp16 exports, the family's constant inputs); a model
 * exported with a fixed input length gets each utterance's first window of that length. What
 * `@asrq/quantize`'s `calibrate`, `quantizeModelFile` and `sensitivityReport` take.
 *
 * @param modelPath - The float model (its interface decides the feeds).
 * @param corpusPath - LibriSpeech-layout folder or manifest.
 * @param options - How many utterances, the seed, interface overrides.
 * @returns Lazy calibration feeds, the chosen items and the first item's first window's feeds as a sample.
 * @throws AsrqError `RUNTIME_EMPTY_CORPUS` when the selection is empty; the corpus, audio and model errors of `openCorpus`, `readAudio` and `CtcModel.load`.
 * @example
 * ```ts
 * const { calibration, sample } = await calibrationFeeds('model.onnx', 'LibriSpeech/dev-clean', { n: 10, seed: 0 });
 * await quantizeModelFile('model.onnx', 'model.int8.onnx', plan, { calibration, validateWith: sample });
 * ```
 */
export async function calibrationFeeds(
  modelPath: string,
  corpusPath: string,
  options: CalibrationFeedsOptions,
): Promise<CalibrationFeeds> {
  const corpus = await openCorpus(corpusPath);
  const items = selectItems(corpus.items, {
    n: options.n,
    ...(options.seed === undefined ? {} : { seed: options.seed }),
  });
  if (items.length === 0)
    throw new AsrqRuntimeError(
      'RUNTIME_EMPTY_CORPUS',
      `${corpusPath} has no utterances to calibrate with. Pass a corpus with audio and transcripts (LibriSpeech layout or a JSONL manifest) and a count of at least 1.`,
      {
        location: corpusPath,
      },
    );
  // Only the interface is needed to build feeds; the session is released at once.
  const model = await CtcModel.load(modelPath, {
    session: { graphOptimizationLevel: 'disabled' },
    ...(options.overrides ? { overrides: options.overrides } : {}),
  });
  const info = model.info;
  await model.release();
  // A fixed-shape export takes one window: calibrate on each utterance's first (padded when shorter).
  const limit = fixedInputSamples(info);
  const feedsOf = async (audioPath: string): Promise<UtteranceFeeds> => {
    const audio = await readAudio(audioPath, { sampleRate: info.sampleRate });
    return buildFeeds(
      info,
      [limit !== undefined && audio.length > limit ? audio.subarray(0, limit) : audio],
      modelPath,
    );
  };
  const first = audioWindows(
    await readAudio(items[0]!.audioPath, { sampleRate: info.sampleRate }),
    info.sampleRate,
    options.windowSec,
  )[0]!;
  const sample = buildFeeds(
    info,
    [limit !== undefined && first.length > limit ? first.subarray(0, limit) : first],
    modelPath,
  );
  const calibration = {
    async *[Symbol.asyncIterator](): AsyncGenerator<UtteranceFeeds> {
      // Window by window: a long utterance in one piece would take gigabytes in the model.
      for (const item of items) {
        const audio = await readAudio(item.audioPath, { sampleRate: info.sampleRate });
        for (const window of audioWindows(audio, info.sampleRate, options.windowSec))
          yield buildFeeds(info, [window], modelPath);
      }
    },
  };
  return { info, items, calibration, sample, feedsOf };
}
