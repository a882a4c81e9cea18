import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fuzzRuns, mutate, mutationsArb, valueOrAsrqError } from '../../../scripts/fuzz/kit.js';
import { decodeAudio } from './decode.js';
import { decodeWav, encodeWav, parseWavHeader } from './wav.js';

function tone(length: number, phase: number): Float32Array {
  const x = new Float32Array(length);
  for (let i = 0; i < length; i++) x[i] = 0.5 * Math.sin(phase + i / 7);
  return x;
}

/** Valid WAVs of every supported encoding, small enough to mutate quickly. */
const VALID: Uint8Array[] = [
  encodeWav([tone(300, 0)], 16000),
  encodeWav([tone(200, 1), tone(200, 2)], 8000, { bitsPerSample: 24 }),
  encodeWav([tone(100, 3)], 44100, { float: true }),
  encodeWav([tone(150, 4)], 16000, { bitsPerSample: 8 }),
  encodeWav([tone(120, 5), tone(120, 6), tone(120, 7)], 22050, { bitsPerSample: 32 }),
];

/** decodeWav either decodes (and then every sample is finite and within what the encoding allows) or throws AUDIO_*. */
function checkDecode(bytes: Uint8Array): void {
  const wav = valueOrAsrqError(() => decodeWav(bytes, 'fuzz.wav'), /^AUDIO_/);
  if (!wav) return;
  expect(wav.channels.length).toBeGreaterThan(0);
  const frames = wav.channels[0]!.length;
  expect(frames).toBeGreaterThan(0);
  // Never more samples than the bytes can hold.
  expect(frames * wav.channels.length * (wav.bitsPerSample / 8)).toBeLessThanOrEqual(bytes.length);
}

describe('fuzz: WAV reader gives audio or an AUDIO_* error', () => {
  it('on mutated valid files (bit flips, truncation, splices, huge chunk sizes)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: VALID.length - 1 }),
        mutationsArb(4),
        fc.boolean(),
        (which, mutations, headerOnly) => {
          const bytes = mutate(VALID[which]!, mutations, headerOnly ? 64 : undefined);
          checkDecode(bytes);
          valueOrAsrqError(() => decodeAudio(bytes, { name: 'fuzz.wav' }), /^AUDIO_/);
          // A probe reads a prefix of the file but is told its full size.
          valueOrAsrqError(
            () => parseWavHeader(bytes.subarray(0, 48), bytes.length + 1_000_000, 'fuzz.wav'),
            /^AUDIO_/,
          );
        },
      ),
      fuzzRuns(1201, 1500),
    );
  });

  it('on random bytes behind a RIFF/WAVE header', () => {
    const riff = new TextEncoder().encode('RIFF\0\0\0\0WAVE');
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (tail) => {
        const bytes = new Uint8Array(riff.length + tail.length);
        bytes.set(riff);
        bytes.set(tail, riff.length);
        checkDecode(bytes);
      }),
      fuzzRuns(1202, 500),
    );
  });

  it('names the file for a WAV without samples (AUDIO_EMPTY), and keeps 1-sample files', () => {
    const empty = encodeWav([new Float32Array(0)], 16000);
    expect(() => decodeWav(empty, 'clips/empty.wav')).toThrow(
      expect.objectContaining({ code: 'AUDIO_EMPTY', message: expect.stringContaining('clips/empty.wav') }),
    );
    expect(() => parseWavHeader(empty, empty.length, 'clips/empty.wav')).toThrow(
      expect.objectContaining({ code: 'AUDIO_EMPTY' }),
    );
    expect(decodeWav(encodeWav([new Float32Array(1)], 16000), 'one.wav').channels[0]).toHaveLength(1);
  });

  it('refuses a sample rate no recording has (a corrupt header would otherwise ask the resampler for gigabytes)', () => {
    for (const rate of [1, 999, 768001, 0x7fffffff]) {
      const bytes = encodeWav([tone(50, 0)], 16000);
      new DataView(bytes.buffer).setUint32(24, rate, true);
      expect(() => parseWavHeader(bytes, bytes.length, 'odd.wav')).toThrow(
        expect.objectContaining({
          code: 'AUDIO_UNSUPPORTED_FORMAT',
          message: expect.stringContaining(`odd.wav: sample rate ${rate} Hz is outside 1000..768000 Hz`),
        }),
      );
    }
    for (const rate of [1000, 8000, 768000]) {
      const bytes = encodeWav([tone(50, 0)], rate);
      expect(decodeWav(bytes, 'ok.wav').sampleRate).toBe(rate);
    }
  });
});
