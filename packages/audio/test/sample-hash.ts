import { createHash } from 'node:crypto';

/**
 * MD5 of integer samples laid out as FLAC's STREAMINFO MD5 is computed: interleaved,
 * little-endian, ceil(bits / 8) bytes per sample. So it can be checked against the encoder's own sum.
 */
export function sampleMd5(channels: readonly Int32Array[], bitsPerSample: number): string {
  const width = Math.ceil(bitsPerSample / 8);
  const frames = channels[0]?.length ?? 0;
  const buffer = Buffer.alloc(frames * channels.length * width);
  let at = 0;
  for (let i = 0; i < frames; i++) {
    for (const channel of channels) {
      buffer.writeIntLE(channel[i]!, at, width);
      at += width;
    }
  }
  return createHash('md5').update(buffer).digest('hex');
}
