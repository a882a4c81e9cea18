import { openCorpus, readAudio } from '@asrq/audio';
import { Tensor } from 'onnxruntime-node';

// Raw-audio helpers for the benchmarks' per-utterance loops and for tests that need samples,
// over @asrq/audio (the corpus reader and decoder asrq itself uses). Calibration feeds from a
// corpus come from @asrq/runtime's calibrationFeeds, as in the CLI.

/** One utterance of a corpus. */
export interface Utterance {
  id: string;
  path: string;
  text: string;
}

/**
 * Lists a corpus's utterances (LibriSpeech layout or JSONL manifest) sorted by id.
 * @param dir - The corpus.
 */
export async function listCorpus(dir: string): Promise<Utterance[]> {
  return (await openCorpus(dir)).items.map((item) => ({ id: item.id, path: item.audioPath, text: item.transcript }));
}

/**
 * Decodes an audio file (FLAC in the bundled and shared corpora) to mono float samples at 16 kHz.
 * @param path - The file.
 */
export function readFlac(path: string): Promise<Float32Array> {
  return readAudio(path, { sampleRate: 16000 });
}

/** Model feeds (audio, audio_lengths) for one utterance. */
export function audioFeeds(audio: Float32Array): Record<string, Tensor> {
  return {
    audio: new Tensor('float32', audio, [1, audio.length]),
    audio_lengths: new Tensor('int64', BigInt64Array.of(BigInt(audio.length)), [1]),
  };
}
