import type { AsrqError } from '@asrq/core';
import { AudioError } from './errors.js';
import { unsupportedAudioFormat } from './unsupported-format.js';

export { encodeWav } from './wav-encode.js';

/** What a WAV header says, read without touching the samples. */
export interface WavHeader {
  sampleRate: number;
  channels: number;
  bitsPerSample: number;
  /** 1 = integer PCM, 3 = IEEE float (WAVE_FORMAT_EXTENSIBLE is resolved to one of these). */
  formatTag: 1 | 3;
  /** Byte offset of the first sample. */
  dataOffset: number;
  /** Bytes of sample data (clamped to the file for streamed WAVs whose header says 0 or 0xFFFFFFFF). */
  dataBytes: number;
}

function ascii(bytes: Uint8Array, at: number): string {
  return String.fromCharCode(bytes[at]!, bytes[at + 1]!, bytes[at + 2]!, bytes[at + 3]!);
}

/**
 * True when `bytes` starts with a RIFF/WAVE header.
 * @param bytes - The first 12 or more bytes of a file.
 * @returns Whether it is WAV.
 */
export function isWav(bytes: Uint8Array): boolean {
  return bytes.length >= 12 && ascii(bytes, 0) === 'RIFF' && ascii(bytes, 8) === 'WAVE';
}

function failed(name: string, detail: string): AsrqError {
  return new AudioError(
    'AUDIO_DECODE_FAILED',
    `${name}: ${detail}. Re-export the file (e.g. sox in.wav -b 16 out.wav).`,
    {
      location: name,
    },
  );
}

/** Lowest and highest sample rates asrq reads (Hz): outside them a rate is a corrupt header, not audio. */
export const SAMPLE_RATE_RANGE = { min: 1000, max: 768000 } as const;

/**
 * Refuses a sample rate no recording has: resampling a "1 Hz" file to 16 kHz would ask for 16,000
 * output samples per input sample, and a corrupt header must not allocate gigabytes.
 * @param sampleRate - From a header.
 * @param name - File name for the message.
 * @throws AsrqError `AUDIO_UNSUPPORTED_FORMAT` outside {@link SAMPLE_RATE_RANGE}.
 */
export function checkSampleRate(sampleRate: number, name: string): void {
  if (sampleRate < SAMPLE_RATE_RANGE.min || sampleRate > SAMPLE_RATE_RANGE.max) {
    throw new AudioError(
      'AUDIO_UNSUPPORTED_FORMAT',
      `${name}: sample rate ${sampleRate} Hz is outside ${SAMPLE_RATE_RANGE.min}..${SAMPLE_RATE_RANGE.max} Hz (a corrupt header?). Re-export the file at a standard rate such as 16000 Hz.`,
      { location: name },
    );
  }
}

/**
 * The error for a well-formed audio file without a single sample: nothing to transcribe.
 * @param name - File name.
 * @param detail - What the header says.
 * @returns AsrqError `AUDIO_EMPTY`.
 */
export function emptyAudio(name: string, detail: string): AsrqError {
  return new AudioError(
    'AUDIO_EMPTY',
    `${name}: the file has no audio (${detail}). Remove it from the corpus or re-export it.`,
    { location: name },
  );
}

/**
 * Parses the chunks of a WAV file up to the start of its sample data.
 *
 * @param bytes - The file (or a prefix that contains the `fmt ` chunk and the `data` chunk header).
 * @param fileSize - The file's full size in bytes (defaults to `bytes.length`), used to spot truncation.
 * @param name - File name for error messages.
 * @returns The header.
 * @throws AsrqError `AUDIO_UNSUPPORTED_FORMAT` for non-WAV or unsupported encodings (A-law, ADPCM, RF64, ...),
 *   `AUDIO_DECODE_FAILED` when chunks are missing or the data is cut short, `AUDIO_EMPTY` when the
 *   data chunk holds no sample (every reader, probe included, names the file).
 * @example
 * ```ts
 * const h = parseWavHeader(bytes, bytes.length, 'a.wav');
 * h.dataBytes / (h.channels * h.bitsPerSample / 8) / h.sampleRate; // seconds
 * ```
 */
export function parseWavHeader(bytes: Uint8Array, fileSize = bytes.length, name = 'input'): WavHeader {
  rejectNonWav(bytes, name);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let at = 12;
  let fmt: WavFormat | undefined;
  while (at + 8 <= bytes.length) {
    const id = ascii(bytes, at);
    const size = view.getUint32(at + 4, true);
    const body = at + 8;
    if (id === 'fmt ') fmt = parseFmtChunk(view, body, size, name);
    else if (id === 'data') {
      if (!fmt) throw failed(name, 'the data chunk comes before the fmt chunk');
      return { ...fmt, dataOffset: body, dataBytes: dataChunkBytes(fmt, size, fileSize - body, name) };
    }
    at = body + size + (size & 1);
  }
  throw failed(name, fmt ? 'no data chunk (file truncated?)' : 'no fmt chunk (file truncated?)');
}

/** What the `fmt ` chunk says. */
type WavFormat = Omit<WavHeader, 'dataOffset' | 'dataBytes'>;

/** Throws `AUDIO_UNSUPPORTED_FORMAT` for RF64/BW64 and anything that is not RIFF/WAVE (`AUDIO_DECODE_FAILED` for a cut-short RIFF header). */
function rejectNonWav(bytes: Uint8Array, name: string): void {
  if (bytes.length >= 4 && (ascii(bytes, 0) === 'RF64' || ascii(bytes, 0) === 'BW64')) {
    throw new AudioError(
      'AUDIO_UNSUPPORTED_FORMAT',
      `${name}: RF64 WAV files are not supported; convert to FLAC (flac ${name}).`,
      {
        location: name,
      },
    );
  }
  if (isWav(bytes)) return;
  // A prefix of a RIFF/WAVE header: a WAV file cut short, not another format.
  const riffPrefix = 'RIFF'.startsWith(String.fromCharCode(...bytes.subarray(0, 4)));
  if (bytes.length > 0 && bytes.length < 12 && riffPrefix)
    throw failed(name, 'the RIFF header is cut short (file truncated?)');
  // Anything else gets the advice every unknown type gets (what it looks like, how to convert it).
  throw unsupportedAudioFormat(bytes, name);
}

/** Reads and checks the `fmt ` chunk whose body starts at `body` (WAVE_FORMAT_EXTENSIBLE resolved to its subformat). */
function parseFmtChunk(view: DataView, body: number, size: number, name: string): WavFormat {
  if (size < 16 || body + 16 > view.byteLength) throw failed(name, 'the fmt chunk is too short');
  let formatTag = view.getUint16(body, true);
  const channels = view.getUint16(body + 2, true);
  const sampleRate = view.getUint32(body + 4, true);
  const bitsPerSample = view.getUint16(body + 14, true);
  if (formatTag === 0xfffe) {
    if (size < 40 || body + 26 > view.byteLength)
      throw failed(name, 'the WAVE_FORMAT_EXTENSIBLE fmt chunk is too short');
    formatTag = view.getUint16(body + 24, true);
  }
  const supported =
    (formatTag === 1 && [8, 16, 24, 32].includes(bitsPerSample)) ||
    (formatTag === 3 && (bitsPerSample === 32 || bitsPerSample === 64));
  if (!supported) {
    throw new AudioError(
      'AUDIO_UNSUPPORTED_FORMAT',
      `${name}: WAV encoding ${formatTag} with ${bitsPerSample} bits per sample is not supported (PCM 8/16/24/32-bit and float 32/64-bit are). Convert it with sox or ffmpeg.`,
      { location: name },
    );
  }
  if (channels === 0 || sampleRate === 0)
    throw failed(name, `the fmt chunk gives ${channels} channels at ${sampleRate} Hz`);
  checkSampleRate(sampleRate, name);
  return { sampleRate, channels, bitsPerSample, formatTag: formatTag as 1 | 3 };
}

/**
 * Bytes of whole sample frames in a data chunk declaring `size` bytes with `available` bytes left in
 * the file; a streamed chunk (size 0 or 0xFFFFFFFF) runs to the end of the file.
 */
function dataChunkBytes(fmt: WavFormat, size: number, available: number, name: string): number {
  const streamed = size === 0 || size === 0xffffffff;
  if (!streamed && size > available) {
    throw failed(name, `file is truncated: the data chunk declares ${size} bytes but only ${available} follow`);
  }
  let dataBytes = streamed ? available : size;
  const frame = (fmt.bitsPerSample / 8) * fmt.channels;
  if (dataBytes % frame !== 0) {
    if (!streamed)
      throw failed(name, `the data chunk size ${size} is not a whole number of ${frame}-byte sample frames`);
    dataBytes -= dataBytes % frame;
  }
  if (dataBytes === 0) throw emptyAudio(name, 'its data chunk holds 0 samples');
  return dataBytes;
}

/**
 * Decodes a WAV file: PCM 8 (unsigned), 16, 24, 32-bit integer and 32/64-bit float, any channel
 * count, WAVE_FORMAT_EXTENSIBLE included. Integers are scaled by 1/2^(bits-1) into [-1, 1).
 *
 * @param bytes - The whole file.
 * @param name - File name for error messages.
 * @returns Sample rate, bit depth and one Float32Array per channel.
 * @throws AsrqError as {@link parseWavHeader}.
 * @example
 * ```ts
 * const { sampleRate, channels } = decodeWav(bytes, 'a.wav');
 * ```
 */
export function decodeWav(
  bytes: Uint8Array,
  name = 'input',
  options: { firstFrame?: number } = {},
): { sampleRate: number; bitsPerSample: number; channels: Float32Array[] } {
  const h = parseWavHeader(bytes, bytes.length, name);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const bytesPerSample = h.bitsPerSample / 8;
  const frames = h.dataBytes / (bytesPerSample * h.channels);
  const channels = Array.from({ length: h.channels }, () => new Float32Array(frames));
  const stride = bytesPerSample * h.channels;
  for (let c = 0; c < h.channels; c++) {
    const out = channels[c]!;
    let at = h.dataOffset + c * bytesPerSample;
    if (h.formatTag === 3) {
      if (h.bitsPerSample === 32) for (let i = 0; i < frames; i++, at += stride) out[i] = view.getFloat32(at, true);
      else for (let i = 0; i < frames; i++, at += stride) out[i] = view.getFloat64(at, true);
    } else if (h.bitsPerSample === 16) {
      for (let i = 0; i < frames; i++, at += stride) out[i] = view.getInt16(at, true) / 32768;
    } else if (h.bitsPerSample === 24) {
      for (let i = 0; i < frames; i++, at += stride) {
        const v = bytes[at]! | (bytes[at + 1]! << 8) | (bytes[at + 2]! << 16);
        out[i] = ((v << 8) >> 8) / 8388608;
      }
    } else if (h.bitsPerSample === 32) {
      for (let i = 0; i < frames; i++, at += stride) out[i] = view.getInt32(at, true) / 2147483648;
    } else {
      for (let i = 0; i < frames; i++, at += stride) out[i] = (bytes[at]! - 128) / 128;
    }
  }
  if (h.formatTag === 3) checkFloatSamples(channels, name, h.sampleRate, options.firstFrame ?? 0);
  return { sampleRate: h.sampleRate, bitsPerSample: h.bitsPerSample, channels };
}

/**
 * Largest magnitude accepted in a float WAV (60 dB over full scale). Float audio lives in [-1, 1]
 * and a little beyond when clipped; values this large mean a corrupt file or integer-range values
 * stored as floats, which every model would hear as noise (or, past float range, as NaN).
 */
export const FLOAT_SAMPLE_LIMIT = 1000;

/** Throws `AUDIO_BAD_SAMPLES` at the first NaN, infinite or out-of-range sample of a float WAV. */
function checkFloatSamples(channels: readonly Float32Array[], name: string, rate: number, firstFrame: number): void {
  for (let c = 0; c < channels.length; c++) {
    const samples = channels[c]!;
    for (let i = 0; i < samples.length; i++) {
      const x = samples[i]!;
      if (x >= -FLOAT_SAMPLE_LIMIT && x <= FLOAT_SAMPLE_LIMIT) continue;
      const frame = firstFrame + i;
      throw new AudioError(
        'AUDIO_BAD_SAMPLES',
        `${name}: sample ${frame} of channel ${c + 1} (at ${(frame / rate).toFixed(3)} s) is ${x}; float WAV samples must be finite and within [-1, 1] (up to ${FLOAT_SAMPLE_LIMIT} is read as clipping). The file is corrupt or stores integer-range values as floats: re-export it as 16-bit PCM, or as float within [-1, 1].`,
        { location: name },
      );
    }
  }
}
