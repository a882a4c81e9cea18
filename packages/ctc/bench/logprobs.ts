/**
 * Computes the bundled model's log-probs for a LibriSpeech-layout corpus (bench and fixture
 * generation only; tests read the committed fixture and need no onnxruntime).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { FLACDecoder } from '@wasm-audio-decoders/flac';
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

export function listCorpus(dir: string): { id: string; path: string; transcript: string }[] {
  const out: { id: string; path: string; transcript: string }[] = [];
  for (const speaker of readdirSync(dir).sort()) {
    for (const chapter of readdirSync(join(dir, speaker)).sort()) {
      const chapterDir = join(dir, speaker, chapter);
      const trans = readFileSync(join(chapterDir, `${speaker}-${chapter}.trans.txt`), 'utf8');
      for (const line of trans.split('\n')) {
        const cut = line.indexOf(' ');
        if (cut < 0) continue;
        const id = line.slice(0, cut);
        out.push({ id, path: join(chapterDir, `${id}.flac`), transcript: line.slice(cut + 1).trim() });
      }
    }
  }
  return out;
}

export async function computeLogProbs(modelPath: string, corpusDir: string): Promise<Utterance[]> {
  const session = await InferenceSession.create(modelPath, { intraOpNumThreads: 1 });
  const decoder = new FLACDecoder();
  await decoder.ready;
  const out: Utterance[] = [];
  for (const item of listCorpus(corpusDir)) {
    const audio = await decoder.decodeFile(readFileSync(item.path));
    await decoder.reset();
    const samples = audio.channelData[0]!;
    const result = await session.run({
      audio: new Tensor('float32', samples, [1, samples.length]),
      audio_lengths: new Tensor('int64', BigInt64Array.from([BigInt(samples.length)]), [1]),
    });
    const frames = Number((result.log_prob_lengths!.data as BigInt64Array)[0]);
    const vocab = result.log_probs!.dims[2]!;
    const data = (result.log_probs!.data as Float32Array).slice(0, frames * vocab);
    out.push({ id: item.id, transcript: item.transcript, frames, duration: samples.length / audio.sampleRate, data });
  }
  decoder.free();
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
