import { describe, expect, it } from 'vitest';
import { seededRandom } from '@asrq/core';
import { normalizeBatchRows, zeroMeanUnitVariance } from './hf-normalize.js';
import { createFrontEnd, frontEndNames, getFrontEndDefinition } from './registry.js';

function noise(length: number, seed = 1): Float32Array {
  const rand = seededRandom(seed);
  return Float32Array.from({ length }, () => (rand() * 2 - 1) * 0.3);
}

describe('registry and config validation', () => {
  it('lists the built-in front ends', () => {
    expect(frontEndNames()).toEqual(['raw', 'hf-normalize', 'kaldi-fbank', 'nemo-mel', 'funasr-fbank']);
  });

  it('names the known front ends for an unknown one', () => {
    expect(() => getFrontEndDefinition('mfcc')).toThrow(
      expect.objectContaining({
        code: 'FRONTEND_UNKNOWN',
        message: expect.stringContaining('raw, hf-normalize, kaldi-fbank, nemo-mel, funasr-fbank'),
      }),
    );
  });

  it('refuses unknown keys, wrong types and values outside an enum, naming key, source and allowed values', () => {
    expect(() => createFrontEnd('kaldi-fbank', { numMelBin: 80 }, 'fe.json')).toThrow(
      expect.objectContaining({
        code: 'FRONTEND_BAD_CONFIG',
        message: expect.stringMatching(
          /^fe.json: front end 'kaldi-fbank' has no option 'numMelBin'\. Its options are: .*numMelBins/,
        ),
      }),
    );
    expect(() => createFrontEnd('kaldi-fbank', { snipEdges: 'no' }, 'fe.json')).toThrow(
      "fe.json: option 'snipEdges' of front end 'kaldi-fbank' must be true or false; got \"no\".",
    );
    expect(() => createFrontEnd('nemo-mel', { window: 'kaiser' }, 'cli')).toThrow(
      /must be one of 'hann', 'hamming', 'blackman', 'bartlett', 'none'/,
    );
    expect(() => createFrontEnd('nemo-mel', { features: 2.5 }, 'cli')).toThrow(/must be an integer >= 1/);
    expect(() => createFrontEnd('raw', 'loud', 'cli')).toThrow(
      expect.objectContaining({ code: 'FRONTEND_BAD_CONFIG' }),
    );
    expect(() => createFrontEnd('kaldi-fbank', { highFreq: 9000 })).toThrow(/within Nyquist/);
    expect(() => createFrontEnd('nemo-mel', { nFft: 256, windowSizeSec: 0.025 })).toThrow(/longer than nFft/);
  });

  it('bounds every number that sizes buffers: sample rates, mel bins, FFT and window sizes (1e12 Hz took gigabytes)', () => {
    const refused: Array<[string, Record<string, unknown>, RegExp]> = [
      [
        'kaldi-fbank',
        { sampleRate: 1e12 },
        /option 'sampleRate' .*must be an integer >= 1000 <= 768000; got 1000000000000/,
      ],
      ['kaldi-fbank', { numMelBins: 1e9 }, /option 'numMelBins' .*<= 1024/],
      ['kaldi-fbank', { frameLengthMs: 1e9 }, /option 'frameLengthMs'/],
      ['nemo-mel', { sampleRate: 1e12 }, /option 'sampleRate'/],
      ['nemo-mel', { features: 1e9 }, /option 'features'/],
      ['nemo-mel', { nFft: 2 ** 30 }, /option 'nFft'/],
      ['nemo-mel', { windowSizeSec: 1e6 }, /option 'windowSizeSec'/],
      ['raw', { sampleRate: 1 }, /option 'sampleRate'/],
      ['hf-normalize', { sampleRate: 5e6 }, /option 'sampleRate'/],
    ];
    for (const [name, config, message] of refused) {
      expect(() => createFrontEnd(name, config, 'cfg.json')).toThrow(
        expect.objectContaining({ code: 'FRONTEND_BAD_CONFIG', message: expect.stringMatching(message) }),
      );
    }
  });

  it('has the defaults the references have', () => {
    // torchaudio.compliance.kaldi.fbank defaults, with num_mel_bins=80 and dither=0
    expect(createFrontEnd('kaldi-fbank').config).toEqual({
      sampleRate: 16000,
      frameShiftMs: 10,
      frameLengthMs: 25,
      dither: 0,
      preemphasisCoefficient: 0.97,
      removeDcOffset: true,
      windowType: 'povey',
      roundToPowerOfTwo: true,
      blackmanCoeff: 0.42,
      snipEdges: true,
      numMelBins: 80,
      lowFreq: 20,
      highFreq: 0,
      useEnergy: false,
      rawEnergy: true,
      energyFloor: 1,
      useLogFbank: true,
      usePower: true,
      sampleScale: 1,
      isLibrosa: false,
      normalize: 'none',
      padValue: 0,
    });
    const nemo = createFrontEnd('nemo-mel');
    expect([nemo.sampleRate, nemo.dim, nemo.hopSamples, nemo.padFramesTo, nemo.padValue]).toEqual([
      16000, 80, 160, 16, 0,
    ]);
  });
});

const variants: [string, Record<string, unknown>][] = [
  ['raw', {}],
  ['hf-normalize', {}],
  ['kaldi-fbank', {}],
  ['kaldi-fbank', { snipEdges: false }],
  ['kaldi-fbank', { roundToPowerOfTwo: false, frameLengthMs: 20, numMelBins: 40, useEnergy: true }],
  ['nemo-mel', {}],
  ['nemo-mel', { dropLastFrame: false, stftPadMode: 'reflect' }],
  ['nemo-mel', { exactPad: true, normalize: 'all_features' }],
  ['nemo-mel', { windowSizeSec: 0.025, nFft: null, features: 64, frameSplicing: 3, normalize: 'none' }],
];

describe.each(variants)('%s %j', (name, config) => {
  const frontEnd = createFrontEnd(name, config);

  it('gives frameCount(n) frames of dim values, and none below minSamples', () => {
    for (const n of [frontEnd.minSamples, frontEnd.minSamples + 1, 399, 400, 401, 559, 560, 1601, 16000]) {
      const { frames, dim, data } = frontEnd.compute(noise(n));
      expect(frames).toBe(frontEnd.frameCount(n));
      expect(dim).toBe(frontEnd.dim);
      expect(data.length).toBe(frames * dim);
      if (n >= frontEnd.minSamples) expect(frames).toBeGreaterThan(0);
      for (const v of data) expect(Number.isFinite(v)).toBe(true);
    }
    expect(frontEnd.frameCount(frontEnd.minSamples - 1)).toBe(0);
  });

  it('writes into a given buffer and gives the same numbers on every call', () => {
    const audio = noise(5000, 3);
    const fresh = frontEnd.compute(audio);
    const out = new Float32Array(fresh.data.length + 10);
    frontEnd.compute(noise(3000, 4), out);
    expect(() => frontEnd.compute(noise(9000, 4), out)).toThrow(
      expect.objectContaining({ code: 'FRONTEND_OUT_TOO_SMALL' }),
    );
    const reused = frontEnd.compute(audio, out);
    expect(reused.data.buffer).toBe(out.buffer);
    expect(Array.from(reused.data)).toEqual(Array.from(fresh.data));
  });
});

describe('frame counts', () => {
  it('kaldi-fbank: snip_edges true keeps whole frames, false rounds len / hop', () => {
    expect(createFrontEnd('kaldi-fbank').frameCount(16000)).toBe(98);
    expect(createFrontEnd('kaldi-fbank', { snipEdges: false }).frameCount(16000)).toBe(100);
    expect(createFrontEnd('kaldi-fbank', { snipEdges: false }).frameCount(16079)).toBe(100);
    expect(createFrontEnd('kaldi-fbank', { snipEdges: false }).frameCount(16080)).toBe(101);
  });

  it("nemo-mel: NeMo's seq_len, len // hop (>= 2.4) or one more (older), len // hop with exact_pad", () => {
    expect(createFrontEnd('nemo-mel').frameCount(16000)).toBe(100);
    expect(createFrontEnd('nemo-mel').frameCount(16159)).toBe(100);
    expect(createFrontEnd('nemo-mel', { dropLastFrame: false }).frameCount(16000)).toBe(101);
    // exact_pad pads (n_fft - hop) // 2 per side: NeMo >= 2.4 gives len // hop - 1 frames, older NeMo len // hop
    expect(createFrontEnd('nemo-mel', { exactPad: true }).frameCount(16000)).toBe(99);
    expect(createFrontEnd('nemo-mel', { exactPad: true, dropLastFrame: false }).frameCount(16000)).toBe(100);
  });

  it('nemo-mel: dither is seeded, so repeatable', () => {
    const frontEnd = createFrontEnd('nemo-mel', { dither: 1e-5 });
    const audio = noise(3200);
    expect(Array.from(frontEnd.compute(audio).data)).toEqual(Array.from(frontEnd.compute(audio).data));
  });
});

describe('hf-normalize', () => {
  it('gives zero mean and unit variance', () => {
    const x = zeroMeanUnitVariance(Float32Array.from(noise(10000), (v) => v * 2 + 0.05));
    const mean = x.reduce((a, b) => a + b, 0) / x.length;
    const variance = x.reduce((a, b) => a + (b - mean) ** 2, 0) / x.length;
    expect(Math.abs(mean)).toBeLessThan(1e-6);
    expect(variance).toBeCloseTo(1, 4);
  });

  it('normalises each batch row over its own length and leaves the padding at 0', () => {
    const a = noise(300, 5);
    const b = Float32Array.from(noise(200, 6), (v) => v + 0.2);
    const batch = new Float32Array(600);
    batch.set(a, 0);
    batch.set(b, 300);
    normalizeBatchRows(batch, 300, [300, 200]);
    expect(Array.from(batch.subarray(0, 300))).toEqual(Array.from(zeroMeanUnitVariance(a)));
    expect(Array.from(batch.subarray(300, 500))).toEqual(Array.from(zeroMeanUnitVariance(b)));
    expect(batch.subarray(500).every((v) => v === 0)).toBe(true);
  });
});
