import { describe, expect, it } from 'vitest';
import { discoverModelInfo } from './model-info.js';

const t = (name: string, type: 'float32' | 'int64', shape: (number | string)[]) => ({ name, isTensor: true as const, type, shape });

describe('discoverModelInfo', () => {
  it('recognises the audio + lengths form and reads metadata', () => {
    const info = discoverModelInfo(
      'm.onnx',
      [t('audio', 'float32', ['batch', 'samples']), t('audio_lengths', 'int64', ['batch'])],
      [t('log_probs', 'float32', ['batch', 'frames', 256]), t('log_prob_lengths', 'int64', ['batch'])],
      { sample_rate: '16000', blank_id: '0', vocab_size: '256', frame_stride_samples: '320', tokenizer: 'sentencepiece' },
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
    expect(info).toMatchObject({ form: 'single-input', audioInput: 'input_values', maskInput: 'attention_mask', scoresOutput: 'logits', vocabSize: 32, blankId: 0, sampleRate: 16000 });
    expect(info.lengthsInput).toBeUndefined();
  });

  it('names the inputs it found when the model is not a CTC speech model', () => {
    expect(() =>
      discoverModelInfo('resnet.onnx', [t('pixels', 'float32', [1, 3, 224, 224])], [t('classes', 'float32', [1, 1000])], {}),
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
