import { dirname, join } from 'node:path';
import { throwIfAborted } from '@asrq/core';
import { loadArpa } from '@asrq/ctc';
import {
  checkSameFrontEnd,
  CtcModel,
  createDecoder,
  findTokenizer,
  loadModelTokenizer,
  type CtcDecodeFn,
} from '@asrq/runtime';
import type { LoadedModelFacts, RunBenchmarkOptions } from '../types.js';
import type { BenchConfig } from '../types.js';
import { BenchError } from '../errors.js';

/**
 * Loads every model of the run, one session each, recording size, load time and memory growth.
 * Loaded models are pushed into `models` as they load, so the caller releases them even when a
 * later one fails.
 * @param config - What to run.
 * @param models - Receives the loaded models (owned by the caller).
 * @param options - Progress and cancellation.
 * @returns Facts about each model, in config order.
 */
export async function loadModels(
  config: BenchConfig,
  models: CtcModel[],
  options: Pick<RunBenchmarkOptions, 'onProgress' | 'signal'>,
): Promise<LoadedModelFacts[]> {
  const facts: LoadedModelFacts[] = [];
  for (const [index, path] of config.models.entries()) {
    throwIfAborted(options.signal);
    options.onProgress?.({ status: 'loading', model: path, index, total: config.models.length });
    const rssBefore = process.memoryUsage().rss;
    // A quantized copy written elsewhere reads its front-end settings from the first model's folder when it has none of its own.
    const companionDirs = config.models.slice(0, index).map((m) => dirname(m));
    const model = await CtcModel.load(path, {
      session: { threads: config.modelThreads?.[index] ?? config.threads },
      companionDirs,
      ...(config.overrides ? { overrides: config.overrides } : {}),
    });
    models.push(model);
    const rssIncreaseBytes = Math.max(0, process.memoryUsage().rss - rssBefore);
    facts.push({ path, sizeBytes: await model.diskBytes(), loadSec: model.loadSec, rssIncreaseBytes });
  }
  return facts;
}

/** The tokenizer and one decoder per model. */
export interface RunDecoders {
  tokenizerPath: string;
  decoders: CtcDecodeFn[];
}

/**
 * Checks that the models share a front end, loads the tokenizer (and LM) and creates one
 * decoder per model with the run's beam, LM and hotword settings.
 * @param config - What to run.
 * @param models - The loaded models.
 * @returns The tokenizer path and the decoders.
 * @throws AsrqError `BENCH_VOCAB_MISMATCH` when a model's vocabulary differs from the tokenizer's.
 */
export async function createDecoders(config: BenchConfig, models: readonly CtcModel[]): Promise<RunDecoders> {
  // After the models, so a model that is not a CTC speech model is reported as such first.
  checkSameFrontEnd(models);
  const tokenizerPath =
    config.tokenizer ??
    (await findTokenizer(
      config.models[0]!,
      config.models.slice(1).map((m) => join(m, '..')),
    ).catch(() => config.models[0]!));
  const tokenizer = await loadModelTokenizer(models[0]!, {
    ...(config.tokenizer ? { tokenizer: config.tokenizer } : {}),
    extraDirs: config.models.slice(1).map((m) => dirname(m)),
  });
  const lm = config.lm ? await loadArpa(config.lm) : undefined;
  const decodeSettings = {
    beamWidth: config.beam,
    ...(lm ? { lm } : {}),
    ...(config.alpha === undefined ? {} : { alpha: config.alpha }),
    ...(config.beta === undefined ? {} : { beta: config.beta }),
    ...(config.hotwords?.length ? { hotwords: config.hotwords } : {}),
    ...(config.hotwordWeight === undefined ? {} : { hotwordWeight: config.hotwordWeight }),
  };
  const decoders: CtcDecodeFn[] = [];
  for (const model of models) {
    if (model.info.vocabSize !== undefined && model.info.vocabSize !== tokenizer.vocabSize) {
      throw new BenchError(
        'BENCH_VOCAB_MISMATCH',
        `${model.path} outputs ${model.info.vocabSize} tokens but the tokenizer ${tokenizerPath} has ${tokenizer.vocabSize}. Pass the matching \`tokenizer\`.`,
        { argument: 'tokenizer' },
      );
    }
    decoders.push(createDecoder(tokenizer, decodeSettings));
  }
  return { tokenizerPath, decoders };
}
