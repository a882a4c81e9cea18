import { open } from 'node:fs/promises';
import { AsrqError } from '@asrq/core';
import { decodeAudio } from './decode.js';
import { isFlac, parseFlacHeader } from './flac-decoder.js';
import { fileError, openAudioStream } from './stream-audio.js';
import { isWav, parseWavHeader } from './wav.js';
import { AudioError } from './errors.js';

/** What {@link probeAudio} reads from a header. */
export interface AudioInfo {
  sampleRate: number;
  channels: number;
  durationSec: number;
  format: 'wav' | 'flac';
}

/**
 * Reads an audio file, decodes it, mixes it to mono and resamples it to `sampleRate`. Decoding,
 * mixing and resampling run block by block ({@link openAudioStream}), so the result is the only
 * full-length float32 copy: a 2-hour 16 kHz file takes 460 MB, not several times that. The
 * samples equal `resample(downmix(decodeAudio(bytes)), rate, sampleRate)` exactly.
 *
 * @param path - A WAV or FLAC file (recognised by content, not extension).
 * @param options - `sampleRate`: target rate in Hz (default 16000, what CTC models expect).
 * @returns Mono samples in [-1, 1] at `sampleRate`.
 * @throws AsrqError `AUDIO_NOT_FOUND`, `AUDIO_READ_FAILED`, `AUDIO_UNSUPPORTED_FORMAT`, `AUDIO_DECODE_FAILED`,
 *   each naming the file.
 * @example
 * ```ts
 * const samples = await readAudio('LibriSpeech/dev-clean/84/121123/84-121123-0000.flac');
 * samples.length / 16000; // seconds
 * ```
 */
export async function readAudio(path: string, options: { sampleRate?: number } = {}): Promise<Float32Array> {
  const stream = await openAudioStream(path, { sampleRate: options.sampleRate ?? 16000 });
  if (stream.length === undefined) {
    const blocks: Float32Array[] = [];
    await stream.forEachBlock((block) => blocks.push(block));
    return concat(blocks);
  }
  const out = new Float32Array(stream.length);
  let at = 0;
  await stream.forEachBlock((block) => {
    if (at < out.length) out.set(block.subarray(0, out.length - at), at);
    at += block.length;
  });
  return at < out.length ? out.subarray(0, at) : out;
}

function concat(blocks: readonly Float32Array[]): Float32Array {
  const out = new Float32Array(blocks.reduce((n, b) => n + b.length, 0));
  let at = 0;
  for (const block of blocks) {
    out.set(block, at);
    at += block.length;
  }
  return out;
}

/**
 * Reads an audio file's duration and format from its header, without decoding the samples:
 * the FLAC STREAMINFO total sample count, or the WAV data chunk size. Reads a few KiB at most
 * (a FLAC stream that does not state its length is decoded as the only way to know it).
 *
 * @param path - A WAV or FLAC file.
 * @returns Sample rate, channel count, duration in seconds and format.
 * @throws AsrqError as {@link readAudio}.
 * @example
 * ```ts
 * const { durationSec } = await probeAudio('a.flac');
 * ```
 */
export async function probeAudio(path: string): Promise<AudioInfo> {
  let handle;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    throw fileError(path, error);
  }
  try {
    const { size } = await handle.stat();
    // 64 KiB holds STREAMINFO behind any ID3 tag of ordinary size, and WAV chunks before `data`.
    let length = Math.min(size, 65536);
    for (;;) {
      const head = new Uint8Array(length);
      await handle.read(head, 0, length, 0);
      if (isFlac(head)) {
        const { streamInfo } = parseFlacHeader(head, path);
        if (streamInfo.totalSamples === 0) {
          const audio = decodeAudio(await handle.readFile(), { name: path });
          return { sampleRate: audio.sampleRate, channels: audio.channels.length, durationSec: (audio.channels[0]?.length ?? 0) / audio.sampleRate, format: 'flac' };
        }
        return {
          sampleRate: streamInfo.sampleRate,
          channels: streamInfo.channels,
          durationSec: streamInfo.totalSamples / streamInfo.sampleRate,
          format: 'flac',
        };
      }
      if (isWav(head) || length < 12) {
        try {
          const h = parseWavHeader(head, size, path);
          return {
            sampleRate: h.sampleRate,
            channels: h.channels,
            durationSec: h.dataBytes / ((h.bitsPerSample / 8) * h.channels) / h.sampleRate,
            format: 'wav',
          };
        } catch (error) {
          // A header larger than what was read (big LIST chunks): read more and retry.
          if (length < size && AsrqError.isInstance(error) && error.code === 'AUDIO_DECODE_FAILED') {
            length = Math.min(size, length * 8);
            continue;
          }
          throw error;
        }
      }
      // Not recognised: let decodeAudio name what it looks like.
      decodeAudio(head.subarray(0, 16), { name: path });
      throw new AudioError('AUDIO_UNSUPPORTED_FORMAT', `${path}: not a WAV or FLAC file.`, { location: path });
    }
  } finally {
    await handle.close();
  }
}
