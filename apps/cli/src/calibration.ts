import { resolve } from 'node:path';
import { openCorpus, readAudio, selectItems, type CorpusItem } from '@asrq/audio';
import type { Feeds } from '@asrq/quantize';
import { buildFeeds, CtcModel, type ModelInfoOverrides } from '@asrq/runtime';
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
 * Prepares model inputs from a corpus: `n` utterances picked with `seed` (the tutorial's "10
 * random utterances") for calibration, and the first of them as the validation sample.
 * @param modelPath - The float model (its interface decides the feeds).
 * @param corpusPath - Calibration corpus (directory or manifest).
 * @param options - How many utterances, the seed, and interface overrides.
 * @returns Calibration feeds and a sample.
 */
export async function prepareModelInputs(modelPath: string, corpusPath: string, options: { n: number; seed: number; overrides?: ModelInfoOverrides }): Promise<ModelInputs> {
  const corpus = await openCorpus(resolve(corpusPath));
  const items = selectItems(corpus.items, { n: options.n, seed: options.seed });
  if (items.length === 0) throw new CliError('CLI_EMPTY_CORPUS', `${corpusPath} has no utterances to calibrate with.`);
  // Only the interface is needed to build feeds; the session is released at once.
  const model = await CtcModel.load(modelPath, { session: { graphOptimizationLevel: 'disabled' }, ...(options.overrides ? { overrides: options.overrides } : {}) });
  const info = model.info;
  await model.release();
  const rate = info.sampleRate;
  const sample = buildFeeds(info, [await readAudio(items[0]!.audioPath, { sampleRate: rate })], modelPath);
  const feedsOf = async function* (): AsyncGenerator<Feeds> {
    for (const item of items) yield buildFeeds(info, [await readAudio(item.audioPath, { sampleRate: rate })], modelPath);
  };
  return { calibration: { [Symbol.asyncIterator]: feedsOf }, calibrationItems: items, sample };
}
