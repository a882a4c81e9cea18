import type { DecodedAudio } from './audio-format.js';

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
