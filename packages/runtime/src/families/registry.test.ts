import { describe, expect, it } from 'vitest';
import { companionFileNames } from '../companions.js';
import { discoverModelInfo } from '../model-info.js';
import type { ModelFamily } from './family.js';
import { detectModelFamily, getModelFamily, modelFamilies, registerModelFamily } from './registry.js';

const t = (name: string, type: 'float32' | 'float16' | 'int64' | 'int32', shape: (number | string)[]) => ({
  name,
  isTensor: true as const,
  type,
  shape,
});

const senseVoiceMetadata = {
  model_type: 'sense_voice_ctc',
  lfr_window_size: '7',
  lfr_window_shift: '6',
  normalize_samples: '0',
  neg_mean: new Array(560).fill('-9').join(','),
  inv_stddev: new Array(560).fill('0.3').join(','),
  lang_auto: '0',
  lang_en: '4',
  with_itn: '14',
  without_itn: '15',
  vocab_size: '25055',
};
const senseVoiceInputs = [
  t('x', 'float32', ['N', 'T', 560]),
  t('x_length', 'int32', ['N']),
  t('language', 'int32', ['N']),
  t('text_norm', 'int32', ['N']),
];

describe('the model-family registry', () => {
  it('has one entry per family, catch-alls last, and derives the companion files from them', () => {
    expect(modelFamilies().map((f) => f.name)).toEqual([
      'transformers',
      'nemo',
      'sherpa-nemo',
      'icefall',
      'wenet',
      'sense-voice',
      'asrq',
      'custom',
    ]);
    expect(companionFileNames()).toEqual(['preprocessor_config.json', 'model_config.yaml']);
  });

  it('recognises SenseVoice from its metadata: int32 lengths, language and text_norm filled, 4 prompt frames, blank 0', () => {
    const info = discoverModelInfo({
      path: 'sense-voice.onnx',
      inputs: senseVoiceInputs,
      outputs: [t('logits', 'float32', ['N', 'T', 25055])],
      metadata: senseVoiceMetadata,
    });
    expect(info).toMatchObject({
      family: 'sense-voice',
      familySource: 'metadata model_type sense_voice_ctc',
      form: 'features',
      audioInput: 'x',
      lengthsInput: 'x_length',
      lengthsType: 'int32',
      featureDim: 560,
      promptFrames: 4,
      blankId: 0,
      blankIdSource: 'family',
      frameStrideSamples: 960,
      constantInputs: {
        language: { value: 0, type: 'int32', source: 'metadata lang_auto' },
        text_norm: { value: 15, type: 'int32', source: 'metadata without_itn' },
      },
    });
    expect(info.frontEnd.name).toBe('funasr-fbank');
    // An override picks the language (its id as the metadata gives it).
    const english = discoverModelInfo({
      path: 'sense-voice.onnx',
      inputs: senseVoiceInputs,
      outputs: [t('logits', 'float32', ['N', 'T', 25055])],
      metadata: senseVoiceMetadata,
      overrides: { constantInputs: { language: 4 } },
    });
    expect(english.constantInputs?.language).toEqual({ value: 4, type: 'int32', source: 'override' });
  });

  it('without the family, the same inputs are refused: language and text_norm are inputs nothing fills', () => {
    const { model_type: _type, ...rest } = senseVoiceMetadata;
    expect(() =>
      discoverModelInfo({
        path: 'sv.onnx',
        inputs: senseVoiceInputs,
        outputs: [t('logits', 'float32', ['N', 'T', 25055])],
        metadata: rest,
        overrides: { frontEnd: { name: 'funasr-fbank' } },
      }),
    ).toThrow(/inputs asrq cannot fill: language, text_norm/);
  });

  it('recognises WeNet from its metadata: the frame hop from subsampling_factor, blank from the tokenizer', () => {
    const info = discoverModelInfo({
      path: 'wenet.onnx',
      inputs: [t('x', 'float32', ['N', 'T', 80]), t('x_lens', 'int64', ['N'])],
      outputs: [t('log_probs', 'float32', ['N', 'T', 4233]), t('log_probs_lens', 'int64', ['N'])],
      metadata: { model_type: 'wenet_ctc', subsampling_factor: '4', vocab_size: '4233' },
    });
    expect(info).toMatchObject({ family: 'wenet', lengthsOutput: 'log_probs_lens', frameStrideSamples: 640 });
    expect(info.blankIdSource).toBe('tokenizer');
    expect(info.frontEnd.config).toMatchObject({ sampleScale: 32768, snipEdges: false });
  });

  it('falls back to asrq for waveform models and custom for feature models nothing claims', () => {
    const evidence = (kind: 'waveform' | 'features') => ({
      path: 'm.onnx',
      inputs: [],
      outputs: [],
      metadata: {},
      companions: {},
      kind,
    });
    expect(detectModelFamily(evidence('waveform')).family.name).toBe('asrq');
    expect(detectModelFamily(evidence('features')).family.name).toBe('custom');
  });

  it('takes a new family as one object and one call, asked before the catch-alls', () => {
    const telespeech: ModelFamily = {
      name: 'test-telespeech',
      description: 'a test family recognised by its metadata',
      kind: 'features',
      names: { lengths: ['feat_lens'] },
      detect: (e) => (e.metadata.model_type === 'test_ctc' ? 'metadata model_type test_ctc' : undefined),
      frontEnd: () => ({ name: 'kaldi-fbank', config: { numMelBins: 40 }, source: 'test family' }),
      blankId: () => 1,
    };
    registerModelFamily(telespeech);
    try {
      const info = discoverModelInfo({
        path: 'm.onnx',
        inputs: [t('feats', 'float32', ['N', 'T', 40]), t('feat_lens', 'int64', ['N'])],
        outputs: [t('out', 'float32', ['N', 'T', 10])],
        metadata: { model_type: 'test_ctc' },
      });
      expect(info).toMatchObject({
        family: 'test-telespeech',
        lengthsInput: 'feat_lens',
        blankId: 1,
        blankIdSource: 'family',
      });
      expect(info.frontEnd.dim).toBe(40);
      expect(modelFamilies().at(-3)!.name).toBe('test-telespeech');
    } finally {
      registerModelFamily({ ...telespeech, detect: () => undefined });
    }
    expect(getModelFamily('test-telespeech')?.detect({} as never)).toBeUndefined();
  });
});
