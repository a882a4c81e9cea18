import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { frontEndFromHfPreprocessorConfig } from './from-hf.js';
import { frontEndFromNemoPreprocessor } from './from-nemo.js';
import { frontEndFromSherpaMetadata } from './from-sherpa.js';
import { createFrontEnd } from './registry.js';

const configs = new URL('../test/fixtures/configs/', import.meta.url);
const read = (name: string) => readFileSync(new URL(name, configs), 'utf8');

describe('frontEndFromHfPreprocessorConfig', () => {
  it('maps wav2vec2-base-960h (do_normalize, no attention mask) to hf-normalize', () => {
    const choice = frontEndFromHfPreprocessorConfig(
      JSON.parse(read('wav2vec2-base-960h.preprocessor_config.json')),
      'preprocessor_config.json',
    );
    expect(choice).toEqual({ name: 'hf-normalize', config: { sampleRate: 16000 }, returnAttentionMask: false });
    expect(createFrontEnd(choice!.name, choice!.config).config).toEqual({ sampleRate: 16000 });
  });

  it('keeps return_attention_mask (HuBERT large)', () => {
    const choice = frontEndFromHfPreprocessorConfig(
      JSON.parse(read('hubert-large-ls960-ft.preprocessor_config.json')),
      'p.json',
    );
    expect(choice?.returnAttentionMask).toBe(true);
  });

  it('gives raw when do_normalize is false', () => {
    expect(
      frontEndFromHfPreprocessorConfig(
        { feature_extractor_type: 'Wav2Vec2FeatureExtractor', do_normalize: false, sampling_rate: 8000 },
        'p.json',
      ),
    ).toEqual({ name: 'raw', config: { sampleRate: 8000 }, returnAttentionMask: false });
  });

  it('returns undefined for extractors it does not know (Whisper log-mel)', () => {
    expect(
      frontEndFromHfPreprocessorConfig(JSON.parse(read('whisper.preprocessor_config.json')), 'p.json'),
    ).toBeUndefined();
  });

  it('refuses malformed files, naming the field', () => {
    expect(() => frontEndFromHfPreprocessorConfig([1], 'p.json')).toThrow(
      expect.objectContaining({ code: 'FRONTEND_BAD_CONFIG' }),
    );
    expect(() => frontEndFromHfPreprocessorConfig({ do_normalize: 'yes' }, 'p.json')).toThrow(
      /'do_normalize' must be a boolean/,
    );
  });

  it('checks the types of every key it reads before deciding the file does not apply (it was ignored silently)', () => {
    const cases: Array<[Record<string, unknown>, RegExp]> = [
      [{ do_normalize: 'maybe', feature_size: 2 }, /p\.json: 'do_normalize' must be a boolean, got "maybe"/],
      [{ sampling_rate: '16k' }, /p\.json: 'sampling_rate' must be a number, got "16k"/],
      [{ feature_extractor_type: 5 }, /p\.json: 'feature_extractor_type' must be a string, got 5/],
      [{ feature_size: 'one', do_normalize: true }, /'feature_size' must be a number/],
      [{ feature_extractor_type: 'WhisperFeatureExtractor', return_attention_mask: 'no' }, /'return_attention_mask'/],
    ];
    for (const [json, message] of cases)
      expect(() => frontEndFromHfPreprocessorConfig(json, 'p.json')).toThrow(message);
  });
});

describe('frontEndFromNemoPreprocessor', () => {
  it('maps a Conformer-CTC preprocessor section (25 ms window, 80 features, pad_to 0, dither dropped)', () => {
    const section = parse(read('conformer-ctc-small.model_config.yaml')).preprocessor;
    const choice = frontEndFromNemoPreprocessor(section, 'model_config.yaml')!;
    expect(choice.name).toBe('nemo-mel');
    const frontEnd = createFrontEnd(choice.name, choice.config, 'model_config.yaml');
    expect(frontEnd.config).toMatchObject({
      windowSizeSec: 0.025,
      windowStrideSec: 0.01,
      features: 80,
      nFft: 512,
      padTo: 0,
      dither: 0,
      normalize: 'per_feature',
      window: 'hann',
    });
    expect(frontEnd.dim).toBe(80);
    expect(frontEnd.hopSamples).toBe(160);
    expect(frontEnd.padFramesTo).toBeUndefined();
    expect(frontEnd.frameCount(16000)).toBe(100);
  });

  it("fills NeMo's defaults for keys the section leaves out (QuartzNet: pad_to 16)", () => {
    const choice = frontEndFromNemoPreprocessor(
      parse(read('quartznet15x5.model_config.yaml')).preprocessor,
      'model_config.yaml',
    )!;
    const frontEnd = createFrontEnd(choice.name, choice.config);
    expect(frontEnd.dim).toBe(64);
    expect(frontEnd.padFramesTo).toBe(16);
    expect(frontEnd.padValue).toBe(0);
    // features defaults to NeMo's 64 and n_fft to the next power of two when absent
    const bare = createFrontEnd('nemo-mel', frontEndFromNemoPreprocessor({ window_size: 0.025 }, 's')!.config);
    expect([bare.dim, (bare.config as { nFft: number | null }).nFft]).toEqual([64, null]);
    expect(bare.frameCount(16000)).toBe(100);
  });

  it('returns undefined for other preprocessors and refuses unknown options', () => {
    expect(
      frontEndFromNemoPreprocessor({ _target_: 'nemo.collections.asr.modules.AudioToMFCCPreprocessor' }, 's'),
    ).toBeUndefined();
    expect(() => frontEndFromNemoPreprocessor({ window_size: 0.02, wobble: 3 }, 'model_config.yaml')).toThrow(
      /model_config.yaml: preprocessor option 'wobble'/,
    );
    expect(() => frontEndFromNemoPreprocessor({ normalize: { fixed_mean: [1], fixed_std: [2] } }, 's')).toThrow(
      expect.objectContaining({ code: 'FRONTEND_BAD_CONFIG' }),
    );
    expect(() => frontEndFromNemoPreprocessor({ window_size: 0.02, n_window_size: 320 }, 's')).toThrow(
      /both window_size and n_window_size/,
    );
  });

  it('reads highfreq 0/null as Nyquist, n_window_size in samples and pad_to max', () => {
    const choice = frontEndFromNemoPreprocessor(
      { highfreq: 0, window_size: null, n_window_size: 400, n_window_stride: 160, pad_to: 'max', features: 80 },
      's',
    )!;
    const frontEnd = createFrontEnd(choice.name, choice.config, 's');
    expect(frontEnd.config).toMatchObject({ highFreq: null, nWindowSize: 400, nWindowStride: 160, padTo: 0 });
    expect([frontEnd.hopSamples, frontEnd.frameCount(16000)]).toEqual([160, 100]);
  });

  it('maps mel_norm null and the named log guards', () => {
    const choice = frontEndFromNemoPreprocessor(
      { mel_norm: null, log_zero_guard_value: 'tiny', log_zero_guard_type: 'clamp' },
      's',
    )!;
    expect(choice.config).toMatchObject({
      melNorm: 'none',
      logZeroGuardType: 'clamp',
      logZeroGuardValue: 1.1754943508222875e-38,
    });
  });
});

describe('frontEndFromSherpaMetadata', () => {
  it('gives sherpa-onnx defaults for a zipformer CTC model', () => {
    const choice = frontEndFromSherpaMetadata(
      JSON.parse(read('sherpa-zipformer-ctc.metadata.json')),
      80,
      'model.onnx',
    )!;
    const frontEnd = createFrontEnd(choice.name, choice.config);
    expect(frontEnd.config).toMatchObject({
      numMelBins: 80,
      lowFreq: 20,
      highFreq: -400,
      snipEdges: false,
      sampleScale: 1,
      dither: 0,
      isLibrosa: false,
      normalize: 'none',
      windowType: 'povey',
    });
    expect(frontEnd.frameCount(16000)).toBe(100);
  });

  it("gives sherpa-onnx's NeMo settings (librosa filters, hann, per_feature) for a NeMo CTC export", () => {
    const choice = frontEndFromSherpaMetadata(JSON.parse(read('sherpa-nemo-ctc.metadata.json')), 80, 'model.onnx')!;
    expect(choice.config).toMatchObject({
      isLibrosa: true,
      windowType: 'hann',
      removeDcOffset: false,
      lowFreq: 0,
      highFreq: 0,
      normalize: 'per_feature',
      numMelBins: 80,
    });
    const frontEnd = createFrontEnd(choice.name, choice.config);
    const tone = Float32Array.from({ length: 8000 }, (_, i) => 0.3 * Math.sin(i / 5) + 0.01 * Math.sin(i * 1.3));
    const { data, frames, dim } = frontEnd.compute(tone);
    // per-feature normalised: every column has mean ~0
    for (let d = 0; d < dim; d += 17) {
      let sum = 0;
      for (let t = 0; t < frames; t++) sum += data[t * dim + d]!;
      expect(Math.abs(sum / frames)).toBeLessThan(1e-4);
    }
  });

  it('takes the dimension from metadata, then the model input, then 80; WeNet gets int16 scale', () => {
    expect(
      frontEndFromSherpaMetadata({ model_type: 'EncDecCTCModel', feat_dim: '64', normalize_type: 'NA' }, 80, 'm')!
        .config,
    ).toMatchObject({ numMelBins: 64, normalize: 'none' });
    expect(frontEndFromSherpaMetadata({ model_type: 'zipformer2_ctc' }, 40, 'm')!.config.numMelBins).toBe(40);
    expect(frontEndFromSherpaMetadata({ model_type: 'wenet_ctc' }, undefined, 'm')!.config).toMatchObject({
      numMelBins: 80,
      sampleScale: 32768,
    });
    expect(
      frontEndFromSherpaMetadata({ model_type: 'EncDecCTCModelBPE', is_giga_am: '1' }, undefined, 'm')!.config,
    ).toMatchObject({ numMelBins: 64, roundToPowerOfTwo: false, highFreq: 8000 });
  });

  it('returns undefined without a model_type it knows and refuses bad metadata', () => {
    expect(frontEndFromSherpaMetadata({}, 80, 'm')).toBeUndefined();
    expect(frontEndFromSherpaMetadata({ model_type: 'whisper' }, 80, 'm')).toBeUndefined();
    expect(() =>
      frontEndFromSherpaMetadata({ model_type: 'EncDecCTCModelBPE', normalize_type: 'all_features' }, 80, 'model.onnx'),
    ).toThrow(/model.onnx: metadata normalize_type 'all_features'/);
    expect(() => frontEndFromSherpaMetadata({ model_type: 'zipformer2_ctc', feat_dim: 'x' }, 80, 'm')).toThrow(
      expect.objectContaining({ code: 'FRONTEND_BAD_CONFIG' }),
    );
  });
});

describe('batch padding values', () => {
  it('icefall models (sherpa-onnx zipformer2_ctc) pad fbank batches with log(1e-10), as lhotse and sherpa-onnx do', () => {
    const choice = frontEndFromSherpaMetadata({ model_type: 'zipformer2_ctc', vocab_size: '500' }, 80, 'test');
    expect(createFrontEnd(choice!.name, choice!.config).padValue).toBeCloseTo(Math.log(1e-10), 6);
  });

  it('NeMo features keep the STFT frame past seq_len in the tensor (masked), as NeMo feeds it', () => {
    const nemo = createFrontEnd('nemo-mel', { padTo: 0 });
    // 24037 samples: seq_len = 24037 // 160 = 150 valid frames; the centred STFT has 151.
    expect(nemo.frameCount(24037)).toBe(150);
    expect(nemo.tensorFrameCount?.(24037)).toBe(151);
  });
});
