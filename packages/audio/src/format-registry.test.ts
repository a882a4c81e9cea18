import { mkdtemp, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultCorpusDir } from '@asrq/fixtures';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AudioFormat, AudioFormatName } from './audio-format.js';
import { openCorpus } from './corpus.js';
import { decodeAudio } from './decode.js';
import {
  audioFileExtensions,
  audioFormatOfExtension,
  audioFormats,
  findAudioFormat,
  registerAudioFormat,
} from './format-registry.js';
import { probeAudio, readAudio } from './read-audio.js';
import { resample } from './resample.js';
import { openAudioStream } from './stream-audio.js';
import { encodeWav } from './wav.js';

/** A toy format with neither `probe` nor `openStream`: "TOY1", a uint32 rate, then float32 mono samples. */
const toyFormat: AudioFormat = {
  name: 'toy' as AudioFormatName,
  extensions: ['.toy'],
  preferredInCorpus: false,
  sniff: (head) => String.fromCharCode(...head.subarray(0, 4)) === 'TOY1',
  decode: (bytes) => {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const samples = new Float32Array((bytes.length - 8) / 4);
    for (let i = 0; i < samples.length; i++) samples[i] = view.getFloat32(8 + 4 * i, true);
    return { sampleRate: view.getUint32(4, true), channels: [samples], format: 'toy' as AudioFormatName };
  },
};

function toyFile(samples: Float32Array, rate: number): Uint8Array {
  const bytes = new Uint8Array(8 + 4 * samples.length);
  const view = new DataView(bytes.buffer);
  bytes.set([0x54, 0x4f, 0x59, 0x31]);
  view.setUint32(4, rate, true);
  samples.forEach((v, i) => view.setFloat32(8 + 4 * i, v, true));
  return bytes;
}

describe('audio format registry', () => {
  it('recognises the built-in formats by content and by extension', async () => {
    const speaker = (await readdir(defaultCorpusDir)).sort()[0]!;
    const chapter = (await readdir(join(defaultCorpusDir, speaker)))[0]!;
    const flacName = (await readdir(join(defaultCorpusDir, speaker, chapter))).find((f) => f.endsWith('.flac'))!;
    const flac = await readFile(join(defaultCorpusDir, speaker, chapter, flacName));
    expect(findAudioFormat(flac)?.name).toBe('flac');
    expect(findAudioFormat(encodeWav([new Float32Array(8)], 16000))?.name).toBe('wav');
    expect(findAudioFormat(new TextEncoder().encode('OggS and more'))).toBeUndefined();
    expect(audioFormatOfExtension('.FLAC')?.name).toBe('flac');
    expect(audioFormatOfExtension('.mp3')).toBeUndefined();
    expect(audioFileExtensions().sort()).toEqual(['.flac', '.wav']);
    expect(audioFormats().map((f) => f.name)).toEqual(['flac', 'wav']);
  });
});

describe('a registered format without probe or stream support', () => {
  let dir: string;
  const tone = Float32Array.from({ length: 3000 }, (_, i) => 0.5 * Math.sin(i / 7));
  beforeAll(async () => {
    registerAudioFormat(toyFormat);
    dir = await mkdtemp(join(tmpdir(), 'asrq-formats-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('is decoded, probed, read and streamed through the registry', async () => {
    const path = join(dir, 'a.toy');
    await writeFile(path, toyFile(tone, 8000));
    expect(Array.from(decodeAudio(toyFile(tone, 8000)).channels[0]!)).toEqual(Array.from(tone));
    expect(await probeAudio(path)).toEqual({ sampleRate: 8000, channels: 1, durationSec: 3000 / 8000, format: 'toy' });
    const expected = resample(tone, 8000, 16000);
    expect(Array.from(await readAudio(path))).toEqual(Array.from(expected));
    const stream = await openAudioStream(path, { blockFrames: 700 });
    expect(stream.length).toBe(expected.length);
    const blocks: Float32Array[] = [];
    for await (const block of stream.blocks()) blocks.push(block);
    expect(blocks.length).toBeGreaterThan(1);
    expect(blocks.reduce((n, b) => n + b.length, 0)).toBe(expected.length);
  });

  it('is listed in corpus folders by its extension', async () => {
    const chapter = join(dir, 'corpus', '7', '8');
    await mkdir(chapter, { recursive: true });
    await writeFile(join(chapter, '7-8.trans.txt'), '7-8-0001 HELLO\n');
    await writeFile(join(chapter, '7-8-0001.toy'), toyFile(tone, 16000));
    const corpus = await openCorpus(join(dir, 'corpus'), { probeDurations: true });
    expect(corpus.items).toMatchObject([
      { id: '7-8-0001', audioPath: join(chapter, '7-8-0001.toy'), durationSec: 3000 / 16000 },
    ]);
    expect(audioFileExtensions()).toContain('.toy');
  });
});

describe('a directory where an audio file is expected', () => {
  it('is AUDIO_NOT_FOUND for probeAudio as for readAudio, not a raw EISDIR', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'asrq-dir-audio-'));
    try {
      const path = join(dir, 'utt.flac');
      await mkdir(path);
      await expect(probeAudio(path)).rejects.toMatchObject({
        code: 'AUDIO_NOT_FOUND',
        message: `${path}: is a directory, not an audio file.`,
      });
      await expect(readAudio(path)).rejects.toMatchObject({ code: 'AUDIO_NOT_FOUND' });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
