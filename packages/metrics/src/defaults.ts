/** Every default of @asrq/metrics, in one place. */
export const METRICS_DEFAULTS = {
  /** What an error rate counts: words (WER); `char` gives CER. */
  unit: 'word',
  /** Worst utterances whose alignments a report shows. */
  worst: 10,
  /** Title of an sclite-style sum report. */
  title: 'asrq',
} as const;
