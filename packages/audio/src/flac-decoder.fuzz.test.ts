import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { defaultCorpusDir } from '@asrq/fixtures';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fuzzRuns, fuzzTimeout, mutate, mutationsArb, valueOrAsrqError } from '../../../scripts/fuzz/kit.js';
import { decodeFlacSamples, parseFlacHeader } from './flac-decoder.js';

/** The smallest bundled FLAC file (34 KB), cut to its first few frames to keep each run cheap. */
const FULL = new Uint8Array(readFileSync(join(defaultCorpusDir, '116', '1000', '116-1000-0035.flac')));
const { audioOffset } = parseFlacHeader(FULL, 'fixture');

/** STREAMINFO's total-samples field (36 bits) rewritten: the stream then claims `total` samples. */
function claimSamples(bytes: Uint8Array, total: number): Uint8Array {
  const out = bytes.slice();
  // fLaC (4) + block header (4) + min/max block size (4) + min/max frame size (6) + rate/channels/bps (20+3+5 bits).
  const at = 8 + 13;
  out[at] = (out[at]! & 0xf0) | Math.floor(total / 2 ** 32);
  new DataView(out.buffer).setUint32(at + 1, total % 2 ** 32);
  return out;
}

function checkDecode(bytes: Uint8Array): void {
  const result = valueOrAsrqError(() => decodeFlacSamples(bytes, { name: 'fuzz.flac' }), /^AUDIO_/);
  if (!result) return;
  expect(result.channels.length).toBe(result.streamInfo.channels);
  expect(result.channels[0]!.length).toBeGreaterThan(0);
}

describe('fuzz: FLAC decoder gives samples or an AUDIO_* error', () => {
  it('on mutated files (bit flips, truncation, splices, huge fields), metadata and frames', {
    timeout: fuzzTimeout(60_000),
  }, () => {
    // Mutations in the metadata and first frames, on a copy cut after about 6 KB of frames.
    const prefix = claimSamples(FULL.subarray(0, audioOffset + 6000), 0);
    fc.assert(
      fc.property(mutationsArb(4), fc.boolean(), (mutations, headerOnly) =>
        checkDecode(mutate(prefix, mutations, headerOnly ? audioOffset + 64 : undefined)),
      ),
      fuzzRuns(1301, 400),
    );
  });

  it('does not allocate what a corrupt STREAMINFO claims: 2^36 - 1 samples is a truncation error', () => {
    const bytes = claimSamples(FULL, 2 ** 36 - 1);
    expect(() => decodeFlacSamples(bytes, { name: 'huge.flac' })).toThrow(
      expect.objectContaining({
        code: 'AUDIO_DECODE_FAILED',
        message: expect.stringMatching(/huge\.flac: file is truncated/),
      }),
    );
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 36 - 1 }), (total) =>
        checkDecode(claimSamples(FULL.subarray(0, audioOffset + 3000), total)),
      ),
      fuzzRuns(1302, 100),
    );
  });

  it('on random bytes behind a fLaC marker and a valid STREAMINFO', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400 }), (tail) => {
        const bytes = new Uint8Array(audioOffset + tail.length);
        bytes.set(FULL.subarray(0, audioOffset));
        bytes.set(tail, audioOffset);
        checkDecode(bytes);
      }),
      fuzzRuns(1303, 500),
    );
  });

  it('names the file for a stream without samples (AUDIO_EMPTY)', () => {
    const bytes = claimSamples(FULL.subarray(0, audioOffset), 0);
    expect(() => decodeFlacSamples(bytes, { name: 'clips/empty.flac' })).toThrow(
      expect.objectContaining({ code: 'AUDIO_EMPTY', message: expect.stringContaining('clips/empty.flac') }),
    );
  });
});
