import { createCharTokenizer, type Tokenizer } from '@asrq/ctc/browser';
import { frontEndFromNemoPreprocessor } from '@asrq/frontend';
import type { CompanionFile } from './family.js';
import { withBlankAppended } from '../tokenizer-adapt.js';
import type { FamilyTokenizer, FamilyTokenizerContext, ModelFamily } from './family.js';

const CONFIG = 'model_config.yaml';

/** The folder part of a path, with its separator (`/m/` for `/m/model_config.yaml`), without Node's path module. */
function folderOf(path: string): string {
  return path.slice(0, Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1);
}

/** NeMo names its tokenizer `nemo:<hash>_tokenizer.model` in model_config.yaml; an unpacked .nemo has the file beside the config. */
async function tokenizerFile(
  config: CompanionFile<Record<string, unknown>>,
  exists: FamilyTokenizerContext['exists'],
): Promise<string | undefined> {
  const section = config.content.tokenizer as Record<string, unknown> | undefined;
  const named = typeof section?.model_path === 'string' ? section.model_path : undefined;
  if (!named) return undefined;
  const name = named.replace(/^nemo:/, '').replace(/^.*[/\\]/, '');
  const candidate = folderOf(config.path) + name;
  return (await exists(candidate)) ? candidate : undefined;
}

/** A NeMo character model keeps its vocabulary in model_config.yaml (`decoder.vocabulary`), with the blank after it. */
function vocabularyTokenizer(config: CompanionFile<Record<string, unknown>>): Tokenizer | undefined {
  const decoder = config.content.decoder as Record<string, unknown> | undefined;
  const vocabulary = decoder?.vocabulary;
  if (!Array.isArray(vocabulary) || vocabulary.length === 0 || !vocabulary.every((v) => typeof v === 'string'))
    return undefined;
  return withBlankAppended(
    createCharTokenizer(
      [...(vocabulary as string[])],
      { blankId: 0, wordDelimiter: ' ' },
      `${config.path} decoder.vocabulary`,
    ),
  );
}

/**
 * NeMo's own exports (Conformer-CTC, Citrinet, QuartzNet: `model.export()` of an `EncDecCTCModel`):
 * `audio_signal` [batch, features, frames] + `length` -> `logprobs`, the blank last; the front end
 * and tokenizer from `model_config.yaml` as found in an unpacked `.nemo`.
 */
export const nemoFamily: ModelFamily = {
  name: 'nemo',
  description: 'NeMo Conformer-CTC, Citrinet, QuartzNet: audio_signal [B, F, T] + length -> logprobs, blank last',
  kind: 'features',
  companions: [{ file: CONFIG, expected: 'a YAML mapping like NeMo writes' }],
  names: {
    signal: ['audio_signal', 'processed_signal'],
    lengths: ['length', 'processed_signal_length'],
    scores: ['logprobs'],
  },
  detect(evidence) {
    return evidence.companions[CONFIG] ? `${CONFIG} beside the model` : undefined;
  },
  frontEnd(evidence) {
    const file = evidence.companions[CONFIG];
    const preprocessor = file?.content.preprocessor;
    if (!file || preprocessor === undefined) return undefined;
    const hit = frontEndFromNemoPreprocessor(preprocessor, file.path);
    return hit && { name: hit.name, config: { ...hit.config }, source: `${CONFIG} preprocessor (${file.path})` };
  },
  blankId: (_evidence, vocab) => (vocab === undefined ? undefined : vocab - 1),
  async tokenizer({ companions, exists }): Promise<FamilyTokenizer | undefined> {
    const config = companions[CONFIG];
    if (!config) return undefined;
    const path = await tokenizerFile(config, exists);
    const tokenizer = vocabularyTokenizer(config);
    return {
      ...(path ? { path } : {}),
      ...(tokenizer ? { fallback: { tokenizer, source: `${config.path} decoder.vocabulary` } } : {}),
    };
  },
};
