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
import { crc16, crc8 } from './crc.js';
import { decodeFlacFloat, decodeFlacSamples, parseFlacHeader } from './flac-decoder.js';
import { encodeWav } from './wav.js';

const flac = hasTool('flac');
if (!flac)
  console.warn(
    'flac (Debian package "flac") is not installed: the cross-checks against the reference decoder are skipped.',
  );

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
      const raw = execFileSync(
        'flac',
        ['-d', '-s', '-c', '--force-raw-format', '--endian=little', '--sign=signed', path],
        {
          maxBuffer: 1 << 26,
        },
      );
      const reference = new Int16Array(raw.buffer, raw.byteOffset, raw.byteLength / 2);
      const { channels } = decodeFlacSamples(readFileSync(path));
      expect(channels[0]!.length, file).toBe(reference.length);
      expect(
        Buffer.from(Int16Array.from(channels[0]!).buffer).equals(
          Buffer.from(reference.buffer, reference.byteOffset, reference.byteLength),
        ),
        file,
      ).toBe(true);
    }
  });

  it('skips an ID3v2 tag in front of the stream and ignores bytes after the last sample', () => {
    const bytes = readFileSync(join(defaultCorpusDir, files[1]!));
    const id3 = new Uint8Array([0x49, 0x44, 0x33, 4, 0, 0, 0, 0, 0, 20, ...new Array<number>(20).fill(0x41)]);
    const wrapped = new Uint8Array([...id3, ...bytes, ...new TextEncoder().encode('TAG trailing junk')]);
    const plain = decodeFlacSamples(bytes);
    const tagged = decodeFlacSamples(wrapped);
    expect(sampleMd5(tagged.channels, 16)).toBe(sampleMd5(plain.channels, 16));
  });

  it('decodeAudio scales 16-bit samples into [-1, 1)', () => {
    const bytes = readFileSync(join(defaultCorpusDir, files[0]!));
    const audio = decodeAudio(bytes, { name: files[0]! });
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
  const data = Buffer.from(
    wav.buffer,
    wav.byteOffset + wav.length - frames * channels * width,
    frames * channels * width,
  );
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
      expect(decoded.streamInfo).toMatchObject({
        bitsPerSample: bits,
        channels,
        sampleRate: 44100,
        totalSamples: frames,
      });
      const expected = integers(wav, channels, frames, bits);
      for (let c = 0; c < channels; c++)
        expect(
          decoded.channels[c]!.every((v, i) => v === expected[c]![i]),
          `channel ${c}`,
        ).toBe(true);
      expect(sampleMd5(decoded.channels, bits)).toBe(decoded.streamInfo.md5);
      // The float decode is the integers over 2^(bits-1), also frame by frame.
      const scale = 2 ** -(bits - 1);
      const floats = decodeFlacFloat(readFileSync(flacPath), { name: flacPath });
      const blocks: number[][] = Array.from({ length: channels }, () => []);
      decodeFlacFloat(readFileSync(flacPath), {
        onBlock: (block) => block.forEach((b, c) => b.forEach((v) => blocks[c]!.push(v))),
      });
      for (let c = 0; c < channels; c++) {
        const want = Float32Array.from(expected[c]!, (v) => v * scale);
        expect(
          floats.channels[c]!.every((v, i) => v === want[i]),
          `float channel ${c}`,
        ).toBe(true);
        expect(
          Float32Array.from(blocks[c]!).every((v, i) => v === want[i]),
          `float blocks ${c}`,
        ).toBe(true);
        expect(blocks[c]!.length).toBe(frames);
      }
    });
  }
});

/** The frames of a FLAC file, as `flac -a` (analysis mode) locates them. */
function framesOf(path: string): Uint8Array[] {
  const ana = `${path}.ana`;
  execFileSync('flac', ['-s', '-f', '-a', path, '-o', ana]);
  const bytes = readFileSync(path);
  return [...readFileSync(ana, 'utf8').matchAll(/^frame=\d+\toffset=(\d+)\tbits=(\d+)/gm)].map((m) =>
    bytes.subarray(Number(m[1]), Number(m[1]) + Number(m[2]) / 8),
  );
}

/** UTF-8-style coded number of a FLAC frame header (up to 36 bits). */
function codedNumber(value: number): number[] {
  if (value < 0x80) return [value];
  const out: number[] = [];
  let rest = value;
  while (rest >= 2 ** (6 - out.length)) {
    out.unshift(0x80 | (rest & 0x3f));
    rest = Math.floor(rest / 64);
  }
  const lead = (0xff << (7 - out.length)) & 0xff;
  return [lead | rest, ...out];
}

describe.skipIf(!flac)('variable block sizes', () => {
  it('decodes a variable-blocksize stream spliced from frames libFLAC wrote at two block sizes', () => {
    const frames = 30000;
    const [a, b] = [signal(1, frames, 16)[0]!, signal(1, frames, 16)[0]!.map((v) => -v)];
    const parts = [
      { samples: a, blockSize: 1152 },
      { samples: b, blockSize: 4608 },
    ].map(({ samples, blockSize }, i) => {
      const wav = join(work, `vbs-${i}.wav`);
      const out = join(work, `vbs-${i}.flac`);
      writeFileSync(wav, encodeWav([samples], 16000));
      execFileSync('flac', ['-s', '-f', `--blocksize=${blockSize}`, '-o', out, wav]);
      return { bytes: readFileSync(out), frames: framesOf(out), blockSize };
    });
    // Rewrite every frame header for the variable strategy: sync bit 0 set, sample number instead of frame number.
    const spliced: number[] = [];
    let sample = 0;
    for (const part of parts) {
      part.frames.forEach((frame, index) => {
        const blockSize = index === part.frames.length - 1 ? frames - index * part.blockSize : part.blockSize;
        const header = [frame[0]!, frame[1]! | 1, frame[2]!, frame[3]!, ...codedNumber(sample)];
        // Optional block size / sample rate fields between the coded number and the CRC-8.
        const headerRest = frame.subarray(4 + codedLength(frame), frameHeaderLength(frame) - 1);
        const rebuilt = new Uint8Array([...header, ...headerRest, 0, ...frame.subarray(frameHeaderLength(frame))]);
        const crcAt = header.length + headerRest.length;
        rebuilt[crcAt] = crc8(rebuilt, 0, crcAt);
        const end = rebuilt.length - 2;
        const crc = crc16(rebuilt, 0, end);
        rebuilt[end] = crc >> 8;
        rebuilt[end + 1] = crc & 0xff;
        spliced.push(...rebuilt);
        sample += blockSize;
      });
    }
    const head = Uint8Array.from(parts[0]!.bytes.subarray(0, parseFlacHeader(parts[0]!.bytes).audioOffset));
    const view = new DataView(head.buffer);
    const streamInfo = 8; // "fLaC" + block header
    view.setUint16(streamInfo, 1152);
    view.setUint16(streamInfo + 2, 4608);
    // Total samples: the low 4 bits of byte 13 of STREAMINFO and the 32 bits after them.
    head[streamInfo + 13] = (head[streamInfo + 13]! & 0xf0) | Math.floor(sample / 2 ** 32);
    view.setUint32(streamInfo + 14, sample >>> 0);
    head.fill(0, streamInfo + 18, streamInfo + 34); // MD5 unset: libFLAC then skips its check
    const splicedBytes = new Uint8Array([...head, ...spliced]);
    const decoded = decodeFlacSamples(splicedBytes, { name: 'spliced.flac' });
    expect(decoded.streamInfo.totalSamples).toBe(2 * frames);
    // libFLAC itself accepts the spliced stream and decodes the same samples.
    const splicedPath = join(work, 'spliced.flac');
    writeFileSync(splicedPath, splicedBytes);
    const raw = execFileSync(
      'flac',
      ['-d', '-s', '-c', '--force-raw-format', '--endian=little', '--sign=signed', splicedPath],
      { maxBuffer: 1 << 24 },
    );
    expect(Array.from(new Int16Array(raw.buffer, raw.byteOffset, raw.byteLength / 2))).toEqual(
      Array.from(decoded.channels[0]!),
    );
    const expected = [...a, ...b].map((v) => Math.max(-32768, Math.min(32767, Math.round(v * 32768))));
    expect(Array.from(decoded.channels[0]!)).toEqual(expected);
  });
});

/** Bytes of the coded frame/sample number at byte 4 of a frame header (count of leading 1 bits, or 1). */
function codedLength(frame: Uint8Array): number {
  const first = frame[4]!;
  return first < 0x80 ? 1 : Math.clz32(~(first << 24));
}

/** Byte length of a frame header including its CRC-8. */
function frameHeaderLength(frame: Uint8Array): number {
  let at = 4 + codedLength(frame);
  const blockCode = frame[2]! >> 4;
  const rateCode = frame[2]! & 0x0f;
  if (blockCode === 6) at += 1;
  if (blockCode === 7) at += 2;
  if (rateCode === 12) at += 1;
  if (rateCode === 13 || rateCode === 14) at += 2;
  return at + 1;
}

describe('damaged and foreign input', () => {
  const name = files[0]!;
  const good = readFileSync(join(defaultCorpusDir, name));

  it('reports a truncated file with its name and how much is missing', () => {
    expectDecodeError(
      () => decodeFlacSamples(good.subarray(0, Math.floor(good.length / 2)), { name }),
      'AUDIO_DECODE_FAILED',
      name,
      'truncated',
    );
    expectDecodeError(() => decodeAudio(good.subarray(0, 20), { name }), 'AUDIO_DECODE_FAILED', name, 'STREAMINFO');
  });

  it('reports a file cut exactly after a frame as truncated', () => {
    const { streamInfo } = parseFlacHeader(good);
    const noFrames = good.subarray(0, parseFlacHeader(good).audioOffset);
    expectDecodeError(
      () => decodeFlacSamples(noFrames, { name }),
      'AUDIO_DECODE_FAILED',
      `0 of the ${streamInfo.totalSamples} samples`,
    );
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
    expectDecodeError(
      () =>
        decodeAudio(new TextEncoder().encode('ID3\u0004\u0000\u0000\u0000\u0000\u0000\u0000MP3 data'), {
          name: 'a.mp3',
        }),
      'AUDIO_UNSUPPORTED_FORMAT',
      'a.mp3',
      'MP3',
    );
    expectDecodeError(
      () => decodeAudio(new TextEncoder().encode('OggS....'), { name: 'a.opus' }),
      'AUDIO_UNSUPPORTED_FORMAT',
      'Ogg',
    );
    expectDecodeError(() => decodeAudio(new Uint8Array(0), { name: 'empty.wav' }), 'AUDIO_UNSUPPORTED_FORMAT', 'empty');
  });
});
