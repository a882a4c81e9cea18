/** Sample encoding of a WAV file being written. */
interface WavLayout {
  channels: number;
  sampleRate: number;
  bits: number;
  float: boolean;
  dataBytes: number;
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
  const frames = channels[0]?.length ?? 0;
  const dataBytes = frames * channels.length * (bits / 8);
  const layout: WavLayout = { channels: channels.length, sampleRate, bits, float, dataBytes };
  const header = headerBytes(layout);
  const out = new Uint8Array(header + dataBytes);
  writeHeader(out, layout);
  writeSamples(out, header, channels, layout);
  return out;
}

/** WAVE_FORMAT_EXTENSIBLE is what the spec asks for beyond 2 channels or 16 bits; flac insists on it. */
function isExtensible(layout: WavLayout): boolean {
  return layout.channels > 2 || layout.bits > 16;
}

/** Bytes before the first sample: RIFF header, fmt chunk (16 or 40 bytes), data chunk header. */
function headerBytes(layout: WavLayout): number {
  return 20 + (isExtensible(layout) ? 40 : 16) + 8;
}

/** Writes the RIFF header, the fmt chunk and the data chunk header at the start of `out`. */
function writeHeader(out: Uint8Array, layout: WavLayout): void {
  const { channels, sampleRate, bits, dataBytes } = layout;
  const bytesPerSample = bits / 8;
  const extensible = isExtensible(layout);
  const fmtBytes = extensible ? 40 : 16;
  const header = headerBytes(layout);
  const view = new DataView(out.buffer);
  const put = (at: number, text: string): void => {
    for (let i = 0; i < 4; i++) out[at + i] = text.charCodeAt(i);
  };
  const formatTag = layout.float ? 3 : 1;
  put(0, 'RIFF');
  view.setUint32(4, header - 8 + dataBytes, true);
  put(8, 'WAVE');
  put(12, 'fmt ');
  view.setUint32(16, fmtBytes, true);
  view.setUint16(20, extensible ? 0xfffe : formatTag, true);
  view.setUint16(22, channels, true);
  view.setUint32(24, sampleRate, true);
  view.setUint32(28, sampleRate * channels * bytesPerSample, true);
  view.setUint16(32, channels * bytesPerSample, true);
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
}

/** Writes the channels interleaved from byte `start` on: float as is, integers rounded and clipped. */
function writeSamples(out: Uint8Array, start: number, channels: readonly Float32Array[], layout: WavLayout): void {
  const { bits, float } = layout;
  const view = new DataView(out.buffer);
  const bytesPerSample = bits / 8;
  const frames = channels[0]?.length ?? 0;
  const scale = 2 ** (bits - 1);
  let at = start;
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
}
