import { describe, expect, it } from 'vitest';
import { fc, fuzzRuns, fuzzTimeout, valueOrAsrqError } from '../../../scripts/fuzz/kit.js';
import { MAX_FEATURE_DIM, MAX_FEATURE_RATE } from './config.js';
import { createFrontEnd, frontEndNames, getFrontEndDefinition } from './registry.js';

/** Values a config file (or `--frontend-config`) might hold for any key: defaults, extremes, wrong types. */
const value: fc.Arbitrary<unknown> = fc.oneof(
  fc.double(),
  fc.integer(),
  fc.integer({ min: 0, max: 4096 }),
  fc.double({ min: 0, max: 2, noNaN: true }),
  fc.constantFrom(0, -0, 1, 2, 1e-9, -1, 1e6, 5e6, 1e9, 1e12, 2 ** 31, 2 ** 53, Number.NaN, Number.POSITIVE_INFINITY),
  fc.constantFrom(8000, 16000, 44100, 768000, 768001, 999, 0.01, 0.025, 10, 25, 80, 128, 512, 1024, 1025),
  fc.constantFrom<unknown>(null, true, false, 'x', '16000', [], {}),
  fc.constantFrom('povey', 'hann', 'hamming', 'per_feature', 'none', 'all_features', 'add', 'clamp', 'slaney'),
);

/** A partial config: a few of the front end's own keys (and now and then an unknown one) with fuzzed values. */
function configArb(name: string): fc.Arbitrary<Record<string, unknown>> {
  const keys = [...Object.keys(getFrontEndDefinition(name).defaults as object), 'notAnOption'];
  return fc.dictionary(fc.constantFrom(...keys), value, { maxKeys: 5 });
}

/** Up to 50 ms of a seeded noisy tone at the front end's rate. */
function signal(samples: number, seed: number): Float32Array {
  const out = new Float32Array(samples);
  let s = seed >>> 0 || 1;
  for (let i = 0; i < samples; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = 0.3 * Math.sin(i / 9) + 0.1 * (s / 2 ** 32 - 0.5);
  }
  return out;
}

describe('fuzz: front-end configs give a bounded front end or FRONTEND_BAD_CONFIG', () => {
  it(
    'on partial configs of every front end with extreme, non-finite and mistyped values',
    () => {
      fc.assert(
        fc.property(
          fc.constantFrom(...frontEndNames()).chain((name) => fc.tuple(fc.constant(name), configArb(name))),
          fc.nat(),
          ([name, config], seed) => {
            const frontEnd = valueOrAsrqError(() => createFrontEnd(name, config, 'fuzz.json'), /^FRONTEND_BAD_CONFIG$/);
            if (!frontEnd) return;
            expect(frontEnd.sampleRate).toBeGreaterThanOrEqual(1000);
            expect(frontEnd.sampleRate).toBeLessThanOrEqual(768_000);
            expect(frontEnd.hopSamples).toBeGreaterThanOrEqual(1);
            if (frontEnd.kind === 'features') {
              // The size of a long file's features is bounded by the config, whatever it says.
              expect(frontEnd.dim).toBeLessThanOrEqual(MAX_FEATURE_DIM + 1);
              expect((frontEnd.dim * frontEnd.sampleRate) / frontEnd.hopSamples).toBeLessThanOrEqual(MAX_FEATURE_RATE);
            }
            const samples = Math.max(frontEnd.minSamples, Math.floor(frontEnd.sampleRate / 20));
            const features = frontEnd.compute(signal(samples, seed));
            expect(features.frames).toBe(frontEnd.frameCount(samples));
            expect(features.dim).toBe(frontEnd.dim);
            for (let i = 0; i < features.frames * features.dim; i++)
              expect(Number.isNaN(features.data[i]!), `${name} ${JSON.stringify(config)}`).toBe(false);
          },
        ),
        fuzzRuns(31, 300),
      );
    },
    fuzzTimeout(120_000),
  );

  it('refuses the values the fault probe used', () => {
    for (const [name, config] of [
      ['kaldi-fbank', { sampleRate: 1e12 }],
      ['kaldi-fbank', { numMelBins: 1e9 }],
      ['nemo-mel', { features: 1024, frameSplicing: 32 }],
      ['nemo-mel', { nWindowStride: 1, features: 80 }],
      ['kaldi-fbank', { frameLengthMs: 100, roundToPowerOfTwo: false, sampleRate: 48000 }],
    ] as const)
      expect(() => createFrontEnd(name, config, 'cfg.json')).toThrow(
        expect.objectContaining({ code: 'FRONTEND_BAD_CONFIG' }),
      );
  });
});
