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
  return unpackLogProbs(new URL('dev-mini-logprobs.bin.gz', fixtures).pathname, new URL('dev-mini-logprobs.json', fixtures).pathname);
}

/**
 * Reads log-probs packed by bench/logprobs.ts: uint16 steps of `scale` nats, gzipped, with a JSON index.
 * @param binPath - The .bin.gz file.
 * @param indexPath - Its JSON index ({ vocab, scale, utterances: [{ id, transcript, frames }] }).
 */
export function unpackLogProbs<T extends { frames: number }>(binPath: string, indexPath: string): Array<T & { data: Float32Array }> {
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

/** Word error rate with a plain word-level edit distance, pooled over utterances. */
export function wordErrorRate(refs: readonly string[], hyps: readonly string[]): number {
  let errors = 0;
  let total = 0;
  refs.forEach((ref, k) => {
    const a = ref.split(/\s+/).filter(Boolean);
    const b = (hyps[k] ?? '').split(/\s+/).filter(Boolean);
    let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
    for (let i = 1; i <= a.length; i++) {
      const cur = [i];
      for (let j = 1; j <= b.length; j++) cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
    errors += prev[b.length]!;
    total += a.length;
  });
  return errors / total;
}

/** Builds a [frames, vocab] log-prob matrix from per-frame probability rows. */
export function fromProbs(rows: readonly (readonly number[])[]): { data: Float32Array; frames: number; vocab: number } {
  const vocab = rows[0]!.length;
  const data = new Float32Array(rows.length * vocab);
  rows.forEach((row, t) => row.forEach((p, v) => (data[t * vocab + v] = Math.log(p))));
  return { data, frames: rows.length, vocab };
}
