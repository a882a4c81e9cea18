import { seededRandom } from '@asrq/core';
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';

/** A real utterance's log-probs from the bundled model (see bench/make-logprobs.ts). */
export interface FixtureUtterance {
  id: string;
  transcript: string;
  frames: number;
  data: Float32Array;
}

const fixtures = new URL('./fixtures/', import.meta.url);

/** Reads the committed log-probs of the 40 bundled utterances. */
export function loadDevMiniLogProbs(): FixtureUtterance[] {
  return unpackLogProbs(
    new URL('dev-mini-logprobs.bin.gz', fixtures).pathname,
    new URL('dev-mini-logprobs.json', fixtures).pathname,
  );
}

/**
 * Reads log-probs packed by bench/logprobs.ts: uint16 steps of `scale` nats, gzipped, with a JSON index.
 * @param binPath - The .bin.gz file.
 * @param indexPath - Its JSON index ({ vocab, scale, utterances: [{ id, transcript, frames }] }).
 */
export function unpackLogProbs<T extends { frames: number }>(
  binPath: string,
  indexPath: string,
): Array<T & { data: Float32Array }> {
  const index = JSON.parse(readFileSync(indexPath, 'utf8')) as { vocab: number; scale: number; utterances: T[] };
  const raw = gunzipSync(readFileSync(binPath));
  const packed = new Uint16Array(raw.buffer, raw.byteOffset, raw.byteLength / 2);
  let offset = 0;
  return index.utterances.map((u) => {
    const n = u.frames * index.vocab;
    const data = new Float32Array(n);
    for (let i = 0; i < n; i++) data[i] = packed[offset + i]! * index.scale;
    offset += n;
    return { ...u, data };
  });
}

/** Path of the committed pruned 3-gram (built by bench/make-test-lm.ts). */
export const testLmPath = new URL('lm-3gram-pruned.arpa.gz', fixtures).pathname;

/** Builds a [frames, vocab] log-prob matrix from per-frame probability rows. */
export function fromProbs(rows: readonly (readonly number[])[]): { data: Float32Array; frames: number; vocab: number } {
  const vocab = rows[0]!.length;
  const data = new Float32Array(rows.length * vocab);
  rows.forEach((row, t) => row.forEach((p, v) => (data[t * vocab + v] = Math.log(p))));
  return { data, frames: rows.length, vocab };
}

/** Random matrices where one token holds >= `peak` of each frame's mass. */
export function peaked(seed: number, frames: number, vocab: number, peak: number) {
  const random = seededRandom(seed);
  const rows: number[][] = [];
  for (let t = 0; t < frames; t++) {
    const top = random() < 0.4 ? 0 : Math.floor(random() * vocab);
    const rest = Array.from({ length: vocab }, () => random() + 1e-3);
    const sum = rest.reduce((s, v) => s + v, 0) - rest[top]!;
    rows.push(rest.map((v, i) => (i === top ? peak : ((1 - peak) * v) / sum)));
  }
  return fromProbs(rows);
}

/** A tiny hand-written 3-gram ARPA LM (6 words) shared by the LM tests. */
export const SMALL_ARPA = `\\data\\
ngram 1=6
ngram 2=4
ngram 3=2

\\1-grams:
-1.0\t<unk>\t0
-99\t<s>\t-0.5
-0.8\t</s>\t0
-0.6\tthe\t-0.3
-1.2\tcat\t-0.2
-1.4\tsat\t-0.1

\\2-grams:
-0.2\t<s> the\t-0.4
-0.3\tthe cat\t-0.25
-0.5\tcat sat\t0
-0.4\tsat </s>

\\3-grams:
-0.1\t<s> the cat
-0.05\tthe cat sat

\\end\\
`;
