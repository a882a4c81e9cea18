import type { CorpusItem } from '@asrq/audio';
import { AsrqError } from '@asrq/core';
import type { Feeds } from '@asrq/quantize';
import { calibrationFeeds, type ModelInfoOverrides } from '@asrq/runtime';
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
 * Prepares model inputs from a corpus with runtime's {@link calibrationFeeds}: `n` utterances
 * picked with `seed` (the tutorial's "10 random utterances") for calibration, and the first of
 * them as the validation sample.
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
    const { calibration, items, sample } = await calibrationFeeds(modelPath, corpusPath, options);
    return { calibration, calibrationItems: items, sample };
  } catch (error) {
    if (AsrqError.isInstance(error) && error.code === 'RUNTIME_EMPTY_CORPUS')
      throw new CliError('CLI_EMPTY_CORPUS', error.message);
    throw error;
  }
}
