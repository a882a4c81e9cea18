import { readAudio, type CorpusItem } from '@asrq/audio';
import { AsrqError } from '@asrq/core';
import type { Feeds } from '@asrq/quantize';
import { audioWindows, buildFeeds, calibrationFeeds, type ModelInfo, type ModelInfoOverrides } from '@asrq/runtime';
import { CliError } from './errors.js';

/** Calibration and validation inputs for quantizing one model, fed exactly as inference feeds it. */
export interface ModelInputs {
  /** Lazily decoded calibration feeds (one utterance each). */
  calibration?: AsyncIterable<Feeds>;
  /** The utterances chosen for calibration. */
  calibrationItems: CorpusItem[];
  /** One utterance's feeds for validation / sensitivity SQNR. */
  sample: Feeds;
}

/**
 * The validation and sensitivity sample: the feeds of the first utterance's first window (at most
 * 30 s, transcription's window), so a 10-minute first utterance does not run through the model,
 * and the quantized copy next to it, in one piece (gigabytes).
 */
async function boundedSample(modelPath: string, info: ModelInfo, item: CorpusItem): Promise<Feeds> {
  const audio = await readAudio(item.audioPath, { sampleRate: info.sampleRate });
  return buildFeeds(info, [audioWindows(audio, info.sampleRate)[0]!], modelPath);
}

/**
 * Prepares model inputs from a corpus with runtime's {@link calibrationFeeds}: `n` utterances
 * picked with `seed` (the tutorial's "10 random utterances") for calibration (a long one window
 * by window), and the first window of the first of them as the validation sample.
 * @param modelPath - The float model (its interface decides the feeds).
 * @param corpusPath - Calibration corpus (directory or manifest).
 * @param options - How many utterances, the seed, and interface overrides.
 * @returns Calibration feeds and a sample.
 * @throws AsrqError `CLI_EMPTY_CORPUS` (an input error, exit code 3) when the corpus has no utterance to calibrate with.
 */
export async function prepareModelInputs(
  modelPath: string,
  corpusPath: string,
  options: { n: number; seed: number; overrides?: ModelInfoOverrides },
): Promise<ModelInputs> {
  try {
    const { calibration, items, info } = await calibrationFeeds(modelPath, corpusPath, options);
    return { calibration, calibrationItems: items, sample: await boundedSample(modelPath, info, items[0]!) };
  } catch (error) {
    if (AsrqError.isInstance(error) && error.code === 'RUNTIME_EMPTY_CORPUS')
      throw new CliError('CLI_EMPTY_CORPUS', error.message);
    throw error;
  }
}
