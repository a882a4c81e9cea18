import { dirname, resolve } from 'node:path';
import { openCorpus, readAudio, selectItems } from '@asrq/audio';
import { scoreCorpus } from '@asrq/metrics';
import { CtcModel, loadModelTokenizer, Transcriber, type ModelInfoOverrides } from '@asrq/runtime';

/**
 * Creates an `evaluate(modelPath) => WER %` function over the first `n` utterances of a
 * corpus with greedy decoding. The audio is decoded once and shared by every evaluation.
 * @param floatModel - The float model (its tokenizer is used for every variant).
 * @param corpusPath - Evaluation corpus.
 * @param options - How many utterances; tokenizer path; interface overrides.
 * @returns The evaluator.
 */
export async function createWerEvaluator(floatModel: string, corpusPath: string, options: { n: number; tokenizer?: string; overrides?: ModelInfoOverrides }): Promise<(modelPath: string) => Promise<number>> {
  const corpus = await openCorpus(resolve(corpusPath));
  const items = selectItems(corpus.items, { n: options.n });
  const float = await CtcModel.load(floatModel, { session: { graphOptimizationLevel: 'disabled' }, ...(options.overrides ? { overrides: options.overrides } : {}) });
  const tokenizer = await loadModelTokenizer(float, options.tokenizer ? { tokenizer: resolve(options.tokenizer) } : {}).finally(() => float.release());
  const companionDirs = [dirname(floatModel)];
  let audios: Float32Array[] | undefined;
  return async (modelPath) => {
    const model = await CtcModel.load(modelPath, { companionDirs, ...(options.overrides ? { overrides: options.overrides } : {}) });
    try {
      audios ??= await Promise.all(items.map((item) => readAudio(item.audioPath, { sampleRate: model.info.sampleRate })));
      const transcriber = new Transcriber(model, tokenizer);
      const results = await transcriber.transcribeBatch(audios, { batchSize: 1 });
      return scoreCorpus(items.map((item, i) => ({ id: item.id, ref: item.transcript, hyp: results[i]!.text })), { alignments: false }).total.errorRate;
    } finally {
      await model.release();
    }
  };
}
