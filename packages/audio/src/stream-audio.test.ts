import { execFileSync } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultCorpusDir } from '@asrq/fixtures';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasTool } from '../test/tools.js';
import { decodeAudio } from './decode.js';
import { downmix } from './downmix.js';
import { decodeFlacSamples } from './flac-decoder.js';
import { readAudio } from './read-audio.js';
import { resample } from './resample.js';
import { openAudioStream } from './stream-audio.js';
import { StreamResampler } from './stream-resampler.js';
import { AUDIO_DEFAULTS } from './defaults.js';
import { encodeWav } from './wav.js';

/** The reference: the whole file decoded, mixed and resampled in one go. */
function wholeFile(bytes: Uint8Array, rate: number): Float32Array {
  const audio = decodeAudio(bytes, { name: 'x' });
  return resample(downmix(audio), audio.sampleRate, rate);
}

async function streamed(path: string, rate: number, blockFrames: number): Promise<Float32Array> {
  const stream = await openAudioStream(path, { sampleRate: rate, blockFrames });
  const blocks: Float32Array[] = [];
  for await (const block of stream.blocks()) blocks.push(block);
  const out = new Float32Array(blocks.reduce((n, b) => n + b.length, 0));
  let at = 0;
  for (const b of blocks) {
    out.set(b, at);
    at += b.length;
  }
  expect(out.length).toBe(stream.length);
  return out;
}

/** Index of the first differing sample, or -1: equality sample for sample, bit for bit. */
function firstDifference(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) return Math.min(a.length, b.length);
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return i;
  return -1;
}

function noise(n: number, seed: number): Float32Array {
  const out = new Float32Array(n);
  let s = seed;
  for (let i = 0; i < n; i++) {
    s = (s * 1103515245 + 12345) >>> 0;
    out[i] = 0.6 * Math.sin(i * 0.031 * (1 + (seed % 5))) + 0.3 * (s / 2 ** 32 - 0.5);
  }
  return out;
}

describe('streaming read equals whole-file read sample for sample', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'asrq-stream-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const wavCases = [
    { name: 'mono 16 kHz 16-bit to 16 kHz', rate: 16000, channels: 1, bits: 16 as const, float: false, to: 16000 },
    { name: 'stereo 44.1 kHz 24-bit to 16 kHz', rate: 44100, channels: 2, bits: 24 as const, float: false, to: 16000 },
    { name: 'stereo 48 kHz float to 16 kHz', rate: 48000, channels: 2, bits: 32 as const, float: true, to: 16000 },
    {
      name: '3 channels 8 kHz 8-bit to 16 kHz (upsampling)',
      rate: 8000,
      channels: 3,
      bits: 8 as const,
      float: false,
      to: 16000,
    },
    { name: 'mono 22.05 kHz to 16 kHz', rate: 22050, channels: 1, bits: 16 as const, float: false, to: 16000 },
    {
      name: 'mono 16 kHz to 16001 Hz (gathered, not streamed)',
      rate: 16000,
      channels: 1,
      bits: 16 as const,
      float: false,
      to: 16001,
    },
  ];
  for (const c of wavCases) {
    for (const blockFrames of [997, 8192, 1 << 20]) {
      it(`WAV ${c.name}, blocks of ${blockFrames}`, async () => {
        const frames = Math.round(c.rate * 2.3) + 7;
        const channels = Array.from({ length: c.channels }, (_, i) => noise(frames, i + 1));
        const bytes = encodeWav(channels, c.rate, c.float ? { float: true } : { bitsPerSample: c.bits });
        const path = join(dir, `${c.rate}-${c.channels}-${c.bits}.wav`);
        await writeFile(path, bytes);
        const reference = wholeFile(bytes, c.to);
        expect(firstDifference(await streamed(path, c.to, blockFrames), reference)).toBe(-1);
        expect(firstDifference(await readAudio(path, { sampleRate: c.to }), reference)).toBe(-1);
      });
    }
  }

  it('readAudio streams a file over AUDIO_DEFAULTS.wholeFileBytes and gives the same samples', async () => {
    const frames = Math.ceil(AUDIO_DEFAULTS.wholeFileBytes / 4) + 1001;
    const bytes = encodeWav([noise(frames, 7), noise(frames, 8)], 22050, { bitsPerSample: 16 });
    expect(bytes.length).toBeGreaterThan(AUDIO_DEFAULTS.wholeFileBytes);
    const path = join(dir, 'over-limit.wav');
    await writeFile(path, bytes);
    const reference = wholeFile(bytes, 16000);
    expect(firstDifference(await readAudio(path), reference)).toBe(-1);
  });

  it('FLAC from the bundled corpus, at 16 kHz and resampled to 8 and 44.1 kHz', async () => {
    const speaker = (await readdir(defaultCorpusDir)).sort()[0]!;
    const chapter = (await readdir(join(defaultCorpusDir, speaker)))[0]!;
    const file = (await readdir(join(defaultCorpusDir, speaker, chapter))).find((f) => f.endsWith('.flac'))!;
    const path = join(defaultCorpusDir, speaker, chapter, file);
    const bytes = new Uint8Array(await readFile(path));
    for (const rate of [16000, 8000, 44100]) {
      const reference = wholeFile(bytes, rate);
      expect(reference.length).toBeGreaterThan(1000);
      expect(firstDifference(await streamed(path, rate, 3001), reference)).toBe(-1);
      expect(firstDifference(await readAudio(path, { sampleRate: rate }), reference)).toBe(-1);
    }
  });

  it.skipIf(!hasTool('flac'))(
    'FLAC stereo 44.1 kHz 24-bit with 1152-sample frames and a partial last frame',
    async () => {
      const frames = 44100 * 3 + 333;
      const wavPath = join(dir, 'st.wav');
      const flacPath = join(dir, 'st.flac');
      await writeFile(wavPath, encodeWav([noise(frames, 4), noise(frames, 5)], 44100, { bitsPerSample: 24 }));
      execFileSync('flac', ['-s', '-f', '--blocksize=1152', '-o', flacPath, wavPath]);
      const bytes = new Uint8Array(await readFile(flacPath));
      // Frame by frame (onBlock) gives the whole decode's samples.
      const whole = decodeFlacSamples(bytes);
      const pieces: number[][] = [[], []];
      const starts: number[] = [];
      const kept = decodeFlacSamples(bytes, {
        onBlock: (channels, first) => {
          starts.push(first);
          channels.forEach((c, k) => pieces[k]!.push(...c));
        },
      });
      expect(kept.channels.every((c) => c.length === 0)).toBe(true);
      expect(starts.slice(0, 3)).toEqual([0, 1152, 2304]);
      expect(pieces[0]!.length).toBe(frames);
      expect(Int32Array.from(pieces[0]!)).toEqual(whole.channels[0]);
      expect(Int32Array.from(pieces[1]!)).toEqual(whole.channels[1]);
      for (const blockFrames of [1000, 65536]) {
        const reference = wholeFile(bytes, 16000);
        expect(firstDifference(await streamed(flacPath, 16000, blockFrames), reference)).toBe(-1);
        expect(firstDifference(await readAudio(flacPath), reference)).toBe(-1);
      }
    },
  );

  it('reports a WAV cut short while streaming, naming the file', async () => {
    const bytes = encodeWav([noise(20000, 3)], 16000);
    const path = join(dir, 'cut.wav');
    await writeFile(path, bytes);
    const stream = await openAudioStream(path, { blockFrames: 1000 });
    await writeFile(path, bytes.subarray(0, 20000));
    const drain = async (): Promise<void> => {
      for await (const _ of stream.blocks());
    };
    await expect(drain()).rejects.toMatchObject({
      code: 'AUDIO_DECODE_FAILED',
      message: expect.stringContaining('cut.wav'),
    });
  });

  it('refuses missing files and other formats with the audio error codes', async () => {
    await expect(openAudioStream(join(dir, 'nope.wav'))).rejects.toMatchObject({ code: 'AUDIO_NOT_FOUND' });
    const path = join(dir, 'x.mp3');
    await writeFile(path, new Uint8Array([0x49, 0x44, 0x33, 3, 0, 0, 0, 0, 0, 0, 1, 2, 3, 4]));
    await expect(openAudioStream(path)).rejects.toMatchObject({
      code: 'AUDIO_UNSUPPORTED_FORMAT',
      message: expect.stringContaining('MP3'),
    });
  });
});

describe('StreamResampler', () => {
  it("gives resample()'s samples for any split of the input, including empty and one-sample pushes", () => {
    const input = noise(30011, 9);
    const reference = resample(input, 44100, 16000);
    const r = new StreamResampler(44100, 16000);
    const parts: Float32Array[] = [];
    const cuts = [0, 0, 1, 2, 500, 501, 9000, 9000, 20000, 30011];
    for (let i = 1; i < cuts.length; i++) parts.push(r.push(input.subarray(cuts[i - 1]!, cuts[i]!)));
    parts.push(r.finish());
    const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
    let at = 0;
    for (const p of parts) {
      out.set(p, at);
      at += p.length;
    }
    expect(r.outputLength(input.length)).toBe(reference.length);
    expect(firstDifference(out, reference)).toBe(-1);
  });

  it('refuses input after finish()', () => {
    const r = new StreamResampler(48000, 16000);
    r.finish();
    expect(() => r.push(new Float32Array(3))).toThrow(expect.objectContaining({ code: 'AUDIO_STREAM_FINISHED' }));
  });
});
