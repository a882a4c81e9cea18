import type { AsrqError } from '@asrq/core';
import { BitReader, EndOfDataError } from './bit-reader.js';
import { decorrelate, readFrameBody, readFrameHeader, type FrameHeader } from './flac-frame.js';
import { FrameError } from './flac-subframe.js';
import { checkSampleRate, emptyAudio } from './wav.js';
import { AudioError } from './errors.js';
import type { FlacStreamInfo } from './flac-stream-info.js';

/** Integer samples of a FLAC stream, one Int32Array per channel, exactly as `flac -d` gives them. */
export interface FlacSamples {
  streamInfo: FlacStreamInfo;
  channels: Int32Array[];
}

/** Float samples of a FLAC stream in [-1, 1): each integer sample over 2^(bitsPerSample - 1). */
export interface FlacFloatSamples {
  streamInfo: FlacStreamInfo;
  channels: Float32Array[];
}

/** How decoded samples are stored: as the integers `flac -d` gives, or scaled to float32. */
interface SampleKind<T extends Int32Array | Float32Array> {
  make(length: number): T;
  /** Copies `n` decoded samples to `dst` at `at`, scaled by `scale` where the kind scales. */
  copy(src: Float64Array, dst: T, at: number, n: number, scale: number): void;
  /** The scale for a stream of `bitsPerSample` bits. */
  scaleFor(bitsPerSample: number): number;
}

// Two small monomorphic copy loops: one typed-array kind each keeps the stores fast.
const INT_SAMPLES: SampleKind<Int32Array> = {
  make: (length) => new Int32Array(length),
  copy(src, dst, at, n) {
    for (let i = 0; i < n; i++) dst[at + i] = src[i]!;
  },
  scaleFor: () => 1,
};

const FLOAT_SAMPLES: SampleKind<Float32Array> = {
  make: (length) => new Float32Array(length),
  copy(src, dst, at, n, scale) {
    for (let i = 0; i < n; i++) dst[at + i] = src[i]! * scale;
  },
  scaleFor: (bitsPerSample) => 2 ** -(bitsPerSample - 1),
};

function decodeFailed(name: string, detail: string, cause?: unknown): AsrqError {
  return new AudioError(
    'AUDIO_DECODE_FAILED',
    `${name}: ${detail}. The file is damaged; re-download it or re-encode it from its source (flac -f in.wav).`,
    { location: name, cause },
  );
}

function id3v2Length(bytes: Uint8Array): number {
  if (bytes.length < 10 || bytes[0] !== 0x49 || bytes[1] !== 0x44 || bytes[2] !== 0x33) return 0;
  const size = ((bytes[6]! & 0x7f) << 21) | ((bytes[7]! & 0x7f) << 14) | ((bytes[8]! & 0x7f) << 7) | (bytes[9]! & 0x7f);
  const footer = bytes[5]! & 0x10 ? 10 : 0;
  return 10 + size + footer;
}

/**
 * True when `bytes` starts like a FLAC stream ("fLaC", possibly behind an ID3v2 tag).
 * @param bytes - The first bytes of a file (at least 4; more when an ID3 tag precedes).
 * @returns Whether it is FLAC.
 */
export function isFlac(bytes: Uint8Array): boolean {
  const at = id3v2Length(bytes);
  return bytes[at] === 0x66 && bytes[at + 1] === 0x4c && bytes[at + 2] === 0x61 && bytes[at + 3] === 0x43;
}

/**
 * Reads the FLAC STREAMINFO and finds where the audio frames start, without decoding audio.
 *
 * @param bytes - The file, or at least its metadata blocks (for `audioOffset`) or its first
 *   ~50 bytes (for `streamInfo` alone).
 * @param name - File name for error messages.
 * @returns STREAMINFO and the byte offset of the first frame (`-1` when `bytes` ends inside the metadata).
 * @throws AsrqError `AUDIO_UNSUPPORTED_FORMAT` when the bytes are not FLAC, `AUDIO_DECODE_FAILED`
 *   when the metadata is damaged or cut short.
 * @example
 * ```ts
 * const { streamInfo } = parseFlacHeader(bytes.subarray(0, 4096), 'a.flac');
 * streamInfo.totalSamples / streamInfo.sampleRate; // duration in seconds
 * ```
 */
export function parseFlacHeader(
  bytes: Uint8Array,
  name = 'input',
): { streamInfo: FlacStreamInfo; audioOffset: number } {
  if (!isFlac(bytes)) {
    throw new AudioError('AUDIO_UNSUPPORTED_FORMAT', `${name}: not a FLAC stream (no "fLaC" marker).`, {
      location: name,
    });
  }
  let at = id3v2Length(bytes) + 4;
  let streamInfo: FlacStreamInfo | undefined;
  for (;;) {
    if (at + 4 > bytes.length) {
      if (streamInfo) return { streamInfo, audioOffset: -1 };
      throw decodeFailed(name, 'file ends inside the FLAC metadata (truncated)');
    }
    const last = (bytes[at]! & 0x80) !== 0;
    const type = bytes[at]! & 0x7f;
    const length = (bytes[at + 1]! << 16) | (bytes[at + 2]! << 8) | bytes[at + 3]!;
    const body = at + 4;
    if (streamInfo === undefined) {
      if (type !== 0 || length < 34)
        throw decodeFailed(name, 'the first FLAC metadata block is not a valid STREAMINFO');
      if (body + 34 > bytes.length) throw decodeFailed(name, 'file ends inside the FLAC STREAMINFO (truncated)');
      const r = new BitReader(bytes, body);
      const minBlockSize = r.readBits(16);
      const maxBlockSize = r.readBits(16);
      r.readBits(24);
      r.readBits(24);
      const sampleRate = r.readBits(20);
      const channels = r.readBits(3) + 1;
      const bitsPerSample = r.readBits(5) + 1;
      const totalSamples = r.readBits(4) * 2 ** 32 + r.readBits(32);
      let md5 = '';
      for (let i = 0; i < 16; i++) md5 += bytes[body + 18 + i]!.toString(16).padStart(2, '0');
      if (sampleRate === 0) throw decodeFailed(name, 'STREAMINFO gives a sample rate of 0');
      checkSampleRate(sampleRate, name);
      if (bitsPerSample < 4)
        throw decodeFailed(name, `STREAMINFO gives ${bitsPerSample} bits per sample (minimum is 4)`);
      streamInfo = { sampleRate, channels, bitsPerSample, totalSamples, minBlockSize, maxBlockSize, md5 };
    } else if (type === 127) {
      throw decodeFailed(name, `invalid FLAC metadata block type 127 at byte ${at}`);
    }
    at = body + length;
    if (last) {
      if (at > bytes.length) return { streamInfo, audioOffset: -1 };
      return { streamInfo, audioOffset: at };
    }
  }
}

/**
 * Decodes a whole FLAC file to integer samples. Pure TypeScript (no Node API, no WASM), so it
 * is synchronous and runs in browsers too. Every frame's CRC-8 and CRC-16 is checked, so
 * corruption is reported instead of decoded into noise. Handles 4..32 bits per sample, 1..8
 * channels, fixed and variable block sizes, all predictor and residual coding types.
 *
 * @param bytes - The whole FLAC file.
 * @param options - `name`: file name used in error messages. `onBlock`: when given, each frame's
 *   samples are handed to it as they are decoded (in buffers reused for the next frame, trimmed to
 *   STREAMINFO's count) instead of being kept, so a long file is never held decoded in full; the
 *   returned channels are then empty.
 * @returns STREAMINFO and one Int32Array of samples per channel.
 * @throws AsrqError `AUDIO_UNSUPPORTED_FORMAT` when not FLAC; `AUDIO_DECODE_FAILED` (naming the
 *   file, frame and byte) when truncated or corrupt; `AUDIO_EMPTY` when it holds no sample; what `onBlock` throws.
 * @example
 * ```ts
 * const { streamInfo, channels } = decodeFlacSamples(bytes, { name: 'a.flac' });
 * channels[0]![0]; // first sample of the first channel, an integer of streamInfo.bitsPerSample bits
 * ```
 */
export function decodeFlacSamples(
  bytes: Uint8Array,
  options: { name?: string; onBlock?: (channels: Int32Array[], firstSample: number) => void } = {},
): FlacSamples {
  return decodeFlac(bytes, INT_SAMPLES, options);
}

/**
 * Decodes a whole FLAC file to float samples in [-1, 1) (each integer over 2^(bitsPerSample - 1)),
 * as {@link decodeFlacSamples} with the conversion done while the frames are written: no integer copy.
 *
 * @param bytes - The whole FLAC file.
 * @param options - As {@link decodeFlacSamples}; `onBlock` receives float blocks.
 * @returns STREAMINFO and one Float32Array per channel.
 * @throws As {@link decodeFlacSamples}.
 * @example
 * ```ts
 * const { channels } = decodeFlacFloat(bytes, { name: 'a.flac' });
 * ```
 */
export function decodeFlacFloat(
  bytes: Uint8Array,
  options: { name?: string; onBlock?: (channels: Float32Array[], firstSample: number) => void } = {},
): FlacFloatSamples {
  return decodeFlac(bytes, FLOAT_SAMPLES, options);
}

function decodeFlac<T extends Int32Array | Float32Array>(
  bytes: Uint8Array,
  kind: SampleKind<T>,
  options: { name?: string; onBlock?: (channels: T[], firstSample: number) => void },
): { streamInfo: FlacStreamInfo; channels: T[] } {
  const name = options.name ?? 'input';
  const { streamInfo, audioOffset } = parseFlacHeader(bytes, name);
  if (audioOffset < 0) throw decodeFailed(name, 'file ends inside the FLAC metadata (truncated)');
  const output = new SampleOutput(streamInfo, bytes.length, kind, options.onBlock);
  // Sized by STREAMINFO and grown if a frame is larger: small files stay cheap to decode.
  let work = Array.from({ length: streamInfo.channels }, () => new Float64Array(streamInfo.maxBlockSize || 4096));
  const coefs = new Float64Array(32);
  const total = streamInfo.totalSamples;
  let frameIndex = 0;
  let offset = audioOffset;
  while (offset < bytes.length) {
    if (total > 0 && output.decoded >= total) break;
    if (bytes[offset] !== 0xff || (bytes[offset + 1]! & 0xfe) !== 0xf8) {
      // An ID3v1 tag may trail the last frame of streams whose length was not known.
      if (total === 0 && bytes[offset] === 0x54 && bytes[offset + 1] === 0x41 && bytes[offset + 2] === 0x47) break;
      throw decodeFailed(
        name,
        `no FLAC frame sync code at byte ${offset} (frame ${frameIndex}, after ${output.decoded} samples)`,
      );
    }
    let header: FrameHeader;
    let next: number;
    try {
      const r = new BitReader(bytes, offset);
      header = readFrameHeader(r, bytes, offset, streamInfo);
      const blockSize = header.blockSize;
      if (blockSize > work[0]!.length) work = work.map(() => new Float64Array(blockSize));
      next = readFrameBody(r, bytes, offset, header, work, coefs);
    } catch (error) {
      throw frameFailure(error, name, streamInfo, { frameIndex, offset, decoded: output.decoded });
    }
    decorrelate(work, header.assignment, header.blockSize);
    output.write(work, header.blockSize);
    offset = next;
    frameIndex++;
  }
  return output.finish(name);
}

/** The error for a frame that could not be decoded: truncation or corruption, naming the frame; other errors as they are. */
function frameFailure(
  error: unknown,
  name: string,
  streamInfo: FlacStreamInfo,
  at: { frameIndex: number; offset: number; decoded: number },
): unknown {
  const { frameIndex, offset, decoded } = at;
  if (error instanceof EndOfDataError) {
    const promised = streamInfo.totalSamples > 0 ? ` of the ${streamInfo.totalSamples} STREAMINFO promises` : '';
    return decodeFailed(
      name,
      `file is truncated: it ends inside frame ${frameIndex} (byte ${offset}), after ${decoded} samples${promised}`,
    );
  }
  if (error instanceof FrameError)
    return decodeFailed(name, `corrupt frame ${frameIndex} at byte ${offset}: ${error.message}`);
  return error;
}

/** Where decoded frames go: channels grown as needed, or each frame handed to `onBlock`. */
class SampleOutput<T extends Int32Array | Float32Array> {
  /** Samples per channel decoded so far. */
  decoded = 0;
  private outputs: T[];
  private block: T[] = [];
  private capacity: number;
  private readonly scale: number;

  constructor(
    private readonly streamInfo: FlacStreamInfo,
    byteLength: number,
    private readonly kind: SampleKind<T>,
    private readonly sink: ((channels: T[], firstSample: number) => void) | undefined,
  ) {
    // STREAMINFO's count is only a claim (36 bits: up to 68 G samples): allocate what the bytes can
    // plausibly hold and grow while decoding, so a corrupt header cannot ask for gigabytes.
    const plausible = Math.max(65536, 4 * byteLength);
    const total = streamInfo.totalSamples;
    this.capacity = total > 0 ? Math.min(total, plausible) : Math.max(4096, byteLength);
    this.outputs = Array.from({ length: streamInfo.channels }, () => kind.make(sink ? 0 : this.capacity));
    this.scale = kind.scaleFor(streamInfo.bitsPerSample);
  }

  /** Adds a decoded frame (already decorrelated: `work[c]` is channel `c`). */
  write(work: Float64Array[], blockSize: number): void {
    const { decoded, sink, kind, scale } = this;
    if (sink) {
      if ((this.block[0]?.length ?? 0) < blockSize)
        this.block = Array.from({ length: this.streamInfo.channels }, () => kind.make(blockSize));
      this.block.forEach((b, c) => kind.copy(work[c]!, b, 0, blockSize, scale));
      const total = this.streamInfo.totalSamples;
      const keep = total > 0 ? Math.min(blockSize, total - decoded) : blockSize;
      sink(
        this.block.map((b) => b.subarray(0, keep) as T),
        decoded,
      );
    } else {
      if (decoded + blockSize > this.capacity) {
        const capacity = Math.max(this.capacity * 2, decoded + blockSize);
        this.capacity = capacity;
        this.outputs = this.outputs.map((old) => {
          const grown = kind.make(capacity);
          grown.set(old.subarray(0, decoded));
          return grown;
        });
      }
      this.outputs.forEach((o, c) => kind.copy(work[c]!, o, decoded, blockSize, scale));
    }
    this.decoded = decoded + blockSize;
  }

  /** Checks the count against STREAMINFO and trims the channels. */
  finish(name: string): { streamInfo: FlacStreamInfo; channels: T[] } {
    const { streamInfo, decoded } = this;
    if (streamInfo.totalSamples > 0 && decoded < streamInfo.totalSamples) {
      throw decodeFailed(
        name,
        `file is truncated: ${decoded} of the ${streamInfo.totalSamples} samples STREAMINFO promises are present`,
      );
    }
    const length = streamInfo.totalSamples > 0 ? streamInfo.totalSamples : decoded;
    if (length === 0) throw emptyAudio(name, 'no FLAC frame holds a sample');
    const channels = this.outputs.map((o) => (o.length === length ? o : (o.slice(0, length) as T)));
    return { streamInfo, channels };
  }
}
