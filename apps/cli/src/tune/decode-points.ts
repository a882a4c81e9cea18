import { CtcBeamSearchDecoder, NgramLM, type Tokenizer } from '@asrq/ctc';

/** Everything a worker needs to decode the dev set at many (alpha, beta) points; structured-cloneable. */
export interface TuneJob {
  /** All utterances' log-probs back to back (a SharedArrayBuffer when run in workers). */
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

/** Makes a tokenizer object from the job's plain fields (decoding needs no encoder). */
function tokenizerOf(spec: TuneJob['tokenizer']): Tokenizer {
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
export function decodePoints(job: TuneJob, points: readonly { alpha: number; beta: number }[]): string[][] {
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
