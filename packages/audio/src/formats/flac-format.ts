import type { AudioFileReader, AudioFormat, AudioInfo, AudioStream, FormatStreamOptions } from '../audio-format.js';
import type { DecodedAudio } from '../audio-format.js';
import { downmix } from '../downmix.js';
import { decodeFlacFloat, isFlac, parseFlacHeader } from '../flac-decoder.js';
import type { FlacStreamInfo } from '../flac-stream-info.js';
import { StreamResampler } from '../stream-resampler.js';
import { AudioError } from '../errors.js';

function decodeFlacAudio(bytes: Uint8Array, name: string): DecodedAudio {
  const { streamInfo, channels } = decodeFlacFloat(bytes, { name });
  return { sampleRate: streamInfo.sampleRate, bitsPerSample: streamInfo.bitsPerSample, format: 'flac', channels };
}

async function probeFlac(file: AudioFileReader, head: Uint8Array): Promise<AudioInfo> {
  const { streamInfo } = parseFlacHeader(head, file.path);
  if (streamInfo.totalSamples === 0) {
    // A stream that does not state its length: decoding is the only way to know it.
    const audio = decodeFlacAudio(await file.readAll(), file.path);
    return {
      sampleRate: audio.sampleRate,
      channels: audio.channels.length,
      durationSec: (audio.channels[0]?.length ?? 0) / audio.sampleRate,
      format: 'flac',
    };
  }
  return {
    sampleRate: streamInfo.sampleRate,
    channels: streamInfo.channels,
    durationSec: streamInfo.totalSamples / streamInfo.sampleRate,
    format: 'flac',
  };
}

/** Most samples per byte a FLAC file can encode (65535-sample constant frames of ~10 bytes), with margin. */
const MAX_FLAC_SAMPLES_PER_BYTE = 8192;

/**
 * Mixes and resamples FLAC frames as `decodeFlacFloat` hands them over (already float). Frames
 * (usually 4096 samples) are gathered into blocks of `blockFrames` before resampling, so the
 * resampler's context on each side stays a small share of the work.
 */
function flacBlockWriter(
  streamInfo: FlacStreamInfo,
  options: FormatStreamOptions,
  write: (block: Float32Array) => void,
) {
  const { blockFrames } = options;
  const resampler = new StreamResampler(streamInfo.sampleRate, options.sampleRate);
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
  const onBlock = (frame: Float32Array[]): void => {
    const n = frame[0]?.length ?? 0;
    for (let from = 0; from < n; ) {
      const take = Math.min(n - from, blockFrames - filled);
      frame.forEach((c, k) => pending[k]!.set(c.subarray(from, from + take), filled));
      filled += take;
      from += take;
      if (filled === blockFrames) flush();
    }
  };
  const finish = (): void => {
    flush();
    const tail = resampler.finish();
    if (tail.length > 0) write(tail);
  };
  return { onBlock, finish };
}

/**
 * FLAC's compressed bytes are read whole (a third of the decoded size or less) and
 * `decodeFlacFloat` hands over its frames one by one, converted, mixed and resampled block by block.
 */
async function openFlacStream(
  file: AudioFileReader,
  _head: Uint8Array,
  options: FormatStreamOptions,
): Promise<AudioStream> {
  const path = file.path;
  let bytes = await file.readAll();
  const { streamInfo } = parseFlacHeader(bytes, path);
  // The header's total is a claim: trust it only when the file could hold that many samples (a
  // constant subframe packs at most 65535 samples into a few bytes), else count while decoding.
  const plausible = streamInfo.totalSamples > 0 && streamInfo.totalSamples <= bytes.length * MAX_FLAC_SAMPLES_PER_BYTE;
  const length = plausible
    ? new StreamResampler(streamInfo.sampleRate, options.sampleRate).outputLength(streamInfo.totalSamples)
    : undefined;
  let used = false;
  const forEachBlock = async (write: (block: Float32Array) => void): Promise<void> => {
    if (used)
      throw new AudioError('AUDIO_STREAM_FINISHED', `${path}: this stream was already read; open it again.`, {
        location: path,
      });
    used = true;
    const whole = bytes;
    bytes = new Uint8Array(0);
    const writer = flacBlockWriter(streamInfo, options, write);
    decodeFlacFloat(whole, { name: path, onBlock: writer.onBlock });
    writer.finish();
  };
  async function* blocks(): AsyncGenerator<Float32Array> {
    const all: Float32Array[] = [];
    await forEachBlock((block) => all.push(block));
    yield* all;
  }
  return {
    sampleRate: options.sampleRate,
    sourceRate: streamInfo.sampleRate,
    channels: streamInfo.channels,
    format: 'flac',
    length,
    blocks,
    forEachBlock,
  };
}

/** FLAC (behind an optional ID3v2 tag): decoded in pure TypeScript, every frame CRC-checked. */
export const flacFormat: AudioFormat = {
  name: 'flac',
  extensions: ['.flac'],
  preferredInCorpus: true,
  sniff: isFlac,
  decode: decodeFlacAudio,
  probe: probeFlac,
  openStream: openFlacStream,
};
