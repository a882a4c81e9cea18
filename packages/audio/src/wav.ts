import type { AsrqError } from '@asrq/core';
import { AudioError } from './errors.js';

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
  if (bytes.length >= 4 && (ascii(bytes, 0) === 'RF64' || ascii(bytes, 0) === 'BW64')) {
    throw new AudioError(
      'AUDIO_UNSUPPORTED_FORMAT',
      `${name}: RF64 WAV files are not supported; convert to FLAC (flac ${name}).`,
      {
        location: name,
      },
    );
  }
  if (!isWav(bytes)) {
    throw new AudioError('AUDIO_UNSUPPORTED_FORMAT', `${name}: not a RIFF/WAVE file.`, { location: name });
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let at = 12;
  let fmt: Omit<WavHeader, 'dataOffset' | 'dataBytes'> | undefined;
  while (at + 8 <= bytes.length) {
    const id = ascii(bytes, at);
    const size = view.getUint32(at + 4, true);
    const body = at + 8;
    if (id === 'fmt ') {
      if (size < 16 || body + 16 > bytes.length) throw failed(name, 'the fmt chunk is too short');
      let formatTag = view.getUint16(body, true);
      const channels = view.getUint16(body + 2, true);
      const sampleRate = view.getUint32(body + 4, true);
      const bitsPerSample = view.getUint16(body + 14, true);
      if (formatTag === 0xfffe) {
        if (size < 40 || body + 26 > bytes.length)
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
      fmt = { sampleRate, channels, bitsPerSample, formatTag: formatTag as 1 | 3 };
    } else if (id === 'data') {
      if (!fmt) throw failed(name, 'the data chunk comes before the fmt chunk');
      const available = fileSize - body;
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
      return { ...fmt, dataOffset: body, dataBytes };
    }
    at = body + size + (size & 1);
  }
  throw failed(name, fmt ? 'no data chunk (file truncated?)' : 'no fmt chunk (file truncated?)');
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
  return { sampleRate: h.sampleRate, bitsPerSample: h.bitsPerSample, channels };
}

/**
 * Encodes channels as a PCM or float WAV file (the inverse of {@link decodeWav}), for tests,
 * fixtures and tools that hand audio to other programs. Integer output is rounded and clipped.
 *
 * @param channels - One array per channel, equal lengths, samples in [-1, 1].
 * @param sampleRate - Samples per second.
 * @param options - `bitsPerSample` (8, 16, 24, 32; default 16) and `float` (32-bit IEEE float).
 * @returns The WAV file bytes.
 * @example
 * ```ts
 * const bytes = encodeWav([samples], 16000, { bitsPerSample: 24 });
 * ```
 */
export function encodeWav(
  channels: readonly Float32Array[],
  sampleRate: number,
  options: { bitsPerSample?: 8 | 16 | 24 | 32; float?: boolean } = {},
): Uint8Array {
  const float = options.float === true;
  const bits = float ? 32 : (options.bitsPerSample ?? 16);
  const bytesPerSample = bits / 8;
  const frames = channels[0]?.length ?? 0;
  const dataBytes = frames * channels.length * bytesPerSample;
  // WAVE_FORMAT_EXTENSIBLE is what the spec asks for beyond 2 channels or 16 bits; flac insists on it.
  const extensible = channels.length > 2 || bits > 16;
  const fmtBytes = extensible ? 40 : 16;
  const header = 20 + fmtBytes + 8;
  const out = new Uint8Array(header + dataBytes);
  const view = new DataView(out.buffer);
  const put = (at: number, text: string): void => {
    for (let i = 0; i < 4; i++) out[at + i] = text.charCodeAt(i);
  };
  const formatTag = float ? 3 : 1;
  put(0, 'RIFF');
  view.setUint32(4, header - 8 + dataBytes, true);
  put(8, 'WAVE');
  put(12, 'fmt ');
  view.setUint32(16, fmtBytes, true);
  view.setUint16(20, extensible ? 0xfffe : formatTag, true);
  view.setUint16(22, channels.length, true);
  view.setUint32(24, sampleRate, true);
  view.setUint32(28, sampleRate * channels.length * bytesPerSample, true);
  view.setUint16(32, channels.length * bytesPerSample, true);
  view.setUint16(34, bits, true);
  if (extensible) {
    view.setUint16(36, 22, true);
    view.setUint16(38, bits, true);
    // Channel mask 0: no speaker positions claimed. Then the subformat GUID xxxxxxxx-0000-0010-8000-00aa00389b71.
    view.setUint32(40, 0, true);
    view.setUint16(44, formatTag, true);
    out.set([0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xaa, 0x00, 0x38, 0x9b, 0x71], 46);
  }
  put(header - 8, 'data');
  view.setUint32(header - 4, dataBytes, true);
  const scale = 2 ** (bits - 1);
  let at = header;
  for (let i = 0; i < frames; i++) {
    for (const channel of channels) {
      const x = channel[i] ?? 0;
      if (float) {
        view.setFloat32(at, x, true);
      } else {
        const v = Math.max(-scale, Math.min(scale - 1, Math.round(x * scale)));
        if (bits === 8) out[at] = v + 128;
        else if (bits === 16) view.setInt16(at, v, true);
        else if (bits === 24) {
          out[at] = v & 0xff;
          out[at + 1] = (v >> 8) & 0xff;
          out[at + 2] = (v >> 16) & 0xff;
        } else view.setInt32(at, v, true);
      }
      at += bytesPerSample;
    }
  }
  return out;
}
