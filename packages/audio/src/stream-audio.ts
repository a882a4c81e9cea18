import { open, readFile, type FileHandle } from 'node:fs/promises';
import { AsrqError } from '@asrq/core';
import { decodeAudio, downmix, type DecodedAudio } from './decode.js';
import { decodeFlacSamples, isFlac, parseFlacHeader } from './flac-decoder.js';
import { StreamResampler } from './stream-resampler.js';
import { decodeWav, isWav, parseWavHeader, type WavHeader } from './wav.js';
import { AudioError } from './errors.js';

/** An audio file opened for reading block by block: mono samples at the requested rate. */
export interface AudioStream {
  /** Rate of the samples `blocks()` yields. */
  sampleRate: number;
  /** Rate of the file. */
  sourceRate: number;
  /** Channels in the file (they are mixed to mono). */
  channels: number;
  format: 'wav' | 'flac';
  /** Samples `blocks()` yields in total (when the file states its length; otherwise undefined). */
  length: number | undefined;
  /**
   * Mono blocks at `sampleRate`, in order. Together they equal `readAudio`'s result sample for
   * sample. WAV blocks are read and decoded as they are asked for; FLAC decoding is synchronous,
   * so its blocks are all produced before the first is yielded (use {@link AudioStream.forEachBlock}
   * to consume FLAC without holding them). Use either this or `forEachBlock`, once.
   */
  blocks(): AsyncGenerator<Float32Array>;
  /**
   * Hands every mono block at `sampleRate` to `write` as soon as it is decoded, in order.
   * @param write - Called once per block; the block is not reused afterwards.
   */
  forEachBlock(write: (block: Float32Array) => void): Promise<void>;
}

/** Options of {@link openAudioStream}. */
export interface AudioStreamOptions {
  /** Output rate in Hz (default 16000). */
  sampleRate?: number;
  /** Source frames decoded per block (default 65536, about 4 s at 16 kHz). */
  blockFrames?: number;
}

/**
 * Maps a file-system error to the audio package's error codes.
 * @param path - The file.
 * @param error - What fs threw.
 * @returns The error to throw.
 */
export function fileError(path: string, error: unknown): AsrqError {
  const code = (error as { code?: string }).code;
  if (code === 'ENOENT') return new AudioError('AUDIO_NOT_FOUND', `${path}: no such audio file.`, { location: path, cause: error });
  if (code === 'EISDIR') return new AudioError('AUDIO_NOT_FOUND', `${path}: is a directory, not an audio file.`, { location: path, cause: error });
  return new AudioError('AUDIO_READ_FAILED', `${path}: cannot read the file (${code ?? String(error)}).`, { location: path, cause: error });
}

async function openFile(path: string): Promise<FileHandle> {
  try {
    return await open(path, 'r');
  } catch (error) {
    throw fileError(path, error);
  }
}

/** Reads the start of a WAV file until its header (everything before the samples) parses. */
async function readWavHead(handle: FileHandle, size: number, path: string): Promise<{ head: Uint8Array; header: WavHeader }> {
  let length = Math.min(size, 65536);
  for (;;) {
    const head = new Uint8Array(length);
    await handle.read(head, 0, length, 0);
    try {
      return { head, header: parseWavHeader(head, size, path) };
    } catch (error) {
      // A header larger than what was read (big LIST chunks): read more and retry.
      if (length < size && AsrqError.isInstance(error) && error.code === 'AUDIO_DECODE_FAILED') {
        length = Math.min(size, length * 8);
        continue;
      }
      throw error;
    }
  }
}

/**
 * Opens a WAV or FLAC file for block-by-block decoding, mixing to mono and resampling, so a long
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
  const sampleRate = options.sampleRate ?? 16000;
  const blockFrames = Math.max(1, Math.floor(options.blockFrames ?? 65536));
  const handle = await openFile(path);
  let head: Uint8Array;
  let size: number;
  try {
    size = (await handle.stat()).size;
    head = new Uint8Array(Math.min(size, 65536));
    await handle.read(head, 0, head.length, 0);
    if (isWav(head)) {
      const { head: wavHead, header } = await readWavHead(handle, size, path);
      await handle.close();
      return wavStream(path, wavHead, header, sampleRate, blockFrames);
    }
  } catch (error) {
    await handle.close();
    throw AsrqError.isInstance(error) ? error : fileError(path, error);
  }
  await handle.close();
  if (isFlac(head)) return flacStream(path, sampleRate, blockFrames);
  // Not WAV or FLAC: decodeAudio names what it looks like.
  decodeAudio(head.subarray(0, 16), { name: path });
  throw new AudioError('AUDIO_UNSUPPORTED_FORMAT', `${path}: not a WAV or FLAC file.`, { location: path });
}

function wavStream(path: string, head: Uint8Array, header: WavHeader, sampleRate: number, blockFrames: number): AudioStream {
  const frameBytes = (header.bitsPerSample / 8) * header.channels;
  const frames = header.dataBytes / frameBytes;
  const resampler = new StreamResampler(header.sampleRate, sampleRate);
  // A copy of everything before the samples, whose sizes are rewritten per block: decodeWav then
  // decodes each block exactly as it decodes a whole file.
  const prefix = head.slice(0, header.dataOffset);
  const prefixView = new DataView(prefix.buffer);
  async function* blocks(): AsyncGenerator<Float32Array> {
    const handle = await openFile(path);
    try {
      for (let at = 0; at < frames; at += blockFrames) {
        const count = Math.min(blockFrames, frames - at);
        const bytes = new Uint8Array(prefix.length + count * frameBytes);
        prefixView.setUint32(4, bytes.length - 8, true);
        prefixView.setUint32(header.dataOffset - 4, count * frameBytes, true);
        bytes.set(prefix);
        const { bytesRead } = await handle.read(bytes, prefix.length, count * frameBytes, header.dataOffset + at * frameBytes);
        if (bytesRead < count * frameBytes) {
          throw new AudioError('AUDIO_DECODE_FAILED', `${path}: file is truncated: it ended while reading sample frame ${at + Math.floor(bytesRead / frameBytes)} of ${frames}. Re-export the file.`, { location: path });
        }
        const wav = decodeWav(bytes, path);
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
  return { sampleRate, sourceRate: header.sampleRate, channels: header.channels, format: 'wav', length: resampler.outputLength(frames), blocks, forEachBlock };
}

/** Most samples per byte a FLAC file can encode (65535-sample constant frames of ~10 bytes), with margin. */
const MAX_FLAC_SAMPLES_PER_BYTE = 8192;

async function flacStream(path: string, sampleRate: number, blockFrames: number): Promise<AudioStream> {
  let head: Uint8Array;
  try {
    head = await readFile(path);
  } catch (error) {
    throw fileError(path, error);
  }
  const { streamInfo } = parseFlacHeader(head, path);
  // The header's total is a claim: trust it only when the file could hold that many samples (a
  // constant subframe packs at most 65535 samples into a few bytes), else count while decoding.
  const plausible = streamInfo.totalSamples > 0 && streamInfo.totalSamples <= head.length * MAX_FLAC_SAMPLES_PER_BYTE;
  const length = plausible ? new StreamResampler(streamInfo.sampleRate, sampleRate).outputLength(streamInfo.totalSamples) : undefined;
  let used = false;
  const forEachBlock = async (write: (block: Float32Array) => void): Promise<void> => {
    if (used) throw new AudioError('AUDIO_STREAM_FINISHED', `${path}: this stream was already read; open it again.`, { location: path });
    used = true;
    const bytes = head;
    head = new Uint8Array(0);
    const scale = 1 / 2 ** (streamInfo.bitsPerSample - 1);
    const resampler = new StreamResampler(streamInfo.sampleRate, sampleRate);
    // Frames (usually 4096 samples) are gathered into blocks of `blockFrames` before resampling,
    // so the resampler's context on each side stays a small share of the work.
    const pending = Array.from({ length: streamInfo.channels }, () => new Float32Array(blockFrames));
    let filled = 0;
    const flush = (): void => {
      if (filled === 0) return;
      const channels = pending.map((c) => c.slice(0, filled));
      const block: DecodedAudio = { sampleRate: streamInfo.sampleRate, channels, format: 'flac' };
      const out = resampler.push(downmix(block));
      if (out.length > 0) write(out);
      filled = 0;
    };
    decodeFlacSamples(bytes, {
      name: path,
      onBlock: (ints) => {
        const n = ints[0]?.length ?? 0;
        for (let from = 0; from < n; ) {
          const take = Math.min(n - from, blockFrames - filled);
          ints.forEach((c, k) => {
            const dst = pending[k]!;
            for (let i = 0; i < take; i++) dst[filled + i] = c[from + i]! * scale;
          });
          filled += take;
          from += take;
          if (filled === blockFrames) flush();
        }
      },
    });
    flush();
    const tail = resampler.finish();
    if (tail.length > 0) write(tail);
  };
  async function* blocks(): AsyncGenerator<Float32Array> {
    const all: Float32Array[] = [];
    await forEachBlock((block) => all.push(block));
    yield* all;
  }
  return { sampleRate, sourceRate: streamInfo.sampleRate, channels: streamInfo.channels, format: 'flac', length, blocks, forEachBlock };
}
