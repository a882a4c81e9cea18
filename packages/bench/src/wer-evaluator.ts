import { dirname, resolve } from 'node:path';
import { openCorpus, readAudio, selectItems } from '@asrq/audio';
import { scoreCorpus } from '@asrq/metrics';
import { CtcModel, loadModelTokenizer, Transcriber, type ModelInfoOverrides } from '@asrq/runtime';

/** Options of {@link createWerEvaluator}. */
export interface WerEvaluatorOptions {
  /** Utterances scored: the first `n` of the corpus in id order. */
  n: number;
  /** Tokenizer file (found beside the float model when omitted). */
  tokenizer?: string;
  /** Interface overrides for models whose tensor names or metadata discovery does not recognise. */
  overrides?: ModelInfoOverrides;
}

/**
 * Creates an `evaluate(modelPath) => WER %` function over the first `n` utterances of a corpus
 * with greedy decoding, for comparing quantized variants of one model (as `asrq sensitivity
 * --eval` does). Every variant uses the float model's tokenizer and reads its front-end settings
 * from the float model's folder when it has none of its own. The audio is decoded once and
 * shared by every evaluation. WER is pooled with sclite conventions (`@asrq/metrics`), as in
 * the benchmark report.
 * @param floatModel - The float model.
 * @param corpusPath - Evaluation corpus (LibriSpeech directory or manifest).
 * @param options - Utterance count, tokenizer, interface overrides.
 * @returns The evaluator; each call loads the model, transcribes and releases it.
 * @example
 * ```ts no-run
 * const evaluate = await createWerEvaluator('model.onnx', 'LibriSpeech/dev-clean', { n: 50 });
 * const delta = (await evaluate('model.int8.onnx')) - (await evaluate('model.onnx'));
 * ```
 */
export async function createWerEvaluator(
  floatModel: string,
  corpusPath: string,
  options: WerEvaluatorOptions,
): Promise<(modelPath: string) => Promise<number>> {
  const corpus = await openCorpus(resolve(corpusPath));
  const items = selectItems(corpus.items, { n: options.n });
  const float = await CtcModel.load(floatModel, {
    session: { graphOptimizationLevel: 'disabled' },
    ...(options.overrides ? { overrides: options.overrides } : {}),
  });
  const tokenizer = await loadModelTokenizer(
    float,
    options.tokenizer ? { tokenizer: resolve(options.tokenizer) } : {},
  ).finally(() => float.release());
  const companionDirs = [dirname(floatModel)];
  let audios: Float32Array[] | undefined;
  return async (modelPath) => {
    const model = await CtcModel.load(modelPath, {
      companionDirs,
      ...(options.overrides ? { overrides: options.overrides } : {}),
    });
    try {
      audios ??= await Promise.all(
        items.map((item) => readAudio(item.audioPath, { sampleRate: model.info.sampleRate })),
      );
      const transcriber = new Transcriber(model, tokenizer);
      const results = await transcriber.transcribeBatch(audios, { batchSize: 1 });
      return scoreCorpus(
        items.map((item, i) => ({ id: item.id, ref: item.transcript, hyp: results[i]!.text })),
        { alignments: false },
      ).total.errorRate;
    } finally {
      await model.release();
    }
  };
}
