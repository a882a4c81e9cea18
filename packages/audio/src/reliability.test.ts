import { execFileSync } from 'node:child_process';
import { copyFileSync, cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultCorpusDir } from '@asrq/fixtures';
import { afterAll, describe, expect, it } from 'vitest';
import { openCorpus } from './corpus.js';
import { probeAudio, readAudio } from './read-audio.js';
import { openAudioStream } from './stream-audio.js';
import { decodeWav, encodeWav } from './wav.js';

// Issue 24: audio and corpus inputs that were read silently wrong, or blocked.
const work = mkdtempSync(join(tmpdir(), 'asrq-audio-reliability-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function floatWav(values: number[], rate = 16000): Uint8Array {
  const bytes = encodeWav([new Float32Array(values.length)], rate, { float: true });
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const dataOffset = bytes.length - 4 * values.length;
  values.forEach((v, i) => view.setFloat32(dataOffset + 4 * i, v, true));
  return bytes;
}

describe('float WAV samples', () => {
  it('refuse NaN, infinite and absurd values (1e30), naming the file and the first bad sample', async () => {
    for (const bad of [Number.NaN, Number.POSITIVE_INFINITY, 1e30, -5000]) {
      const samples = Array.from({ length: 3200 }, (_, i) => 0.1 * Math.sin(i));
      samples[1600] = bad;
      expect(() => decodeWav(floatWav(samples), 'bad.wav')).toThrow(
        expect.objectContaining({
          code: 'AUDIO_BAD_SAMPLES',
          message: expect.stringContaining('bad.wav: sample 1600 of channel 1 (at 0.100 s)'),
        }),
      );
      // Streamed block by block, the position is still the file's.
      const path = join(work, 'bad.wav');
      writeFileSync(path, floatWav(samples));
      await expect(readAudio(path)).rejects.toMatchObject({
        code: 'AUDIO_BAD_SAMPLES',
        message: expect.stringContaining(`${path}: sample 1600 of channel 1`),
      });
    }
  });

  it('keep clipped float audio (a little beyond [-1, 1])', () => {
    const wav = decodeWav(floatWav([0, 1.5, -2, 0.5]), 'loud.wav');
    expect(Array.from(wav.channels[0]!)).toEqual([0, 1.5, -2, 0.5]);
  });
});

describe('files that are not regular files, or empty', () => {
  it.runIf(process.platform === 'linux')('a FIFO is refused at once instead of blocking forever', async () => {
    const fifo = join(work, 'pipe.wav');
    execFileSync('mkfifo', [fifo]);
    for (const read of [readAudio, probeAudio])
      await expect(read(fifo)).rejects.toMatchObject({
        code: 'AUDIO_READ_FAILED',
        message: expect.stringContaining(`${fifo}: is a pipe (FIFO), not an audio file`),
      });
    await expect(readAudio('/dev/null')).rejects.toMatchObject({ message: /is a character device/ });
  });

  it('a 0-byte FLAC or WAV is empty, not "not a RIFF/WAVE file"', async () => {
    for (const name of ['empty.flac', 'empty.wav']) {
      const path = join(work, name);
      writeFileSync(path, '');
      for (const read of [readAudio, probeAudio])
        await expect(read(path)).rejects.toMatchObject({
          code: 'AUDIO_EMPTY',
          message: `${path}: the file is empty (0 bytes), so it has no audio.`,
        });
    }
  });
});

describe('unknown file types', () => {
  const advice = (path: string, looks: string) =>
    `${path}: looks like ${looks}, not WAV or FLAC. Convert it first, e.g. ffmpeg -i ${path} -ar 16000 -ac 1 out.flac.`;

  it('get the same advice, short or long, from every reader and from decodeWav (never "not a RIFF/WAVE file")', async () => {
    const cases: [string, string | Uint8Array, string][] = [
      ['short.mp4', 'abcdef', 'an unknown format'],
      ['short.ogg', 'OggS', 'an Ogg stream (Opus/Vorbis/Ogg-FLAC)'],
      ['notes.txt', 'hello, this is a text file and no audio at all', 'an unknown format'],
      ['clip.mp3', new Uint8Array([0xff, 0xfb, 0x90, 0x64, 0, 0x1f, 0xfc, 0, 0, 0, 0, 0, 0, 0]), 'MP3'],
      ['movie.avi', 'RIFF\0\0\0\0AVI LIST', 'a RIFF file that is not WAVE'],
    ];
    for (const [name, content, looks] of cases) {
      const path = join(work, name);
      writeFileSync(path, content);
      for (const read of [readAudio, probeAudio, (p: string) => openAudioStream(p)])
        await expect(read(path), `${name} ${read.name}`).rejects.toMatchObject({
          code: 'AUDIO_UNSUPPORTED_FORMAT',
          message: advice(path, looks),
        });
      expect(() => decodeWav(readFileSync(path), path)).toThrow(advice(path, looks));
    }
  });

  it('a WAV cut inside its RIFF header is a truncated WAV', async () => {
    const path = join(work, 'cut.wav');
    writeFileSync(path, 'RIFF');
    await expect(probeAudio(path)).rejects.toMatchObject({
      code: 'AUDIO_DECODE_FAILED',
      message: expect.stringContaining('the RIFF header is cut short (file truncated?)'),
    });
  });
});

describe('corpora', () => {
  function copyCorpus(name: string): string {
    const dir = join(work, name, 'dev-mini');
    cpSync(defaultCorpusDir, dir, { recursive: true });
    return dir;
  }

  it('x.flac and x.wav for one utterance id are reported instead of one being dropped silently', async () => {
    const dir = copyCorpus('twins');
    const flac = join(dir, '100', '1001', '100-1001-0028.flac');
    const wav = join(dir, '100', '1001', '100-1001-0028.wav');
    writeFileSync(wav, encodeWav([await readAudio(flac)], 16000));
    await expect(openCorpus(dir)).rejects.toMatchObject({
      code: 'CORPUS_DUPLICATE_ID',
      message: expect.stringContaining(`${flac} and ${wav} are two audio files for utterance 100-1001-0028`),
    });
    const lenient = await openCorpus(dir, { lenient: true });
    expect(lenient.items.find((i) => i.id === '100-1001-0028')?.audioPath).toBe(flac);
    expect(lenient.warnings).toEqual([expect.objectContaining({ code: 'CORPUS_DUPLICATE_ID', path: wav })]);
  });

  it('a Latin-1 transcript is refused with file:line instead of read with U+FFFD', async () => {
    const dir = copyCorpus('latin1');
    const trans = join(dir, '100', '1001', '100-1001.trans.txt');
    const line = readFileSync(trans, 'latin1').trimEnd();
    writeFileSync(trans, Buffer.from(`${line} CAF\u00c9\n`, 'latin1'));
    await expect(openCorpus(dir, { lenient: true })).rejects.toMatchObject({
      code: 'CORPUS_BAD_TRANSCRIPT',
      message: expect.stringContaining(`${trans}:1: byte 0xC9 is not UTF-8`),
    });
    const manifest = join(work, 'latin1.jsonl');
    writeFileSync(manifest, Buffer.from(`{"audio": "a.wav", "text": "CAF\u00c9"}\n`, 'latin1'));
    await expect(openCorpus(manifest)).rejects.toMatchObject({ code: 'CORPUS_BAD_MANIFEST' });
  });

  it('a manifest audio path that is a directory is called a directory, not missing', async () => {
    const dir = join(work, 'dir-audio');
    mkdirSync(join(dir, 'clips', 'a.wav'), { recursive: true });
    copyFileSync(join(defaultCorpusDir, '100', '1001', '100-1001-0028.flac'), join(dir, 'b.flac'));
    const manifest = join(dir, 'm.jsonl');
    writeFileSync(manifest, '{"audio": "clips/a.wav", "text": "A"}\n{"audio": "b.flac", "text": "B"}\n');
    await expect(openCorpus(manifest)).rejects.toMatchObject({
      code: 'CORPUS_MISSING_AUDIO',
      message: expect.stringContaining(`${join(dir, 'clips', 'a.wav')} is a directory, not an audio file`),
    });
  });
});
