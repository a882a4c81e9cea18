import type { ModelInfo } from './types.js';

/** A {@link ModelInfo} as plain data (JSON): the front end by name and settings, without metadata and companion files. */
export type ModelInfoSummary = Omit<ModelInfo, 'frontEnd' | 'metadata' | 'companions'> & {
  frontEnd: { name: string; kind: string; dim: number; sampleRate: number; config: unknown };
};

/**
 * How asrq feeds a model, as plain data (what `asrq inspect --json` prints under `interface`).
 * @param info - A loaded model's `info`.
 * @returns The summary.
 * @example
 * ```ts
 * const model = await CtcModel.load('model.onnx');
 * console.log(JSON.stringify(summarizeModelInfo(model.info)));
 * await model.release();
 * ```
 */
export function summarizeModelInfo(info: ModelInfo): ModelInfoSummary {
  const { frontEnd, metadata: _metadata, companions: _companions, ...rest } = info;
  return {
    ...rest,
    frontEnd: {
      name: frontEnd.name,
      kind: frontEnd.kind,
      dim: frontEnd.dim,
      sampleRate: frontEnd.sampleRate,
      config: frontEnd.config,
    },
  };
}

/**
 * How asrq feeds a model, for people: input and its form, fixed length, constant inputs, output,
 * sample rate, blank id, front end with where its settings came from, and the model family.
 * @param info - A model's info, or its summary.
 * @returns Lines under the heading "How asrq feeds it".
 * @example
 * ```ts
 * const model = await CtcModel.load('model.onnx');
 * console.log(formatModelInfo(model.info));
 * await model.release();
 * ```
 */
export function formatModelInfo(info: ModelInfo | ModelInfoSummary): string {
  const i = info;
  const input =
    i.form === 'features'
      ? `features "${i.audioInput}" ${i.featuresLayout === 'BFT' ? '[batch, dim, frames]' : '[batch, frames, dim]'}${i.featureDim ? `, dim ${i.featureDim}` : ''}`
      : `samples "${i.audioInput}" [batch, samples]`;
  const blank = i.blankId === undefined ? "the tokenizer's blank token" : `${i.blankId} (${i.blankIdSource})`;
  const constants = Object.entries(i.constantInputs ?? {}).map(([name, c]) => `${name} = ${c.value} (${c.source})`);
  return [
    'How asrq feeds it',
    `  input        ${input}${i.inputType === 'float16' ? ' float16' : ''}${i.lengthsInput ? ` + lengths "${i.lengthsInput}"` : ''}${i.maskInput ? ` + mask "${i.maskInput}"` : ''} (${i.form})`,
    ...(i.fixedInputLength
      ? [
          `  fixed length ${i.fixedInputLength} ${i.form === 'features' ? 'frames' : 'samples'} (shorter input padded, longer cut into windows)`,
        ]
      : []),
    ...(constants.length > 0 ? [`  constants    ${constants.join(', ')}`] : []),
    `  output       "${i.scoresOutput}"${i.vocabSize ? ` (vocab ${i.vocabSize})` : ''}${i.lengthsOutput ? ` + lengths "${i.lengthsOutput}"` : ''}${i.promptFrames ? `, first ${i.promptFrames} frames are the prompt (dropped)` : ''}`,
    `  sample rate  ${i.sampleRate} Hz`,
    `  blank id     ${blank}`,
    `  front end    ${i.frontEnd.name} (${i.frontEnd.kind}, dim ${i.frontEnd.dim}) from ${i.frontEndSource}`,
    `  settings     ${JSON.stringify(i.frontEnd.config, (_key, value: unknown) => (Array.isArray(value) && value.length > 8 ? `[${value.length} values]` : value))}`,
    `  family       ${i.family} (${i.familySource})`,
  ].join('\n');
}
