import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { FLACDecoder } from '@wasm-audio-decoders/flac';
import { Tensor } from 'onnxruntime-node';

// Raw-audio helpers for the benchmarks' per-utterance loops and for tests that need samples.
// Calibration feeds from a corpus come from @asrq/runtime's calibrationFeeds, as in the CLI.

/** One utterance of a LibriSpeech-layout corpus. */
export interface Utterance {
  id: string;
  path: string;
  text: string;
}

/** Lists utterances (speaker/chapter/*.flac with *.trans.txt) sorted by id. */
export async function listCorpus(dir: string): Promise<Utterance[]> {
  const out: Utterance[] = [];
  for (const speaker of (await readdir(dir, { withFileTypes: true })).filter((d) => d.isDirectory())) {
    for (const chapter of (await readdir(join(dir, speaker.name), { withFileTypes: true })).filter((d) =>
      d.isDirectory(),
    )) {
      const at = join(dir, speaker.name, chapter.name);
      const trans = await readFile(join(at, `${speaker.name}-${chapter.name}.trans.txt`), 'utf8');
      for (const line of trans.split('\n')) {
        const m = /^(\S+)\s+(.*)$/.exec(line.trim());
        if (m) out.push({ id: m[1]!, path: join(at, `${m[1]}.flac`), text: m[2]! });
      }
    }
  }
  return out.sort((a, b) => (a.id < b.id ? -1 : 1));
}

let decoder: Promise<FLACDecoder> | undefined;
let queue: Promise<unknown> = Promise.resolve();

/** Decodes a 16 kHz mono FLAC file to float samples (calls are serialised over one decoder). */
export function readFlac(path: string): Promise<Float32Array> {
  decoder ??= (async () => {
    const d = new FLACDecoder();
    await d.ready;
    return d;
  })();
  const job = queue.then(async () => {
    const d = await decoder!;
    await d.reset();
    const { channelData } = await d.decodeFile(await readFile(path));
    return Float32Array.from(channelData[0]!);
  });
  queue = job.catch(() => undefined);
  return job;
}

/** Model feeds (audio, audio_lengths) for one utterance. */
export function audioFeeds(audio: Float32Array): Record<string, Tensor> {
  return {
    audio: new Tensor('float32', audio, [1, audio.length]),
    audio_lengths: new Tensor('int64', BigInt64Array.of(BigInt(audio.length)), [1]),
  };
}
