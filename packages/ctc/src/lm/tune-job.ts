import { CtcBeamSearchDecoder } from '../decoders/beam-search.js';
import type { LogProbs } from '../log-probs.js';
import type { Tokenizer } from '../tokenizers/tokenizer.js';
import { NgramLM } from './ngram-lm.js';

/**
 * Everything a decoding thread needs to decode a dev set at many (alpha, beta) points:
 * structured-cloneable, its big arrays in shared memory so worker threads read them without a copy.
 */
export interface LmTuneJob {
  /** All utterances' log-probs back to back (a SharedArrayBuffer). */
  logProbs: Float32Array;
  /** Per utterance: [offset into logProbs, frames]. */
  spans: Int32Array;
  vocab: number;
  /** The tokenizer's fields the decoder uses. */
  tokenizer: { kind: Tokenizer['kind']; vocabSize: number; blankId: number; pieces: string[]; wordDelimiter?: string };
  /** The LM in compiled form (shared, read without parsing). */
  lmBytes: Uint8Array;
  beamWidth: number;
}

/** Every utterance's log-probs back to back in shared memory. */
function packLogProbs(parts: readonly LogProbs[]): { logProbs: Float32Array; spans: Int32Array } {
  const total = parts.reduce((s, p) => s + p.frames * p.vocab, 0);
  const logProbs = new Float32Array(new SharedArrayBuffer(total * 4));
  const spans = new Int32Array(parts.length * 2);
  let offset = 0;
  parts.forEach((p, i) => {
    logProbs.set(p.data.subarray(0, p.frames * p.vocab), offset);
    spans[2 * i] = offset;
    spans[2 * i + 1] = p.frames;
    offset += p.frames * p.vocab;
  });
  return { logProbs, spans };
}

/**
 * Packs a dev set's log-probs, the tokenizer and the LM for {@link tuneLmWeights}: computed once,
 * decoded at every (alpha, beta) point.
 * @param logProbs - One utterance's log-probs each (same vocabulary).
 * @param tokenizer - The model's tokenizer.
 * @param lm - The n-gram LM whose weights are tuned.
 * @param beamWidth - Beam width of the decoder.
 * @returns The job.
 * @example
 * ```ts no-run
 * const job = createLmTuneJob(devLogProbs, tokenizer, await loadLm('lm.arpa'), 32);
 * ```
 */
export function createLmTuneJob(
  logProbs: readonly LogProbs[],
  tokenizer: Tokenizer,
  lm: NgramLM,
  beamWidth: number,
): LmTuneJob {
  const packed = packLogProbs(logProbs);
  const compiled = lm.compile();
  const lmBytes = new Uint8Array(new SharedArrayBuffer(compiled.length));
  lmBytes.set(compiled);
  return {
    ...packed,
    vocab: logProbs[0]?.vocab ?? tokenizer.vocabSize,
    tokenizer: {
      kind: tokenizer.kind,
      vocabSize: tokenizer.vocabSize,
      blankId: tokenizer.blankId,
      pieces: [...tokenizer.pieces],
      ...(tokenizer.wordDelimiter === undefined ? {} : { wordDelimiter: tokenizer.wordDelimiter }),
    },
    lmBytes,
    beamWidth,
  };
}

/** Makes a tokenizer object from the job's plain fields (decoding needs no encoder). */
function tokenizerOf(spec: LmTuneJob['tokenizer']): Tokenizer {
  return {
    ...spec,
    decode: () => {
      throw new Error('not used while tuning');
    },
    encode: () => {
      throw new Error('not used while tuning');
    },
  };
}

/**
 * Decodes every utterance of the job at each point.
 * @param job - Log-probs, tokenizer, LM, beam width.
 * @param points - (alpha, beta) pairs.
 * @returns Per point, the hypothesis text of each utterance.
 */
export function decodeAtWeights(job: LmTuneJob, points: readonly { alpha: number; beta: number }[]): string[][] {
  const tokenizer = tokenizerOf(job.tokenizer);
  const lm = NgramLM.fromCompiled(job.lmBytes, { name: 'tune LM' });
  return points.map(({ alpha, beta }) => {
    const decoder = new CtcBeamSearchDecoder(tokenizer, { beamWidth: job.beamWidth, lm, alpha, beta });
    const texts: string[] = [];
    for (let u = 0; u < job.spans.length / 2; u++) {
      const offset = job.spans[2 * u]!;
      const frames = job.spans[2 * u + 1]!;
      texts.push(
        decoder.decode({
          data: job.logProbs.subarray(offset, offset + frames * job.vocab),
          frames,
          vocab: job.vocab,
        })[0]?.text ?? '',
      );
    }
    return texts;
  });
}
