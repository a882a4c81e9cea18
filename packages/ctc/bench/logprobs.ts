/**
 * Computes the bundled model's log-probs for a LibriSpeech-layout corpus (bench and fixture
 * generation only; tests read the committed fixture and need no onnxruntime).
 */
import { existsSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { openCorpus, readAudio, selectItems } from '@asrq/audio';
import { InferenceSession, Tensor } from 'onnxruntime-node';
import { unpackLogProbs as unpackPacked } from '../test/helpers.js';

export interface Utterance {
  id: string;
  transcript: string;
  frames: number;
  /** Seconds of audio. */
  duration: number;
  data: Float32Array;
}

export async function computeLogProbs(modelPath: string, corpusDir: string): Promise<Utterance[]> {
  const session = await InferenceSession.create(modelPath, { intraOpNumThreads: 1 });
  const sampleRate = 16000;
  const out: Utterance[] = [];
  for (const item of selectItems((await openCorpus(corpusDir)).items, {})) {
    const samples = await readAudio(item.audioPath, { sampleRate });
    const result = await session.run({
      audio: new Tensor('float32', samples, [1, samples.length]),
      audio_lengths: new Tensor('int64', BigInt64Array.from([BigInt(samples.length)]), [1]),
    });
    const frames = Number((result.log_prob_lengths!.data as BigInt64Array)[0]);
    const vocab = result.log_probs!.dims[2]!;
    const data = (result.log_probs!.data as Float32Array).slice(0, frames * vocab);
    out.push({ id: item.id, transcript: item.transcript, frames, duration: samples.length / sampleRate, data });
  }
  await session.release();
  return out;
}

/** Packs log-probs as uint16 steps of 0.001 nats below 0 (clamped at -65.535), gzipped. */
export function packLogProbs(utterances: Utterance[], vocab: number): { bin: Uint8Array; index: object } {
  const total = utterances.reduce((s, u) => s + u.frames * vocab, 0);
  const packed = new Uint16Array(total);
  let offset = 0;
  for (const u of utterances) {
    for (let i = 0; i < u.frames * vocab; i++) packed[offset++] = Math.min(65535, Math.round(-u.data[i]! * 1000));
  }
  return {
    bin: gzipSync(new Uint8Array(packed.buffer), { level: 9 }),
    index: {
      vocab,
      scale: -0.001,
      utterances: utterances.map(({ id, transcript, frames, duration }) => ({ id, transcript, frames, duration })),
    },
  };
}

export function unpackLogProbs(binPath: string, indexPath: string): Utterance[] {
  return unpackPacked<Omit<Utterance, 'data'>>(binPath, indexPath);
}

export const exists = existsSync;
