import type { BitReader } from './bit-reader.js';
import { crc16, crc8 } from './crc.js';
import type { FlacStreamInfo } from './flac-stream-info.js';
import { fail, readSubframe } from './flac-subframe.js';

const blockSizes = [0, 192, 576, 1152, 2304, 4608, -1, -2, 256, 512, 1024, 2048, 4096, 8192, 16384, 32768];
const sampleRates = [0, 88200, 176400, 192000, 8000, 16000, 22050, 24000, 32000, 44100, 48000, 96000, -1, -2, -3, -4];
const sampleSizes = [0, 8, 12, -1, 16, 20, 24, 32];

/** What a frame header says: its sample count and how its channels are coded. */
export interface FrameHeader {
  blockSize: number;
  /** 0-7: independent channels; 8 left/side, 9 side/right, 10 mid/side. */
  assignment: number;
  bitsPerSample: number;
}

/**
 * Reads and checks a frame header (sync code, block size, rate, channels, CRC-8).
 * @param r - Positioned at the frame's sync code.
 * @param bytes - The file, for the CRC.
 * @param offset - Byte offset of the frame.
 * @param streamInfo - The stream's STREAMINFO, which the frame must agree with.
 * @returns The header.
 * @throws FrameError when the header is damaged or disagrees with STREAMINFO.
 */
export function readFrameHeader(
  r: BitReader,
  bytes: Uint8Array,
  offset: number,
  streamInfo: FlacStreamInfo,
): FrameHeader {
  r.readBits(16);
  const blockSizeCode = r.readBits(4);
  const sampleRateCode = r.readBits(4);
  const assignment = r.readBits(4);
  const sampleSizeCode = r.readBits(3);
  if (r.readBits(1) !== 0) fail('reserved frame header bit is set');
  skipFrameNumber(r);
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
  if (bps !== streamInfo.bitsPerSample)
    fail(`frame has ${bps} bits per sample but STREAMINFO says ${streamInfo.bitsPerSample}`);
  if (assignment > 10) fail(`reserved channel assignment ${assignment}`);
  const frameChannels = assignment < 8 ? assignment + 1 : 2;
  if (frameChannels !== streamInfo.channels)
    fail(`frame has ${frameChannels} channels but STREAMINFO says ${streamInfo.channels}`);
  return { blockSize, assignment, bitsPerSample: bps };
}

/** Skips the UTF-8-style coded frame or sample number, checking its continuation bytes. */
function skipFrameNumber(r: BitReader): void {
  const first = r.readBits(8);
  const extra =
    first < 0x80
      ? 0
      : first >= 0xc0 && first < 0xe0
        ? 1
        : first < 0xf0 && first >= 0xe0
          ? 2
          : first < 0xf8 && first >= 0xf0
            ? 3
            : first < 0xfc && first >= 0xf8
              ? 4
              : first < 0xfe && first >= 0xfc
                ? 5
                : first === 0xfe
                  ? 6
                  : -1;
  if (extra < 0) fail('invalid frame number encoding');
  for (let i = 0; i < extra; i++) if ((r.readBits(8) & 0xc0) !== 0x80) fail('invalid frame number encoding');
}

/**
 * Decodes the subframes of a frame whose header was read into `work` (one buffer per channel,
 * at least `header.blockSize` long) and checks the frame's CRC-16.
 * @param r - Positioned just after the header.
 * @param bytes - The file, for the CRC.
 * @param offset - Byte offset of the frame.
 * @param header - From {@link readFrameHeader}.
 * @param work - Receives each channel's samples, still in the frame's channel coding.
 * @param coefs - Scratch for LPC coefficients (32 values).
 * @returns Byte offset of the next frame.
 * @throws FrameError on damage; EndOfDataError when the bytes end inside the frame.
 */
export function readFrameBody(
  r: BitReader,
  bytes: Uint8Array,
  offset: number,
  header: FrameHeader,
  work: Float64Array[],
  coefs: Float64Array,
): number {
  const { assignment, blockSize, bitsPerSample: bps } = header;
  for (let c = 0; c < work.length; c++) {
    const side = (assignment === 8 && c === 1) || (assignment === 9 && c === 0) || (assignment === 10 && c === 1);
    readSubframe(r, work[c]!, blockSize, side ? bps + 1 : bps, coefs);
  }
  r.alignToByte();
  const frameEnd = r.bytePosition;
  if (r.readBits(16) !== crc16(bytes, offset, frameEnd)) fail('frame CRC-16 mismatch');
  return frameEnd + 2;
}

/**
 * Undoes a frame's stereo decorrelation in place: afterwards `work[c]` holds channel `c`'s samples.
 * @param work - Decoded channels, as {@link readFrameBody} left them.
 * @param assignment - The frame's channel assignment (below 8: independent channels, nothing to do).
 * @param n - Samples in the frame.
 */
export function decorrelate(work: Float64Array[], assignment: number, n: number): void {
  if (assignment < 8) return;
  const a = work[0]!;
  const b = work[1]!;
  if (assignment === 8) {
    // left/side
    for (let i = 0; i < n; i++) b[i] = a[i]! - b[i]!;
  } else if (assignment === 9) {
    // side/right
    for (let i = 0; i < n; i++) a[i] = a[i]! + b[i]!;
  } else {
    // mid/side: the side's lowest bit was dropped from mid by the encoder.
    for (let i = 0; i < n; i++) {
      const y = b[i]!;
      const mid = a[i]! * 2 + (y % 2 === 0 ? 0 : 1);
      a[i] = Math.floor((mid + y) / 2);
      b[i] = Math.floor((mid - y) / 2);
    }
  }
}
