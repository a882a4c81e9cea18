import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createFrontEnd } from './registry.js';

/**
 * asrq against values computed once by scripts/golden/frontends.py with torchaudio and torch
 * (see that script for the exact reference calls). Tolerances are max absolute differences:
 * torch computes in float32, asrq in double with float32 output.
 */
interface GoldenOutput {
  frontend: string;
  config: Record<string, unknown>;
  reference: string;
  frames: number;
  dim: number;
  offset: number;
}
interface GoldenClip {
  name: string;
  samples: number;
  offset: number;
  outputs: GoldenOutput[];
}

const fixtures = new URL('../test/fixtures/', import.meta.url);
const manifest = JSON.parse(readFileSync(new URL('golden.json', fixtures), 'utf8')) as { clips: GoldenClip[] };
const bytes = readFileSync(new URL('golden.f32', fixtures));
const floats = new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);

/** kaldi-fbank log energies compared exactly within this many nats (20 nats = 87 dB) of each frame's loudest bin. */
const DYNAMIC_RANGE = 20;

/** Max |asrq - reference| allowed, per front end. */
const TOLERANCE: Record<string, number> = {
  // log filterbank energies (natural log); typical values -15..25
  'kaldi-fbank': 2e-3,
  // normalised log-mel, values mostly within +-4
  'nemo-mel': 2e-3,
  // normalised samples
  'hf-normalize': 1e-5,
};

describe('golden values from torchaudio / NeMo / transformers', () => {
  for (const clip of manifest.clips) {
    const audio = floats.subarray(clip.offset, clip.offset + clip.samples);
    for (const golden of clip.outputs) {
      it(`${golden.frontend} ${JSON.stringify(golden.config)} on ${clip.name} equals ${golden.reference}`, () => {
        const frontEnd = createFrontEnd(golden.frontend, golden.config, 'golden.json');
        expect(frontEnd.frameCount(audio.length)).toBe(golden.frames);
        const got = frontEnd.compute(audio);
        expect([got.frames, got.dim]).toEqual([golden.frames, golden.dim]);
        const want = floats.subarray(golden.offset, golden.offset + golden.frames * golden.dim);
        let maxDiff = 0;
        let where = -1;
        let skipped = 0;
        for (let i = 0; i < want.length; i++) {
          if (golden.frontend === 'kaldi-fbank') {
            // Log energies more than DYNAMIC_RANGE below the frame's loudest bin are torch's float32
            // FFT rounding noise (a pure chirp leaves bins ~1e-14 of the peak): there both must be low.
            const row = Math.floor(i / golden.dim) * golden.dim;
            const rowMax = Math.max(...want.subarray(row, row + golden.dim));
            if (want[i]! < rowMax - DYNAMIC_RANGE) {
              expect(got.data[i]!).toBeLessThan(rowMax - DYNAMIC_RANGE + 5);
              skipped++;
              continue;
            }
          }
          const d = Math.abs(got.data[i]! - want[i]!);
          if (d > maxDiff) [maxDiff, where] = [d, i];
        }
        // Only the synthetic chirp (one tone per frame) has such bins; speech has none.
        if (clip.name !== 'chirp') expect(skipped).toBe(0);
        if (process.env.GOLDEN_VERBOSE)
          console.info(
            `${clip.name} ${golden.frontend} ${JSON.stringify(golden.config)}: max |diff| ${maxDiff.toExponential(2)} (${skipped} bins > ${DYNAMIC_RANGE} nats down) at frame ${Math.floor(where / golden.dim)} dim ${where % golden.dim}`,
          );
        expect(maxDiff).toBeLessThan(TOLERANCE[golden.frontend]!);
      });
    }
  }
});
