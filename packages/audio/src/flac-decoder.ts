import { AsrqError } from '@asrq/core';
import { BitReader, EndOfDataError } from './bit-reader.js';
import { crc16, crc8 } from './crc.js';
import { checkSampleRate, emptyAudio } from './wav.js';
import { AudioError } from './errors.js';

/** The FLAC STREAMINFO block: stream-wide facts written by the encoder. */
export interface FlacStreamInfo {
  sampleRate: number;
  channels: number;
  bitsPerSample: number;
  /** Samples per channel; 0 when the encoder did not know it (streamed output). */
  totalSamples: number;
  minBlockSize: number;
  maxBlockSize: number;
  /** MD5 of the decoded samples as hex (all zeros when unset). */
  md5: string;
}

/** Integer samples of a FLAC stream, one Int32Array per channel, exactly as `flac -d` gives them. */
export interface FlacSamples {
  streamInfo: FlacStreamInfo;
  channels: Int32Array[];
}

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
export function parseFlacHeader(bytes: Uint8Array, name = 'input'): { streamInfo: FlacStreamInfo; audioOffset: number } {
  if (!isFlac(bytes)) {
    throw new AudioError('AUDIO_UNSUPPORTED_FORMAT', `${name}: not a FLAC stream (no "fLaC" marker).`, { location: name });
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
      if (type !== 0 || length < 34) throw decodeFailed(name, 'the first FLAC metadata block is not a valid STREAMINFO');
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
      if (bitsPerSample < 4) throw decodeFailed(name, `STREAMINFO gives ${bitsPerSample} bits per sample (minimum is 4)`);
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

const blockSizes = [0, 192, 576, 1152, 2304, 4608, -1, -2, 256, 512, 1024, 2048, 4096, 8192, 16384, 32768];
const sampleRates = [0, 88200, 176400, 192000, 8000, 16000, 22050, 24000, 32000, 44100, 48000, 96000, -1, -2, -3, -4];
const sampleSizes = [0, 8, 12, -1, 16, 20, 24, 32];

class FrameError extends Error {}

function fail(detail: string): never {
  throw new FrameError(detail);
}

function readResidual(r: BitReader, out: Float64Array, blockSize: number, order: number): void {
  const method = r.readBits(2);
  if (method > 1) fail(`reserved residual coding method ${method}`);
  const paramBits = method === 0 ? 4 : 5;
  const escape = method === 0 ? 15 : 31;
  const partitionOrder = r.readBits(4);
  const partitions = 1 << partitionOrder;
  const perPartition = blockSize >> partitionOrder;
  if (perPartition * partitions !== blockSize || perPartition < order) {
    fail(`residual partition order ${partitionOrder} does not fit block size ${blockSize}`);
  }
  let index = order;
  for (let p = 0; p < partitions; p++) {
    const count = p === 0 ? perPartition - order : perPartition;
    const k = r.readBits(paramBits);
    if (k === escape) {
      const bits = r.readBits(5);
      for (let i = 0; i < count; i++) out[index + i] = r.readSigned(bits);
    } else {
      r.readRice(out, index, count, k);
    }
    index += count;
  }
}

function restoreFixed(s: Float64Array, n: number, order: number): void {
  switch (order) {
    case 0:
      return;
    case 1:
      for (let i = 1; i < n; i++) s[i] = s[i]! + s[i - 1]!;
      return;
    case 2:
      for (let i = 2; i < n; i++) s[i] = s[i]! + 2 * s[i - 1]! - s[i - 2]!;
      return;
    case 3:
      for (let i = 3; i < n; i++) s[i] = s[i]! + 3 * (s[i - 1]! - s[i - 2]!) + s[i - 3]!;
      return;
    case 4:
      for (let i = 4; i < n; i++) s[i] = s[i]! + 4 * (s[i - 1]! + s[i - 3]!) - 6 * s[i - 2]! - s[i - 4]!;
      return;
    default:
      fail(`reserved fixed predictor order ${order}`);
  }
}

function restoreLpc(s: Float64Array, n: number, coefs: Float64Array, order: number, shift: number): void {
  // Exact in doubles: |coef| < 2^15 and |sample| <= 2^32 over at most 32 taps stays below 2^53,
  // and scaling by 2^-shift then flooring is the encoder's arithmetic shift.
  const scale = 2 ** -shift;
  let i = order;
  if (order <= 12) {
    // Unrolled with the coefficients in locals (unused ones are zero): the decoder's hottest loop.
    const width = order <= 8 ? 8 : 12;
    for (; i < width && i < n; i++) {
      let sum = 0;
      for (let j = 0; j < order; j++) sum += coefs[j]! * s[i - 1 - j]!;
      s[i] = s[i]! + Math.floor(sum * scale);
    }
    const c0 = coefs[0]!, c1 = coefs[1]!, c2 = coefs[2]!, c3 = coefs[3]!, c4 = coefs[4]!, c5 = coefs[5]!;
    const c6 = coefs[6]!, c7 = coefs[7]!, c8 = coefs[8]!, c9 = coefs[9]!, c10 = coefs[10]!, c11 = coefs[11]!;
    if (width === 8) {
      for (; i < n; i++) {
        const sum = c0 * s[i - 1]! + c1 * s[i - 2]! + c2 * s[i - 3]! + c3 * s[i - 4]!
          + (c4 * s[i - 5]! + c5 * s[i - 6]! + c6 * s[i - 7]! + c7 * s[i - 8]!);
        s[i] = s[i]! + Math.floor(sum * scale);
      }
    } else {
      for (; i < n; i++) {
        const sum = c0 * s[i - 1]! + c1 * s[i - 2]! + c2 * s[i - 3]! + c3 * s[i - 4]!
          + (c4 * s[i - 5]! + c5 * s[i - 6]! + c6 * s[i - 7]! + c7 * s[i - 8]!)
          + (c8 * s[i - 9]! + c9 * s[i - 10]! + c10 * s[i - 11]! + c11 * s[i - 12]!);
        s[i] = s[i]! + Math.floor(sum * scale);
      }
    }
    return;
  }
  for (; i < n; i++) {
    let sum = 0;
    for (let j = 0; j < order; j++) sum += coefs[j]! * s[i - 1 - j]!;
    s[i] = s[i]! + Math.floor(sum * scale);
  }
}

function readSubframe(r: BitReader, out: Float64Array, blockSize: number, bps: number, coefs: Float64Array): void {
  if (r.readBits(1) !== 0) fail('subframe padding bit is set');
  const type = r.readBits(6);
  const wasted = r.readBits(1) === 1 ? r.readUnary() + 1 : 0;
  const bits = bps - wasted;
  if (bits <= 0) fail(`${wasted} wasted bits in a ${bps}-bit subframe`);
  if (type === 0) {
    out.fill(r.readSigned(bits), 0, blockSize);
  } else if (type === 1) {
    for (let i = 0; i < blockSize; i++) out[i] = r.readSigned(bits);
  } else if (type >= 8 && type <= 12) {
    const order = type - 8;
    if (order > blockSize) fail(`predictor order ${order} exceeds block size ${blockSize}`);
    for (let i = 0; i < order; i++) out[i] = r.readSigned(bits);
    readResidual(r, out, blockSize, order);
    restoreFixed(out, blockSize, order);
  } else if (type >= 32) {
    const order = type - 31;
    if (order > blockSize) fail(`LPC order ${order} exceeds block size ${blockSize}`);
    for (let i = 0; i < order; i++) out[i] = r.readSigned(bits);
    const precision = r.readBits(4) + 1;
    if (precision === 16) fail('invalid LPC coefficient precision');
    const shift = r.readSigned(5);
    if (shift < 0) fail('negative LPC shift');
    coefs.fill(0);
    for (let j = 0; j < order; j++) coefs[j] = r.readSigned(precision);
    readResidual(r, out, blockSize, order);
    restoreLpc(out, blockSize, coefs, order, shift);
  } else {
    fail(`reserved subframe type ${type}`);
  }
  if (wasted > 0) {
    const scale = 2 ** wasted;
    for (let i = 0; i < blockSize; i++) out[i] = out[i]! * scale;
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
  const name = options.name ?? 'input';
  const { streamInfo, audioOffset } = parseFlacHeader(bytes, name);
  if (audioOffset < 0) throw decodeFailed(name, 'file ends inside the FLAC metadata (truncated)');
  const channelCount = streamInfo.channels;
  // STREAMINFO's count is only a claim (36 bits: up to 68 G samples): allocate what the bytes can
  // plausibly hold and grow while decoding, so a corrupt header cannot ask for gigabytes.
  const plausible = Math.max(65536, 4 * bytes.length);
  let capacity = streamInfo.totalSamples > 0 ? Math.min(streamInfo.totalSamples, plausible) : Math.max(4096, bytes.length);
  const sink = options.onBlock;
  let outputs = Array.from({ length: channelCount }, () => new Int32Array(sink ? 0 : capacity));
  let block: Int32Array[] = [];
  // Sized by STREAMINFO and grown if a frame is larger: small files stay cheap to decode.
  let work = Array.from({ length: channelCount }, () => new Float64Array(streamInfo.maxBlockSize || 4096));
  const coefs = new Float64Array(32);
  let decoded = 0;
  let frameIndex = 0;
  let offset = audioOffset;

  while (offset < bytes.length) {
    if (streamInfo.totalSamples > 0 && decoded >= streamInfo.totalSamples) break;
    if (bytes[offset] !== 0xff || (bytes[offset + 1]! & 0xfe) !== 0xf8) {
      // An ID3v1 tag may trail the last frame of streams whose length was not known.
      if (streamInfo.totalSamples === 0 && bytes[offset] === 0x54 && bytes[offset + 1] === 0x41 && bytes[offset + 2] === 0x47) break;
      throw decodeFailed(name, `no FLAC frame sync code at byte ${offset} (frame ${frameIndex}, after ${decoded} samples)`);
    }
    try {
      const r = new BitReader(bytes, offset);
      r.readBits(16);
      const blockSizeCode = r.readBits(4);
      const sampleRateCode = r.readBits(4);
      const assignment = r.readBits(4);
      const sampleSizeCode = r.readBits(3);
      if (r.readBits(1) !== 0) fail('reserved frame header bit is set');
      const first = r.readBits(8);
      const extra = first < 0x80 ? 0 : first >= 0xc0 && first < 0xe0 ? 1 : first < 0xf0 && first >= 0xe0 ? 2
        : first < 0xf8 && first >= 0xf0 ? 3 : first < 0xfc && first >= 0xf8 ? 4 : first < 0xfe && first >= 0xfc ? 5 : first === 0xfe ? 6 : -1;
      if (extra < 0) fail('invalid frame number encoding');
      for (let i = 0; i < extra; i++) if ((r.readBits(8) & 0xc0) !== 0x80) fail('invalid frame number encoding');
      let blockSize = blockSizes[blockSizeCode]!;
      if (blockSize === 0) fail('reserved block size code 0');
      if (blockSize === -1) blockSize = r.readBits(8) + 1;
      else if (blockSize === -2) blockSize = r.readBits(16) + 1;
      const rateCode = sampleRates[sampleRateCode]!;
      if (rateCode === -1) r.readBits(8);
      else if (rateCode === -2 || rateCode === -3) r.readBits(16);
      else if (rateCode === -4) fail('invalid sample rate code 15');
      const headerEnd = r.bytePosition;
      if (r.readBits(8) !== crc8(bytes, offset, headerEnd)) fail('frame header CRC-8 mismatch');

      let bps = sampleSizes[sampleSizeCode]!;
      if (bps === -1) fail('reserved sample size code 3');
      if (bps === 0) bps = streamInfo.bitsPerSample;
      if (bps !== streamInfo.bitsPerSample) fail(`frame has ${bps} bits per sample but STREAMINFO says ${streamInfo.bitsPerSample}`);
      if (assignment > 10) fail(`reserved channel assignment ${assignment}`);
      const frameChannels = assignment < 8 ? assignment + 1 : 2;
      if (frameChannels !== channelCount) fail(`frame has ${frameChannels} channels but STREAMINFO says ${channelCount}`);

      if (blockSize > work[0]!.length) work = work.map(() => new Float64Array(blockSize));
      for (let c = 0; c < frameChannels; c++) {
        const side = (assignment === 8 && c === 1) || (assignment === 9 && c === 0) || (assignment === 10 && c === 1);
        readSubframe(r, work[c]!, blockSize, side ? bps + 1 : bps, coefs);
      }
      r.alignToByte();
      const frameEnd = r.bytePosition;
      if (r.readBits(16) !== crc16(bytes, offset, frameEnd)) fail('frame CRC-16 mismatch');

      if (sink) {
        if ((block[0]?.length ?? 0) < blockSize) block = Array.from({ length: channelCount }, () => new Int32Array(blockSize));
        writeChannels(work, block, assignment, blockSize, 0);
        const keep = streamInfo.totalSamples > 0 ? Math.min(blockSize, streamInfo.totalSamples - decoded) : blockSize;
        sink(block.map((b) => b.subarray(0, keep)), decoded);
      } else if (decoded + blockSize > capacity) {
        capacity = Math.max(capacity * 2, decoded + blockSize);
        outputs = outputs.map((old) => {
          const grown = new Int32Array(capacity);
          grown.set(old.subarray(0, decoded));
          return grown;
        });
      }
      if (!sink) writeChannels(work, outputs, assignment, blockSize, decoded);
      decoded += blockSize;
      offset = frameEnd + 2;
      frameIndex++;
    } catch (error) {
      if (error instanceof EndOfDataError) {
        const promised = streamInfo.totalSamples > 0 ? ` of the ${streamInfo.totalSamples} STREAMINFO promises` : '';
        throw decodeFailed(name, `file is truncated: it ends inside frame ${frameIndex} (byte ${offset}), after ${decoded} samples${promised}`);
      }
      if (error instanceof FrameError) {
        throw decodeFailed(name, `corrupt frame ${frameIndex} at byte ${offset}: ${error.message}`);
      }
      throw error;
    }
  }
  if (streamInfo.totalSamples > 0 && decoded < streamInfo.totalSamples) {
    throw decodeFailed(name, `file is truncated: ${decoded} of the ${streamInfo.totalSamples} samples STREAMINFO promises are present`);
  }
  const length = streamInfo.totalSamples > 0 ? streamInfo.totalSamples : decoded;
  if (length === 0) throw emptyAudio(name, 'no FLAC frame holds a sample');
  const channels = outputs.map((o) => (o.length === length ? o : o.slice(0, length)));
  return { streamInfo, channels };
}

function writeChannels(work: Float64Array[], outputs: Int32Array[], assignment: number, n: number, at: number): void {
  if (assignment < 8) {
    for (let c = 0; c < outputs.length; c++) {
      const src = work[c]!;
      const dst = outputs[c]!;
      for (let i = 0; i < n; i++) dst[at + i] = src[i]!;
    }
    return;
  }
  const a = work[0]!;
  const b = work[1]!;
  const left = outputs[0]!;
  const right = outputs[1]!;
  for (let i = 0; i < n; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (assignment === 8) {
      left[at + i] = x;
      right[at + i] = x - y;
    } else if (assignment === 9) {
      left[at + i] = x + y;
      right[at + i] = y;
    } else {
      // mid/side: the side's lowest bit was dropped from mid by the encoder.
      const mid = x * 2 + (y % 2 === 0 ? 0 : 1);
      left[at + i] = Math.floor((mid + y) / 2);
      right[at + i] = Math.floor((mid - y) / 2);
    }
  }
}
