import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AsrqError } from '@asrq/core';
import { defaultCorpusDir } from '@asrq/fixtures';
import { afterAll, describe, expect, it } from 'vitest';
import golden from '../test/fixtures/flac-golden.json' with { type: 'json' };
import { sampleMd5 } from '../test/sample-hash.js';
import { hasTool } from '../test/tools.js';
import { decodeAudio } from './decode.js';
import { decodeFlacSamples, parseFlacHeader } from './flac-decoder.js';
import { encodeWav } from './wav.js';

const flac = hasTool('flac');
if (!flac) console.warn('flac (Debian package "flac") is not installed: the cross-checks against the reference decoder are skipped.');

const files = readdirSync(defaultCorpusDir, { recursive: true, encoding: 'utf8' })
  .filter((f) => f.endsWith('.flac'))
  .sort();
const work = mkdtempSync(join(tmpdir(), 'asrq-audio-flac-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function expectDecodeError(fn: () => unknown, code: string, ...fragments: string[]): void {
  try {
    fn();
  } catch (error) {
    expect(AsrqError.isInstance(error)).toBe(true);
    expect((error as AsrqError).code).toBe(code);
    for (const fragment of fragments) expect((error as Error).message).toContain(fragment);
    return;
  }
  throw new Error('expected an error');
}

describe('FLAC decoding of the bundled corpus', () => {
  it('finds all 40 bundled files', () => {
    expect(files).toHaveLength(40);
    expect(Object.keys(golden).sort()).toEqual(files);
  });

  it('matches the committed golden sample hashes and the encoder STREAMINFO MD5', () => {
    const table = golden as Record<string, { samples: number; md5: string }>;
    for (const file of files) {
      const { streamInfo, channels } = decodeFlacSamples(readFileSync(join(defaultCorpusDir, file)), { name: file });
      const md5 = sampleMd5(channels, streamInfo.bitsPerSample);
      expect(channels[0]!.length, file).toBe(table[file]!.samples);
      expect(md5, file).toBe(table[file]!.md5);
      expect(md5, file).toBe(streamInfo.md5);
    }
  });

  it.skipIf(!flac)('equals the samples `flac -d` gives, for every bundled file', () => {
    for (const file of files) {
      const path = join(defaultCorpusDir, file);
      const raw = execFileSync('flac', ['-d', '-s', '-c', '--force-raw-format', '--endian=little', '--sign=signed', path], {
        maxBuffer: 1 << 26,
      });
      const reference = new Int16Array(raw.buffer, raw.byteOffset, raw.byteLength / 2);
      const { channels } = decodeFlacSamples(readFileSync(path));
      expect(channels[0]!.length, file).toBe(reference.length);
      expect(Buffer.from(Int16Array.from(channels[0]!).buffer).equals(Buffer.from(reference.buffer, reference.byteOffset, reference.byteLength)), file).toBe(true);
    }
  });

  it('decodeAudio scales 16-bit samples into [-1, 1)', () => {
    const bytes = readFileSync(join(defaultCorpusDir, files[0]!));
    const audio = decodeAudio(bytes, { name: files[0] });
    const { channels } = decodeFlacSamples(bytes);
    expect(audio).toMatchObject({ format: 'flac', sampleRate: 16000, bitsPerSample: 16 });
    expect(audio.channels).toHaveLength(1);
    for (let i = 0; i < 1000; i++) expect(audio.channels[0]![i]).toBe(channels[0]![i]! / 32768);
  });
});

/** A noisy multi-tone signal that exercises every predictor; channel c differs so stereo decorrelation matters. */
function signal(channels: number, frames: number, bits: number): Float32Array[] {
  let seed = 12345;
  return Array.from({ length: channels }, (_, c) => {
    const out = new Float32Array(frames);
    for (let i = 0; i < frames; i++) {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      const noise = (seed / 2 ** 32 - 0.5) * (bits === 8 ? 0.2 : 0.6);
      // Full scale, clipped: the side channel of 32-bit audio then needs all 33 bits.
      out[i] = Math.max(-1, Math.min(1, 0.8 * Math.sin(i * 0.031 * (c + 1)) + 0.5 * Math.sin(i * 0.0071) + noise));
    }
    return out;
  });
}

function integers(wav: Uint8Array, channels: number, frames: number, bits: number): Int32Array[] {
  const width = bits / 8;
  const data = Buffer.from(wav.buffer, wav.byteOffset + wav.length - frames * channels * width, frames * channels * width);
  return Array.from({ length: channels }, (_, c) => {
    const out = new Int32Array(frames);
    for (let i = 0; i < frames; i++) {
      const at = (i * channels + c) * width;
      out[i] = bits === 8 ? data[at]! - 128 : data.readIntLE(at, width);
    }
    return out;
  });
}

describe.skipIf(!flac)('FLAC variants written by libFLAC (flac tool)', () => {
  const cases: { bits: 8 | 16 | 24 | 32; channels: number; args: string[] }[] = [
    { bits: 8, channels: 1, args: ['-5'] },
    { bits: 16, channels: 2, args: ['-8', '--blocksize=192'] },
    { bits: 16, channels: 1, args: ['-0', '--blocksize=4608'] },
    { bits: 24, channels: 2, args: ['-8', '--lax', '--blocksize=65535'] },
    { bits: 24, channels: 3, args: ['--lax', '-l', '32', '-p', '-e', '--blocksize=1000'] },
    { bits: 32, channels: 2, args: ['-8', '--lax', '-b', '16384'] },
    { bits: 32, channels: 1, args: ['-6', '--lax', '--blocksize=576'] },
  ];
  for (const { bits, channels, args } of cases) {
    it(`${bits}-bit, ${channels} channel(s), flac ${args.join(' ')}: lossless round trip`, () => {
      const frames = 20011;
      const wav = encodeWav(signal(channels, frames, bits), 44100, { bitsPerSample: bits });
      const wavPath = join(work, `in-${bits}-${channels}.wav`);
      const flacPath = join(work, `out-${bits}-${channels}.flac`);
      writeFileSync(wavPath, wav);
      execFileSync('flac', ['-s', '-f', '--channel-map=none', ...args, '-o', flacPath, wavPath]);
      const decoded = decodeFlacSamples(readFileSync(flacPath), { name: flacPath });
      expect(decoded.streamInfo).toMatchObject({ bitsPerSample: bits, channels, sampleRate: 44100, totalSamples: frames });
      const expected = integers(wav, channels, frames, bits);
      for (let c = 0; c < channels; c++) expect(decoded.channels[c]!.every((v, i) => v === expected[c]![i]), `channel ${c}`).toBe(true);
      expect(sampleMd5(decoded.channels, bits)).toBe(decoded.streamInfo.md5);
    });
  }
});

describe('damaged and foreign input', () => {
  const name = files[0]!;
  const good = readFileSync(join(defaultCorpusDir, name));

  it('reports a truncated file with its name and how much is missing', () => {
    expectDecodeError(() => decodeFlacSamples(good.subarray(0, Math.floor(good.length / 2)), { name }), 'AUDIO_DECODE_FAILED', name, 'truncated');
    expectDecodeError(() => decodeAudio(good.subarray(0, 20), { name }), 'AUDIO_DECODE_FAILED', name, 'STREAMINFO');
  });

  it('reports a file cut exactly after a frame as truncated', () => {
    const { streamInfo } = parseFlacHeader(good);
    const noFrames = good.subarray(0, parseFlacHeader(good).audioOffset);
    expectDecodeError(() => decodeFlacSamples(noFrames, { name }), 'AUDIO_DECODE_FAILED', `0 of the ${streamInfo.totalSamples} samples`);
  });

  it('detects corrupted bytes through the frame CRCs', () => {
    const { audioOffset } = parseFlacHeader(good);
    for (const at of [audioOffset + 2, audioOffset + 200, Math.floor(good.length * 0.7)]) {
      const bad = Uint8Array.from(good);
      bad[at] = bad[at]! ^ 0x10;
      expectDecodeError(() => decodeFlacSamples(bad, { name }), 'AUDIO_DECODE_FAILED', name, 'frame');
    }
  });

  it('names what an unsupported file looks like', () => {
    expectDecodeError(() => decodeAudio(new TextEncoder().encode('ID3\u0004\u0000\u0000\u0000\u0000\u0000\u0000MP3 data'), { name: 'a.mp3' }), 'AUDIO_UNSUPPORTED_FORMAT', 'a.mp3', 'MP3');
    expectDecodeError(() => decodeAudio(new TextEncoder().encode('OggS....'), { name: 'a.opus' }), 'AUDIO_UNSUPPORTED_FORMAT', 'Ogg');
    expectDecodeError(() => decodeAudio(new Uint8Array(0), { name: 'empty.wav' }), 'AUDIO_UNSUPPORTED_FORMAT', 'empty');
  });
});
