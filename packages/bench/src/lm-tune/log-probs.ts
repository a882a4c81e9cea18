import { openCorpus, readAudio, selectItems } from '@asrq/audio';
import type { LogProbs } from '@asrq/ctc';
import { type CtcModel, forwardLong } from '@asrq/runtime';

/** A dev set run through a model once: each utterance's log-probs and reference. */
export interface DevLogProbs {
  logProbs: LogProbs[];
  refs: { id: string; ref: string }[];
}

/**
 * Runs a model over the first `n` utterances (in id order) of a corpus, window by window as
 * transcription runs it (a long file in one piece would take gigabytes).
 * @param model - The loaded model (not released here).
 * @param data - Corpus directory or manifest.
 * @param n - Utterances.
 * @param onStart - Told how many utterances are about to be run.
 * @returns Log-probs and references, in the same order.
 */
export async function devLogProbs(
  model: CtcModel,
  data: string,
  n: number,
  onStart?: (utterances: number) => void,
): Promise<DevLogProbs> {
  const items = selectItems((await openCorpus(data)).items, { n });
  onStart?.(items.length);
  const logProbs: LogProbs[] = [];
  for (const item of items) {
    const audio = await readAudio(item.audioPath, { sampleRate: model.info.sampleRate });
    const lp = (await forwardLong(model, audio, {})).logProbs;
    logProbs.push({ data: lp.data.slice(0, lp.frames * lp.vocab), frames: lp.frames, vocab: lp.vocab });
  }
  return { logProbs, refs: items.map((item) => ({ id: item.id, ref: item.transcript })) };
}
