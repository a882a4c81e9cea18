import { AsrqError } from '@asrq/core';
import type {
  AudioFileReader,
  AudioFormat,
  AudioInfo,
  AudioStream,
  FormatStreamOptions,
  ReopenAudioFile,
} from '../audio-format.js';
import type { DecodedAudio } from '../audio-format.js';
import { downmix } from '../downmix.js';
import { fileError } from '../file-error.js';
import { StreamResampler } from '../stream-resampler.js';
import { decodeWav, isWav, parseWavHeader, type WavHeader } from '../wav.js';
import { AudioError } from '../errors.js';

/** RIFF/WAVE, and RF64 too: it is claimed so that the WAV parser refuses it with its own message. */
function sniffWav(head: Uint8Array): boolean {
  return isWav(head) || String.fromCharCode(...head.subarray(0, 4)) === 'RF64';
}

function decodeWavAudio(bytes: Uint8Array, name: string): DecodedAudio {
  const wav = decodeWav(bytes, name);
  return { sampleRate: wav.sampleRate, bitsPerSample: wav.bitsPerSample, format: 'wav', channels: wav.channels };
}

/** Reads the start of a WAV file until its header (everything before the samples) parses. */
async function readWavHead(file: AudioFileReader, first: Uint8Array): Promise<{ head: Uint8Array; header: WavHeader }> {
  let head = first;
  for (;;) {
    try {
      return { head, header: parseWavHeader(head, file.size, file.path) };
    } catch (error) {
      // A header larger than what was read (big LIST chunks): read more and retry.
      if (head.length < file.size && AsrqError.isInstance(error) && error.code === 'AUDIO_DECODE_FAILED') {
        head = new Uint8Array(Math.min(file.size, head.length * 8));
        await file.read(head, 0, head.length, 0);
        continue;
      }
      throw error;
    }
  }
}

async function probeWav(file: AudioFileReader, first: Uint8Array): Promise<AudioInfo> {
  const { header: h } = await readWavHead(file, first);
  return {
    sampleRate: h.sampleRate,
    channels: h.channels,
    durationSec: h.dataBytes / ((h.bitsPerSample / 8) * h.channels) / h.sampleRate,
    format: 'wav',
  };
}

async function openWavStream(
  file: AudioFileReader,
  first: Uint8Array,
  options: FormatStreamOptions,
  reopen: ReopenAudioFile,
): Promise<AudioStream> {
  const { head, header } = await readWavHead(file, first);
  const { sampleRate, blockFrames } = options;
  const path = file.path;
  const frames = header.dataBytes / ((header.bitsPerSample / 8) * header.channels);
  const resampler = new StreamResampler(header.sampleRate, sampleRate);
  const readBlock = wavBlockReader(head, header, path);
  async function* blocks(): AsyncGenerator<Float32Array> {
    const handle = await reopen();
    try {
      for (let at = 0; at < frames; at += blockFrames) {
        const bytes = await readBlock(handle, at, Math.min(blockFrames, frames - at));
        const wav = decodeWav(bytes, path, { firstFrame: at });
        const out = resampler.push(downmix({ sampleRate: wav.sampleRate, channels: wav.channels, format: 'wav' }));
        if (out.length > 0) yield out;
      }
      const tail = resampler.finish();
      if (tail.length > 0) yield tail;
    } catch (error) {
      throw AsrqError.isInstance(error) ? error : fileError(path, error);
    } finally {
      await handle.close();
    }
  }
  const forEachBlock = async (write: (block: Float32Array) => void): Promise<void> => {
    for await (const block of blocks()) write(block);
  };
  return {
    sampleRate,
    sourceRate: header.sampleRate,
    channels: header.channels,
    format: 'wav',
    length: resampler.outputLength(frames),
    blocks,
    forEachBlock,
  };
}

/**
 * Reads `count` sample frames from frame `at` on as a WAV file of their own, for decodeWav.
 * @throws AsrqError `AUDIO_DECODE_FAILED` when the file ends before those frames do.
 */
function wavBlockReader(
  head: Uint8Array,
  header: WavHeader,
  path: string,
): (handle: AudioFileReader, at: number, count: number) => Promise<Uint8Array> {
  const frameBytes = (header.bitsPerSample / 8) * header.channels;
  const frames = header.dataBytes / frameBytes;
  // A copy of everything before the samples, whose sizes are rewritten per block: decodeWav then
  // decodes each block exactly as it decodes a whole file.
  const prefix = head.slice(0, header.dataOffset);
  const prefixView = new DataView(prefix.buffer);
  return async (handle, at, count) => {
    const bytes = new Uint8Array(prefix.length + count * frameBytes);
    prefixView.setUint32(4, bytes.length - 8, true);
    prefixView.setUint32(header.dataOffset - 4, count * frameBytes, true);
    bytes.set(prefix);
    const bytesRead = await handle.read(bytes, prefix.length, count * frameBytes, header.dataOffset + at * frameBytes);
    if (bytesRead < count * frameBytes) {
      throw new AudioError(
        'AUDIO_DECODE_FAILED',
        `${path}: file is truncated: it ended while reading sample frame ${at + Math.floor(bytesRead / frameBytes)} of ${frames}. Re-export the file.`,
        { location: path },
      );
    }
    return bytes;
  };
}

/** WAV: PCM 8/16/24/32-bit and float 32/64-bit, read from disk block by block when streamed. */
export const wavFormat: AudioFormat = {
  name: 'wav',
  extensions: ['.wav'],
  preferredInCorpus: false,
  sniff: sniffWav,
  decode: decodeWavAudio,
  probe: probeWav,
  openStream: openWavStream,
};
