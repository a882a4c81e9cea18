import { describe, expect, it } from 'vitest';
import type { ModelCompanions } from './families/family.js';
import { discoverModelInfo as discoverWith } from './model-info.js';
import type { ModelInfoOverrides } from './types.js';

const t = (name: string, type: 'float32' | 'float16' | 'int64' | 'int32', shape: (number | string)[]) => ({
  name,
  isTensor: true as const,
  type,
  shape,
});
type Value = ReturnType<typeof t>;

/** discoverModelInfo with the arguments in the order the tests below read best. */
function discoverModelInfo(
  path: string,
  inputs: Value[],
  outputs: Value[],
  metadata: Record<string, string>,
  overrides: ModelInfoOverrides = {},
  companions: ModelCompanions = {},
) {
  return discoverWith({ path, inputs, outputs, metadata, overrides, companions });
}

describe('discoverModelInfo', () => {
  it('recognises the audio + lengths form and reads metadata', () => {
    const info = discoverModelInfo(
      'm.onnx',
      [t('audio', 'float32', ['batch', 'samples']), t('audio_lengths', 'int64', ['batch'])],
      [t('log_probs', 'float32', ['batch', 'frames', 256]), t('log_prob_lengths', 'int64', ['batch'])],
      {
        sample_rate: '16000',
        blank_id: '0',
        vocab_size: '256',
        frame_stride_samples: '320',
        tokenizer: 'sentencepiece',
      },
    );
    expect(info).toMatchObject({
      form: 'audio-with-lengths',
      audioInput: 'audio',
      lengthsInput: 'audio_lengths',
      scoresOutput: 'log_probs',
      lengthsOutput: 'log_prob_lengths',
      sampleRate: 16000,
      blankId: 0,
      vocabSize: 256,
      frameStrideSamples: 320,
      tokenizer: 'sentencepiece',
    });
  });

  it('recognises the transformers single-input form with an attention mask', () => {
    const info = discoverModelInfo(
      'hf.onnx',
      [t('input_values', 'float32', ['batch', 'sequence']), t('attention_mask', 'int64', ['batch', 'sequence'])],
      [t('logits', 'float32', ['batch', 'frames', 32])],
      {},
    );
    expect(info).toMatchObject({
      form: 'single-input',
      audioInput: 'input_values',
      maskInput: 'attention_mask',
      scoresOutput: 'logits',
      vocabSize: 32,
      blankIdSource: 'tokenizer',
      sampleRate: 16000,
    });
    expect(info.lengthsInput).toBeUndefined();
  });

  it('names the inputs it found when the model is not a CTC speech model', () => {
    expect(() =>
      discoverModelInfo(
        'resnet.onnx',
        [t('pixels', 'float32', [1, 3, 224, 224])],
        [t('classes', 'float32', [1, 1000])],
        {},
      ),
    ).toThrow(/resnet\.onnx: no float32 input of shape \[batch, samples\].*pixels float32 \[1, 3, 224, 224\]/);
  });

  it('refuses inputs it cannot fill', () => {
    expect(() =>
      discoverModelInfo(
        'x.onnx',
        [t('audio', 'float32', ['b', 's']), t('speaker_embedding', 'float32', ['b', 192])],
        [t('log_probs', 'float32', ['b', 't', 10])],
        {},
      ),
    ).toThrow(/cannot fill: speaker_embedding/);
  });

  it('applies overrides', () => {
    const info = discoverModelInfo(
      'm.onnx',
      [t('wave', 'float32', ['b', 's'])],
      [t('a', 'float32', ['b', 't', 5]), t('b', 'float32', ['b', 't', 7])],
      { blank_id: '3' },
      { scoresOutput: 'b', blankId: 6 },
    );
    expect(info).toMatchObject({ audioInput: 'wave', scoresOutput: 'b', blankId: 6, vocabSize: 7 });
  });
});

describe('discoverModelInfo: feature inputs and front ends', () => {
  const nemo = {
    'model_config.yaml': {
      path: '/m/model_config.yaml',
      content: {
        preprocessor: {
          _target_: 'nemo.collections.asr.modules.AudioToMelSpectrogramPreprocessor',
          sample_rate: 16000,
          features: 80,
          normalize: 'per_feature',
          window_size: 0.025,
          window_stride: 0.01,
          n_fft: 512,
        },
      },
    },
  };

  it('recognises NeMo audio_signal [B, 80, T] + length, reads the front end from model_config.yaml and puts the blank last', () => {
    const info = discoverModelInfo(
      'conformer.onnx',
      [t('audio_signal', 'float32', ['B', 80, 'T']), t('length', 'int64', ['B'])],
      [t('logprobs', 'float32', ['B', 'T', 257])],
      {},
      {},
      nemo,
    );
    expect(info).toMatchObject({
      form: 'features',
      audioInput: 'audio_signal',
      lengthsInput: 'length',
      featuresLayout: 'BFT',
      featureDim: 80,
      blankId: 256,
      blankIdSource: 'family',
      family: 'nemo',
    });
    expect(info.frontEnd.name).toBe('nemo-mel');
    expect(info.frontEnd.dim).toBe(80);
    expect(info.frontEndSource).toContain('/m/model_config.yaml');
  });

  it('recognises icefall x [B, T, 80] + x_lens and refuses to guess a front end without settings', () => {
    const inputs = [t('x', 'float32', ['N', 'T', 80]), t('x_lens', 'int64', ['N'])];
    const outputs = [t('log_probs', 'float32', ['N', 'T', 500]), t('log_probs_len', 'int64', ['N'])];
    expect(() => discoverModelInfo('zipformer.onnx', inputs, outputs, {})).toThrow(
      /takes features \(80 per frame\).*Name its front end \(`frontEnd`: kaldi-fbank/,
    );
    const info = discoverModelInfo('zipformer.onnx', inputs, outputs, {}, { frontEnd: { name: 'kaldi-fbank' } });
    expect(info).toMatchObject({
      form: 'features',
      featuresLayout: 'BTF',
      featureDim: 80,
      lengthsOutput: 'log_probs_len',
      blankIdSource: 'tokenizer',
    });
    expect(info.frontEnd.name).toBe('kaldi-fbank');
  });

  it('refuses a front end whose dimension differs from the input', () => {
    expect(() =>
      discoverModelInfo(
        'm.onnx',
        [t('x', 'float32', ['N', 'T', 80]), t('x_lens', 'int64', ['N'])],
        [t('log_probs', 'float32', ['N', 'T', 10])],
        {},
        { frontEnd: { name: 'kaldi-fbank', config: { numMelBins: 40 } } },
      ),
    ).toThrow(/takes 80 features per frame but front end "kaldi-fbank".*gives 40/);
  });

  it('reads do_normalize from preprocessor_config.json for waveform models; raw otherwise', () => {
    const inputs = [t('input_values', 'float32', ['batch', 'sequence'])];
    const outputs = [t('logits', 'float32', ['batch', 'frames', 32])];
    const hf = {
      'preprocessor_config.json': {
        path: '/m/preprocessor_config.json',
        content: {
          do_normalize: true,
          sampling_rate: 16000,
          return_attention_mask: false,
          feature_size: 1,
          padding_value: 0,
        },
      },
    };
    expect(discoverModelInfo('hf.onnx', inputs, outputs, {}, {}, hf).frontEnd.name).toBe('hf-normalize');
    expect(discoverModelInfo('hf.onnx', inputs, outputs, {}).frontEnd.name).toBe('raw');
    expect(discoverModelInfo('hf.onnx', inputs, outputs, {}, { frontEnd: { name: 'raw' } }, hf).frontEnd.name).toBe(
      'raw',
    );
  });

  it('refuses a blank id outside the vocabulary', () => {
    expect(() =>
      discoverModelInfo(
        'm.onnx',
        [t('audio', 'float32', ['b', 's'])],
        [t('log_probs', 'float32', ['b', 't', 256])],
        {},
        { blankId: 999 },
      ),
    ).toThrow(/blank id 999 \(`blankId`\) is outside the model's vocabulary 0\.\.255/);
  });
});
