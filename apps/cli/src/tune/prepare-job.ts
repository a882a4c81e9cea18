import { openCorpus, readAudio, selectItems } from '@asrq/audio';
import { loadArpa } from '@asrq/ctc';
import { type CtcModel, forwardLong, loadModelTokenizer } from '@asrq/runtime';
import type { TuneJob } from './decode-points.js';

/** What `asrq lm tune` decodes: the dev set's log-probs, computed once, with the tokenizer and LM. */
export interface PreparedTune {
  job: TuneJob;
  /** Reference transcripts, in the job's utterance order. */
  refs: { id: string; ref: string }[];
}

/** Where the dev set, tokenizer and LM come from. */
export interface PrepareTuneOptions {
  dataPath: string;
  /** Utterances (the first ones in id order). */
  n: number;
  lmPath: string;
  tokenizerPath?: string;
  beamWidth: number;
  /** Told how many utterances are about to be run through the model. */
  onStart?: (utterances: number) => void;
}

/** Every utterance's log-probs back to back in shared memory, so every worker reads them without a copy. */
function packLogProbs(parts: readonly { data: Float32Array; frames: number }[]): {
  logProbs: Float32Array;
  spans: Int32Array;
} {
  const total = parts.reduce((s, p) => s + p.data.length, 0);
  const logProbs = new Float32Array(new SharedArrayBuffer(total * 4));
  const spans = new Int32Array(parts.length * 2);
  let offset = 0;
  parts.forEach((p, i) => {
    logProbs.set(p.data, offset);
    spans[2 * i] = offset;
    spans[2 * i + 1] = p.frames;
    offset += p.data.length;
  });
  return { logProbs, spans };
}

/**
 * Runs the model once over the dev set and packs what the grid search decodes.
 * @param model - The loaded model (not released here).
 * @param options - Corpus, LM, tokenizer, beam width.
 * @returns The job for the decoding workers and the references.
 */
export async function prepareTuneJob(model: CtcModel, options: PrepareTuneOptions): Promise<PreparedTune> {
  const tokenizer = await loadModelTokenizer(model, options.tokenizerPath ? { tokenizer: options.tokenizerPath } : {});
  const items = selectItems((await openCorpus(options.dataPath)).items, { n: options.n });
  options.onStart?.(items.length);
  const parts: { data: Float32Array; frames: number }[] = [];
  let vocab = 0;
  for (const item of items) {
    // Window by window as transcription runs it: a long file in one piece would take gigabytes.
    const audio = await readAudio(item.audioPath, { sampleRate: model.info.sampleRate });
    const lp = (await forwardLong(model, audio, {})).logProbs;
    vocab = lp.vocab;
    parts.push({ data: lp.data.slice(0, lp.frames * lp.vocab), frames: lp.frames });
  }
  // Shared memory: every worker reads the same log-probs and LM tables, nothing is copied.
  const { logProbs, spans } = packLogProbs(parts);
  const compiled = (await loadArpa(options.lmPath)).compile();
  const lmBytes = new Uint8Array(new SharedArrayBuffer(compiled.length));
  lmBytes.set(compiled);
  const job: TuneJob = {
    logProbs,
    spans,
    vocab,
    tokenizer: {
      kind: tokenizer.kind,
      vocabSize: tokenizer.vocabSize,
      blankId: tokenizer.blankId,
      pieces: [...tokenizer.pieces],
      ...(tokenizer.wordDelimiter === undefined ? {} : { wordDelimiter: tokenizer.wordDelimiter }),
    },
    lmBytes,
    beamWidth: options.beamWidth,
  };
  return { job, refs: items.map((item) => ({ id: item.id, ref: item.transcript })) };
}
