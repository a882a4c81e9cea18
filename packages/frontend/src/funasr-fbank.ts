import { badConfig, resolveWithSchema, type ConfigSchema } from './config.js';
import { kaldiFbankFrontEnd, kaldiFbankSchema } from './kaldi-fbank.js';
import type { KaldiFbankConfig } from './kaldi-fbank-config.js';
import { applyGlobalCmvn, lfrFrameCount, stackLowFrameRate } from './lfr.js';
import type { FrontEnd, FrontEndDefinition } from './types.js';

/**
 * Config of `funasr-fbank`: every `kaldi-fbank` option, then low-frame-rate stacking and global
 * CMVN, as FunASR's `WavFrontend` computes the input of SenseVoice and Paraformer.
 */
export interface FunasrFbankConfig extends KaldiFbankConfig {
  /** Frames stacked per output frame (FunASR's `lfr_m`; 7 for SenseVoice). */
  lfrM: number;
  /** Input frames between output frames (`lfr_n`; 6 for SenseVoice). */
  lfrN: number;
  /** Minus the mean of each stacked feature (`neg_mean` of sherpa-onnx's metadata, from FunASR's am.mvn); null: no CMVN. */
  cmvnNegMean: number[] | null;
  /** One over the standard deviation of each stacked feature (`inv_stddev`); null: no CMVN. */
  cmvnInvStddev: number[] | null;
}

const schema: ConfigSchema<FunasrFbankConfig> = {
  ...kaldiFbankSchema,
  lfrM: { type: 'number', integer: true, min: 1 },
  lfrN: { type: 'number', integer: true, min: 1 },
  cmvnNegMean: { type: 'numbers', nullable: true },
  cmvnInvStddev: { type: 'numbers', nullable: true },
};

function createFunasrFbank(config: FunasrFbankConfig): FrontEnd<FunasrFbankConfig> {
  const { lfrM, lfrN, cmvnNegMean, cmvnInvStddev, ...fbankConfig } = config;
  const fbank = kaldiFbankFrontEnd.create(fbankConfig);
  const dim = fbank.dim * lfrM;
  if ((cmvnNegMean === null) !== (cmvnInvStddev === null))
    badConfig('funasr-fbank', 'cmvnNegMean and cmvnInvStddev come together: give both or neither.');
  for (const [key, values] of [
    ['cmvnNegMean', cmvnNegMean],
    ['cmvnInvStddev', cmvnInvStddev],
  ] as const) {
    if (values !== null && values.length !== dim)
      badConfig(
        'funasr-fbank',
        `${key} has ${values.length} values but the stacked features have ${dim} (${fbank.dim} bins x lfrM ${lfrM}).`,
      );
  }
  const negMean = cmvnNegMean === null ? undefined : Float32Array.from(cmvnNegMean);
  const invStddev = cmvnInvStddev === null ? undefined : Float32Array.from(cmvnInvStddev);
  const frameCount = (samples: number): number => lfrFrameCount(fbank.frameCount(samples), lfrN);
  return {
    name: 'funasr-fbank',
    kind: 'features',
    config: { ...config },
    sampleRate: fbank.sampleRate,
    dim,
    hopSamples: fbank.hopSamples * lfrN,
    minSamples: fbank.minSamples,
    padValue: config.padValue,
    frameCount,
    compute(audio, out) {
      const stacked = stackLowFrameRate(fbank.compute(audio), lfrM, lfrN, out);
      if (negMean && invStddev) applyGlobalCmvn(stacked, negMean, invStddev);
      return stacked;
    },
  };
}

/**
 * `funasr-fbank`: FunASR's WavFrontend (Kaldi fbank on int16-range samples, Hamming window,
 * snip edges), low-frame-rate stacking and global CMVN; what sherpa-onnx feeds SenseVoice.
 */
export const funasrFbankFrontEnd: FrontEndDefinition<FunasrFbankConfig> = {
  name: 'funasr-fbank',
  description:
    "FunASR's WavFrontend: Kaldi fbank (hamming, snip edges, int16-range samples), low-frame-rate stacking (lfrM x lfrN) and global CMVN; SenseVoice as sherpa-onnx feeds it.",
  kind: 'features',
  defaults: {
    ...kaldiFbankFrontEnd.defaults,
    windowType: 'hamming',
    sampleScale: 32768,
    energyFloor: 0,
    lfrM: 7,
    lfrN: 6,
    cmvnNegMean: null,
    cmvnInvStddev: null,
  },
  resolveConfig(partial, source) {
    const config = resolveWithSchema('funasr-fbank', schema, this.defaults, partial, source);
    return {
      ...config,
      cmvnNegMean: config.cmvnNegMean && [...config.cmvnNegMean],
      cmvnInvStddev: config.cmvnInvStddev && [...config.cmvnInvStddev],
    };
  },
  create: createFunasrFbank,
};
