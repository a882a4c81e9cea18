import { AsrqError } from '@asrq/core';
import { describe, expect, it } from 'vitest';
import { decodeAudio } from './decode.js';
import { downmix } from './downmix.js';
import { decodeWav, encodeWav, parseWavHeader } from './wav.js';

function ramp(n: number, phase = 0): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = 0.9 * Math.sin(i * 0.05 + phase);
  return out;
}

function code(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    return AsrqError.isInstance(error) ? `${error.code}: ${error.message}` : `not an AsrqError: ${String(error)}`;
  }
  return undefined;
}

describe('WAV decoding', () => {
  for (const bits of [8, 16, 24, 32] as const) {
    it(`${bits}-bit integer PCM round-trips within one quantisation step`, () => {
      const input = [ramp(1000), ramp(1000, 1)];
      const audio = decodeAudio(encodeWav(input, 22050, { bitsPerSample: bits }), { name: 'x.wav' });
      expect(audio).toMatchObject({ format: 'wav', sampleRate: 22050, bitsPerSample: bits });
      const step = 2 ** -(bits - 1);
      for (let c = 0; c < 2; c++) {
        for (let i = 0; i < 1000; i++)
          expect(Math.abs(audio.channels[c]![i]! - input[c]![i]!)).toBeLessThanOrEqual(step / 2 + 1e-7);
      }
    });
  }

  it('32-bit float is exact', () => {
    const input = ramp(500);
    const audio = decodeAudio(encodeWav([input], 8000, { float: true }));
    expect(audio.bitsPerSample).toBe(32);
    expect(Array.from(audio.channels[0]!)).toEqual(Array.from(input));
  });

  it('reads 24-bit negative full scale and integer extremes exactly', () => {
    const audio = decodeWav(encodeWav([Float32Array.from([-1, 1, 0, -0.5])], 16000, { bitsPerSample: 24 }));
    expect(Array.from(audio.channels[0]!)).toEqual([-1, 8388607 / 8388608, 0, -0.5]);
  });

  it('handles WAVE_FORMAT_EXTENSIBLE with many channels, and downmixes to the channel mean', () => {
    const input = [ramp(300), ramp(300, 2), new Float32Array(300).fill(0.25)];
    const wav = encodeWav(input, 48000, { bitsPerSample: 24 });
    expect(new DataView(wav.buffer).getUint16(20, true)).toBe(0xfffe);
    const audio = decodeAudio(wav);
    expect(audio.channels).toHaveLength(3);
    const mono = downmix(audio);
    for (let i = 0; i < 300; i++) {
      const mean = (audio.channels[0]![i]! + audio.channels[1]![i]! + audio.channels[2]![i]!) / 3;
      expect(mono[i]).toBeCloseTo(mean, 6);
    }
  });

  it('skips unknown chunks including odd-sized ones (word padding)', () => {
    const plain = encodeWav([ramp(100)], 16000);
    const list = new Uint8Array([0x4c, 0x49, 0x53, 0x54, 3, 0, 0, 0, 1, 2, 3, 0]); // "LIST", size 3, pad byte
    const withList = new Uint8Array(plain.length + list.length);
    withList.set(plain.subarray(0, 36));
    withList.set(list, 36);
    withList.set(plain.subarray(36), 36 + list.length);
    expect(Array.from(decodeWav(withList).channels[0]!)).toEqual(Array.from(decodeWav(plain).channels[0]!));
  });

  it('accepts streamed WAVs whose data size is 0xFFFFFFFF', () => {
    const wav = encodeWav([ramp(100)], 16000);
    new DataView(wav.buffer).setUint32(40, 0xffffffff, true);
    expect(decodeWav(wav).channels[0]).toHaveLength(100);
  });

  it('reports truncated data, naming the file', () => {
    const wav = encodeWav([ramp(100)], 16000);
    expect(code(() => decodeAudio(wav.subarray(0, 150), { name: 'cut.wav' }))).toMatch(
      /^AUDIO_DECODE_FAILED: cut.wav: file is truncated/,
    );
    expect(code(() => decodeAudio(wav.subarray(0, 30), { name: 'cut.wav' }))).toMatch(
      /^AUDIO_DECODE_FAILED: cut.wav: .*fmt/,
    );
  });

  it('rejects unsupported encodings with a hint', () => {
    const wav = encodeWav([ramp(10)], 16000);
    new DataView(wav.buffer).setUint16(20, 2, true); // MS ADPCM
    expect(code(() => decodeAudio(wav, { name: 'adpcm.wav' }))).toMatch(
      /^AUDIO_UNSUPPORTED_FORMAT: adpcm.wav: WAV encoding 2/,
    );
    const rf64 = encodeWav([ramp(10)], 16000);
    rf64.set([0x52, 0x46, 0x36, 0x34], 0);
    expect(code(() => decodeAudio(rf64, { name: 'big.wav' }))).toMatch(/^AUDIO_UNSUPPORTED_FORMAT: big.wav: RF64/);
  });

  it('parses the header without the samples', () => {
    const wav = encodeWav([ramp(1000), ramp(1000)], 44100, { bitsPerSample: 16 });
    expect(parseWavHeader(wav.subarray(0, 44), wav.length)).toMatchObject({
      channels: 2,
      sampleRate: 44100,
      dataOffset: 44,
      dataBytes: 4000,
    });
  });
});
