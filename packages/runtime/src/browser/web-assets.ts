import { decodeAudio, downmix, resample } from '@asrq/audio/browser';
import { createTokenizerFromModelBytes, CtcError, NgramLM, type Tokenizer } from '@asrq/ctc/browser';
import type { ModelInfo } from '../types.js';

/**
 * Decodes a WAV or FLAC file held in memory to mono float samples at the model's rate, as the
 * Node runtime's `readAudio` does (channels averaged, then resampled).
 * @param bytes - The whole file.
 * @param sampleRate - The model's sample rate.
 * @param name - File name, for error messages.
 * @returns Mono samples in [-1, 1].
 * @throws AsrqError from `@asrq/audio` for unsupported or corrupt files.
 */
export function decodeAudioBytes(bytes: Uint8Array, sampleRate: number, name = 'audio'): Float32Array {
  const decoded = decodeAudio(bytes, { name });
  const mono = downmix(decoded);
  return decoded.sampleRate === sampleRate ? mono : resample(mono, decoded.sampleRate, sampleRate);
}

/**
 * Creates the SentencePiece tokenizer of a model from the bytes of its `tokenizer.model`, with the
 * blank id the model's metadata declares (as the Node runtime's `loadModelTokenizer` does for it).
 * @param bytes - The `tokenizer.model` file.
 * @param info - The model's interface.
 * @returns The tokenizer.
 * @throws AsrqError `CTC_BAD_TOKENIZER` / `CTC_BAD_BLANK` from `@asrq/ctc`.
 */
export function tokenizerFromBytes(bytes: Uint8Array, info: Pick<ModelInfo, 'blankId'>): Tokenizer {
  return createTokenizerFromModelBytes(bytes, info.blankId !== undefined ? { blankId: info.blankId } : {});
}

/**
 * Loads an n-gram LM from bytes: ARPA text, gzipped ARPA (decompressed with the platform's
 * `DecompressionStream`) or a compiled `.asrqlm`.
 * @param bytes - The file.
 * @param name - Name, for error messages.
 * @returns The model.
 * @throws AsrqError `LM_BAD_ARPA` for corrupt gzip data or a malformed ARPA file.
 */
export async function lmFromBytes(bytes: Uint8Array, name = 'lm'): Promise<NgramLM> {
  let data = bytes;
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      const stream = new Blob([bytes.slice()]).stream().pipeThrough(new DecompressionStream('gzip'));
      data = new Uint8Array(await new Response(stream).arrayBuffer());
    } catch (error) {
      throw new CtcError('LM_BAD_ARPA', `${name}: corrupt gzip data (${(error as Error).message}).`, {
        cause: error,
        location: name,
      });
    }
  }
  return NgramLM.fromBytes(data, { name });
}
