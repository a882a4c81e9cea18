import { addCounts, errorRates, zeroCounts } from './rates.js';
import type { ScoreUnit } from './tokenize.js';
import type { ErrorCounts, ScoreWarning, SpeakerScore } from './types.js';
import type { ScoredUtterance } from './utterance-scorer.js';

/**
 * Pools utterance scores into corpus totals: pooled counts, utterances with errors, per-speaker
 * totals (speakers in order of first appearance) and the empty-reference warnings.
 */
export class CorpusTally {
  /** Pooled counts. */
  readonly total = zeroCounts();
  /** Utterances with at least one error. */
  sentenceErrors = 0;
  /** One per utterance with an empty reference and a non-empty hypothesis, then a summary from {@link CorpusTally.finish}. */
  readonly warnings: ScoreWarning[] = [];
  private readonly speakerCounts = new Map<
    string,
    { counts: ErrorCounts; sentences: number; sentenceErrors: number }
  >();
  private emptyRefs = 0;
  private emptyRefErrors = 0;

  /**
   * @param unit - Words or characters, named in warnings.
   * @param normalised - Whether transforms were applied, named in warnings.
   */
  constructor(
    private readonly unit: ScoreUnit,
    private readonly normalised: boolean,
  ) {}

  /**
   * Adds one utterance.
   * @param u - Its score.
   */
  add(u: ScoredUtterance): void {
    const hasError = u.substitutions + u.deletions + u.insertions > 0;
    if (hasError) this.sentenceErrors++;
    addCounts(this.total, u);
    let perSpeaker = this.speakerCounts.get(u.speaker);
    if (perSpeaker === undefined) {
      perSpeaker = { counts: zeroCounts(), sentences: 0, sentenceErrors: 0 };
      this.speakerCounts.set(u.speaker, perSpeaker);
    }
    addCounts(perSpeaker.counts, u);
    perSpeaker.sentences++;
    if (hasError) perSpeaker.sentenceErrors++;
    if (u.refCount === 0) this.addEmptyReference(u);
  }

  private addEmptyReference(u: ScoredUtterance): void {
    const insertions = u.insertions;
    this.emptyRefs++;
    this.emptyRefErrors += insertions;
    if (insertions > 0) {
      const unitName = this.unit === 'word' ? 'word' : 'character';
      this.warnings.push({
        code: 'METRICS_EMPTY_REFERENCE',
        id: u.id,
        message: `${u.id}: the reference is empty${this.normalised ? ' after normalisation' : ''}, so its ${insertions} hypothesis ${unitName}(s) count as insertions over a denominator of 1 (${(100 * insertions).toFixed(0)} %). Check the reference, or drop the utterance.`,
      });
    }
  }

  /**
   * Per-speaker scores, and the corpus summary warning when references were empty.
   * @param utterances - How many utterances were added.
   * @returns Speakers in order of first appearance.
   */
  finish(utterances: number): SpeakerScore[] {
    const speakers: SpeakerScore[] = [];
    for (const [speaker, s] of this.speakerCounts) {
      speakers.push({ speaker, sentences: s.sentences, sentenceErrors: s.sentenceErrors, ...errorRates(s.counts) });
    }
    const { total, emptyRefs, emptyRefErrors } = this;
    if (emptyRefErrors > 0 || (emptyRefs > 0 && total.refCount === 0)) {
      const share =
        total.refCount === 0
          ? 'every reference is empty, so the corpus rate divides by 1 and means nothing'
          : `their ${emptyRefErrors} insertion(s) are in the corpus rate`;
      this.warnings.push({
        code: 'METRICS_EMPTY_REFERENCES',
        message: `${emptyRefs} of ${utterances} utterance(s) have an empty reference: ${share}.`,
      });
    }
    return speakers;
  }
}
