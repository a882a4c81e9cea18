import { decodeFlacSamples, isFlac } from './flac-decoder.js';
import { decodeWav, isWav } from './wav.js';
import { AudioError } from './errors.js';

/** Decoded audio before any conversion. channels[c] is one channel's samples in [-1, 1]. */
export interface DecodedAudio {
  sampleRate: number;
  channels: Float32Array[];
  bitsPerSample?: number;
  format: 'wav' | 'flac';
}

function describeMagic(bytes: Uint8Array): string {
  const head = String.fromCharCode(...bytes.subarray(0, 4));
  if (head === 'OggS') return 'an Ogg stream (Opus/Vorbis/Ogg-FLAC)';
  if (head.startsWith('ID3') || (bytes[0] === 0xff && (bytes[1]! & 0xe0) === 0xe0)) return 'MP3';
  if (head === 'RF64') return 'RF64 WAV';
  if (String.fromCharCode(...bytes.subarray(4, 8)) === 'ftyp') return 'MP4/M4A';
  if (bytes.length === 0) return 'an empty file';
  return 'an unknown format';
}

/**
 * Decodes WAV or FLAC bytes, recognised by their magic bytes (not the file name).
 *
 * @param bytes - The whole file.
 * @param options - `name`: file name used in error messages.
 * @returns Sample rate, bit depth, format and one Float32Array per channel in [-1, 1].
 * @throws AsrqError `AUDIO_UNSUPPORTED_FORMAT` for anything but WAV/FLAC (saying what it looks like
 *   and how to convert it); `AUDIO_DECODE_FAILED` for truncated or corrupt files.
 * @example
 * ```ts
 * const audio = decodeAudio(await readFile('a.flac'), { name: 'a.flac' });
 * const mono16k = resample(downmix(audio), audio.sampleRate, 16000);
 * ```
 */
export function decodeAudio(bytes: Uint8Array, options: { name?: string } = {}): DecodedAudio {
  const name = options.name ?? 'input';
  if (isFlac(bytes)) {
    const { streamInfo, channels } = decodeFlacSamples(bytes, { name });
    const scale = 1 / 2 ** (streamInfo.bitsPerSample - 1);
    return {
      sampleRate: streamInfo.sampleRate,
      bitsPerSample: streamInfo.bitsPerSample,
      format: 'flac',
      channels: channels.map((ints) => {
        const out = new Float32Array(ints.length);
        for (let i = 0; i < ints.length; i++) out[i] = ints[i]! * scale;
        return out;
      }),
    };
  }
  if (isWav(bytes) || String.fromCharCode(...bytes.subarray(0, 4)) === 'RF64') {
    const wav = decodeWav(bytes, name);
    return { sampleRate: wav.sampleRate, bitsPerSample: wav.bitsPerSample, format: 'wav', channels: wav.channels };
  }
  throw new AudioError(
    'AUDIO_UNSUPPORTED_FORMAT',
    `${name}: looks like ${describeMagic(bytes)}, not WAV or FLAC. Convert it first, e.g. ffmpeg -i ${name} -ar 16000 -ac 1 out.flac.`,
    { location: name },
  );
}

/**
 * Mixes all channels down to mono (their mean). A mono input is returned as is, not copied.
 *
 * @param audio - Decoded audio.
 * @returns Mono samples.
 * @example
 * ```ts
 * const mono = downmix(decodeAudio(bytes));
 * ```
 */
export function downmix(audio: DecodedAudio): Float32Array {
  const { channels } = audio;
  if (channels.length === 1) return channels[0]!;
  const length = channels.reduce((min, c) => Math.min(min, c.length), Number.POSITIVE_INFINITY);
  const out = new Float32Array(Number.isFinite(length) ? length : 0);
  const weight = 1 / channels.length;
  for (const channel of channels) {
    for (let i = 0; i < out.length; i++) out[i] = out[i]! + channel[i]! * weight;
  }
  return out;
}
