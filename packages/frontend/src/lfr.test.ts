import { seededRandom } from '@asrq/core';
import { describe, expect, it } from 'vitest';
import { frontEndFromSenseVoiceMetadata } from './from-sense-voice.js';
import { applyGlobalCmvn, lfrFrameCount, stackLowFrameRate } from './lfr.js';
import { createFrontEnd } from './registry.js';

/** A [frames, dim] matrix whose value at (t, d) is t * 10 + d, so a stacked row shows which frames it took. */
function ramp(frames: number, dim: number) {
  return {
    data: Float32Array.from({ length: frames * dim }, (_, i) => Math.floor(i / dim) * 10 + (i % dim)),
    frames,
    dim,
  };
}

/** The input frame each block of a stacked row came from. */
function sources(stacked: { data: Float32Array; dim: number }, row: number, inDim: number): number[] {
  const out: number[] = [];
  for (let j = 0; j < stacked.dim / inDim; j++) out.push(stacked.data[row * stacked.dim + j * inDim]! / 10);
  return out;
}

describe('low-frame-rate stacking (FunASR apply_lfr)', () => {
  it('gives ceil(T / n) frames of m * dim values, the first frame repeated (m - 1) / 2 times in front, the last one after the end', () => {
    const stacked = stackLowFrameRate(ramp(20, 2), 7, 6);
    expect([stacked.frames, stacked.dim]).toEqual([4, 14]);
    expect(lfrFrameCount(20, 6)).toBe(4);
    // Worked by hand from FunASR's apply_lfr: the padded sequence is [0, 0, 0, 0, 1, ..., 19].
    expect(sources(stacked, 0, 2)).toEqual([0, 0, 0, 0, 1, 2, 3]);
    expect(sources(stacked, 1, 2)).toEqual([3, 4, 5, 6, 7, 8, 9]);
    expect(sources(stacked, 2, 2)).toEqual([9, 10, 11, 12, 13, 14, 15]);
    expect(sources(stacked, 3, 2)).toEqual([15, 16, 17, 18, 19, 19, 19]);
    expect(stacked.data[1]).toBe(1); // the second value of each block is its frame's second feature
  });

  it('handles fewer frames than one window and no frames', () => {
    expect(sources(stackLowFrameRate(ramp(2, 1), 7, 6), 0, 1)).toEqual([0, 0, 0, 0, 1, 1, 1]);
    expect(stackLowFrameRate(ramp(0, 3), 7, 6).frames).toBe(0);
    expect(lfrFrameCount(0, 6)).toBe(0);
    expect(lfrFrameCount(6, 6)).toBe(1);
    expect(lfrFrameCount(7, 6)).toBe(2);
  });

  it('applies global CMVN as (x + negMean) * invStddev per column', () => {
    const m = ramp(2, 2);
    applyGlobalCmvn(m, [-1, -2], [2, 0.5]);
    expect(Array.from(m.data)).toEqual([(0 - 1) * 2, (1 - 2) * 0.5, (10 - 1) * 2, (11 - 2) * 0.5]);
  });
});

describe('funasr-fbank', () => {
  const rand = seededRandom(7);
  const audio = Float32Array.from({ length: 16000 }, () => (rand() * 2 - 1) * 0.2);

  it('is kaldi-fbank (hamming, int16 scale, snip edges), then LFR, then CMVN', () => {
    const negMean = Array.from({ length: 560 }, (_, i) => -10 - (i % 80) * 0.01);
    const invStddev = Array.from({ length: 560 }, (_, i) => 0.2 + (i % 7) * 0.01);
    const frontEnd = createFrontEnd('funasr-fbank', { cmvnNegMean: negMean, cmvnInvStddev: invStddev });
    expect([frontEnd.dim, frontEnd.hopSamples, frontEnd.minSamples]).toEqual([560, 960, 400]);
    const fbank = createFrontEnd('kaldi-fbank', { windowType: 'hamming', sampleScale: 32768, snipEdges: true });
    const expected = stackLowFrameRate(fbank.compute(audio), 7, 6);
    applyGlobalCmvn(expected, Float32Array.from(negMean), Float32Array.from(invStddev)); // the front end keeps them as float32
    const got = frontEnd.compute(audio);
    expect(got.frames).toBe(frontEnd.frameCount(audio.length));
    expect(got.frames).toBe(Math.ceil(98 / 6));
    expect(Array.from(got.data)).toEqual(Array.from(expected.data));
  });

  it('refuses CMVN statistics of the wrong length or only one of the two', () => {
    expect(() => createFrontEnd('funasr-fbank', { cmvnNegMean: [1, 2], cmvnInvStddev: [1, 2] })).toThrow(
      /cmvnNegMean has 2 values but the stacked features have 560/,
    );
    expect(() => createFrontEnd('funasr-fbank', { cmvnNegMean: new Array(560).fill(0) })).toThrow(
      /give both or neither/,
    );
    expect(() => createFrontEnd('funasr-fbank', { cmvnNegMean: ['a'] })).toThrow(
      /must be a list of finite numbers or null/,
    );
  });
});

describe('frontEndFromSenseVoiceMetadata', () => {
  const metadata = (over: Record<string, string> = {}) => ({
    model_type: 'sense_voice_ctc',
    lfr_window_size: '7',
    lfr_window_shift: '6',
    normalize_samples: '0',
    neg_mean: new Array(560).fill('-8.5').join(','),
    inv_stddev: new Array(560).fill('0.25').join(','),
    ...over,
  });

  it("gives sherpa-onnx's SenseVoice settings: hamming, Nyquist, snip edges, int16 scale, LFR 7/6 and the metadata's CMVN", () => {
    const choice = frontEndFromSenseVoiceMetadata(metadata(), 'sv.onnx')!;
    expect(choice.name).toBe('funasr-fbank');
    expect(choice.config).toMatchObject({
      windowType: 'hamming',
      highFreq: 0,
      snipEdges: true,
      sampleScale: 32768,
      lfrM: 7,
      lfrN: 6,
      numMelBins: 80,
    });
    expect(choice.config.cmvnNegMean).toHaveLength(560);
    expect(frontEndFromSenseVoiceMetadata(metadata({ normalize_samples: '1' }), 'sv.onnx')!.config.sampleScale).toBe(1);
    expect(createFrontEnd(choice.name, choice.config).dim).toBe(560);
  });

  it('is undefined for other model types and names a missing or malformed key', () => {
    expect(frontEndFromSenseVoiceMetadata({ model_type: 'wenet_ctc' }, 'm')).toBeUndefined();
    expect(() => frontEndFromSenseVoiceMetadata(metadata({ lfr_window_size: '' }), 'sv.onnx')).toThrow(
      /sv\.onnx: metadata 'lfr_window_size' is missing/,
    );
    expect(() => frontEndFromSenseVoiceMetadata(metadata({ neg_mean: '1,x' }), 'sv.onnx')).toThrow(
      /'neg_mean' value 1 is not a number/,
    );
    expect(() => frontEndFromSenseVoiceMetadata(metadata({ neg_mean: '1,2,3' }), 'sv.onnx')).toThrow(
      /neg_mean has 3 values and inv_stddev 560/,
    );
  });
});
