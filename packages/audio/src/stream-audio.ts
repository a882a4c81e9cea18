import { AsrqError } from '@asrq/core';
import type {
  AudioFileReader,
  AudioFormat,
  AudioStream,
  AudioStreamOptions,
  FormatStreamOptions,
} from './audio-format.js';
import { downmix } from './downmix.js';
import { fileError } from './file-error.js';
import { findAudioFormat, unsupportedAudioFormat } from './format-registry.js';
import { openAudioFile, readHead } from './node-audio-file.js';
import { StreamResampler } from './stream-resampler.js';
import { AUDIO_DEFAULTS } from './defaults.js';

export type { AudioStream, AudioStreamOptions } from './audio-format.js';
export { fileError } from './file-error.js';

async function openFile(path: string): Promise<AudioFileReader> {
  try {
    return await openAudioFile(path);
  } catch (error) {
    throw fileError(path, error);
  }
}

/**
 * Opens a WAV or FLAC file (any registered format) for block-by-block decoding, mixing to mono and resampling, so a long
 * recording is never held in full as float32 more than once (and not at all when the blocks are
 * consumed as they come). WAV is read from disk block by block; each block is decoded by
 * `decodeWav` itself, behind a copy of the file's own header. FLAC's compressed bytes are read
 * whole (a third of the decoded size or less) and `decodeFlacSamples` hands over its frames one
 * by one, which are converted, mixed and resampled block by block.
 *
 * @param path - A WAV or FLAC file (recognised by content).
 * @param options - Output rate and block size.
 * @returns The stream: its facts and a `blocks()` generator.
 * @throws AsrqError `AUDIO_NOT_FOUND`, `AUDIO_READ_FAILED`, `AUDIO_UNSUPPORTED_FORMAT`, `AUDIO_DECODE_FAILED`, each naming the file.
 * @example
 * ```ts
 * const stream = await openAudioStream('meeting.wav', { sampleRate: 16000 });
 * for await (const block of stream.blocks()) feed(block);
 * ```
 */
export async function openAudioStream(path: string, options: AudioStreamOptions = {}): Promise<AudioStream> {
  const settled: FormatStreamOptions = {
    sampleRate: options.sampleRate ?? AUDIO_DEFAULTS.sampleRate,
    blockFrames: Math.max(1, Math.floor(options.blockFrames ?? AUDIO_DEFAULTS.blockFrames)),
  };
  const file = await openFile(path);
  try {
    const head = await readHead(file);
    const format = findAudioFormat(head);
    if (!format) throw unsupportedAudioFormat(head, path);
    if (format.openStream) return await format.openStream(file, head, settled, () => openFile(path));
    return await wholeFileStream(file, format, settled);
  } catch (error) {
    throw AsrqError.isInstance(error) ? error : fileError(path, error);
  } finally {
    await file.close();
  }
}

/** The stream of a format that cannot decode block by block: the whole file decoded, then handed out in blocks. */
async function wholeFileStream(
  file: AudioFileReader,
  format: AudioFormat,
  options: FormatStreamOptions,
): Promise<AudioStream> {
  const audio = format.decode(await file.readAll(), file.path);
  const mono = downmix(audio);
  const resampler = new StreamResampler(audio.sampleRate, options.sampleRate);
  const length = resampler.outputLength(mono.length);
  async function* blocks(): AsyncGenerator<Float32Array> {
    for (let at = 0; at < mono.length; at += options.blockFrames) {
      const out = resampler.push(mono.subarray(at, at + options.blockFrames));
      if (out.length > 0) yield out;
    }
    const tail = resampler.finish();
    if (tail.length > 0) yield tail;
  }
  const forEachBlock = async (write: (block: Float32Array) => void): Promise<void> => {
    for await (const block of blocks()) write(block);
  };
  return {
    sampleRate: options.sampleRate,
    sourceRate: audio.sampleRate,
    channels: audio.channels.length,
    format: format.name,
    length,
    blocks,
    forEachBlock,
  };
}
