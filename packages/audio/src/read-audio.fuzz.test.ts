import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultCorpusDir } from '@asrq/fixtures';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { fuzzRuns, mutate, mutationsArb, valueOrAsrqErrorAsync } from '../../../scripts/fuzz/kit.js';
import { parseFlacHeader } from './flac-decoder.js';
import { probeAudio, readAudio } from './read-audio.js';
import { encodeWav } from './wav.js';

const work = mkdtempSync(join(tmpdir(), 'asrq-read-audio-fuzz-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const flac = new Uint8Array(readFileSync(join(defaultCorpusDir, '116', '1000', '116-1000-0035.flac')));
const tone = Float32Array.from({ length: 700 }, (_, i) => 0.4 * Math.sin(i / 5));
const FILES: Uint8Array[] = [encodeWav([tone], 16000), encodeWav([tone, tone], 44100, { bitsPerSample: 24 })];
// A FLAC cut after its metadata and about 4 KB of frames (FLAC parsing itself is fuzzed in
// flac-decoder.fuzz.test.ts). readAudio trusts STREAMINFO's claimed length only when the file
// could hold it: a corrupt claim of 2^36 samples was a RangeError before.
const FLAC_PREFIX = flac.subarray(0, parseFlacHeader(flac, 'fixture').audioOffset + 4000);

let counter = 0;
/** The file readers (probe, whole-file and block-streamed decoding) give audio or an AUDIO_* error naming the file. */
async function check(bytes: Uint8Array): Promise<void> {
  const path = join(work, `f${counter++ % 4}.audio`);
  writeFileSync(path, bytes);
  await valueOrAsrqErrorAsync(() => probeAudio(path), /^AUDIO_/);
  await valueOrAsrqErrorAsync(() => readAudio(path, { sampleRate: 16000 }), /^AUDIO_/);
  const samples = await valueOrAsrqErrorAsync(() => readAudio(path, { sampleRate: 8000 }), /^AUDIO_/);
  if (samples) for (let i = 0; i < samples.length; i += 97) expect(Number.isFinite(samples[i]!)).toBe(true);
}

describe('fuzz: probeAudio and readAudio on mutated files give audio or an AUDIO_* error', () => {
  it('mutated WAV files (probe, read at 16 and 8 kHz)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: FILES.length - 1 }),
        mutationsArb(3),
        fc.boolean(),
        async (which, mutations, headerOnly) => check(mutate(FILES[which]!, mutations, headerOnly ? 64 : undefined)),
      ),
      fuzzRuns(2001, 150),
    );
  });

  it('probeAudio on mutated FLAC files', async () => {
    await fc.assert(
      fc.asyncProperty(mutationsArb(3), async (mutations) => {
        const path = join(work, 'probe.flac');
        writeFileSync(path, mutate(FLAC_PREFIX, mutations, 64));
        await valueOrAsrqErrorAsync(() => probeAudio(path), /^AUDIO_/);
      }),
      fuzzRuns(2002, 150),
    );
  });

  it('readAudio on mutated FLAC files (header and frames)', async () => {
    await fc.assert(
      fc.asyncProperty(mutationsArb(3), fc.boolean(), async (mutations, headerOnly) =>
        check(mutate(FLAC_PREFIX, mutations, headerOnly ? 64 : undefined)),
      ),
      fuzzRuns(2003, 150),
    );
  });

  it('a FLAC whose STREAMINFO claims an impossible length decodes what it holds', async () => {
    const bytes = new Uint8Array(FLAC_PREFIX);
    const info = parseFlacHeader(bytes, 'fixture');
    // total samples: the low 36 bits of STREAMINFO bytes 13..17 (after the 4-byte "fLaC" and 4-byte block header).
    const at = 8 + 13;
    bytes[at] = (bytes[at]! & 0xf0) | 0x0f;
    bytes.fill(0xff, at + 1, at + 5);
    expect(parseFlacHeader(bytes, 'fixture').streamInfo.totalSamples).toBeGreaterThan(2 ** 35);
    const path = join(work, 'claims-too-much.flac');
    writeFileSync(path, bytes);
    const samples = await valueOrAsrqErrorAsync(
      () => readAudio(path, { sampleRate: info.streamInfo.sampleRate }),
      /^AUDIO_/,
    );
    if (samples) expect(samples.length).toBeLessThan(10 * 4000 * 8192);
  });

  it('error messages name the file', async () => {
    const path = join(work, 'broken.wav');
    writeFileSync(path, FILES[0]!.subarray(0, 30));
    await expect(readAudio(path)).rejects.toThrow(expect.objectContaining({ message: expect.stringContaining(path) }));
  });
});
