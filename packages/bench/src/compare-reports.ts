import type { BenchReport, ModelResult } from './report-types.js';

/** The settings two runs must share for their WER (and, roughly, their RTF) to be comparable. */
export const COMPARABLE_SETTINGS = ['data', 'n', 'warmup', 'seed', 'threads', 'beam', 'lm', 'normalize'] as const;

/** The models of several reports in one table. */
export interface ReportComparison {
  /** Every model of every report, in order, with its speedup against the first report's first model. */
  models: ModelResult[];
  /** Reports (by index) whose settings differ from the first report's, and in which settings. */
  differences: Array<{ index: number; settings: string[] }>;
}

/**
 * Puts the models of several bench reports side by side: speedups are recomputed against the
 * first report's first model (ratios across separate runs carry machine noise; bench the models
 * together for interleaved ratios), and reports whose settings differ from the first one's are
 * listed so the caller can warn that their WER is not comparable.
 * @param reports - At least one report; the first is the baseline.
 * @returns The merged model rows and the differences.
 * @example
 * ```ts no-run
 * const { models, differences } = compareReports([await readBenchReport('a/report.json'), await readBenchReport('b/report.json')]);
 * ```
 */
export function compareReports(reports: readonly BenchReport[]): ReportComparison {
  const first = reports[0];
  if (!first) return { models: [], differences: [] };
  const differences: ReportComparison['differences'] = [];
  for (const [index, r] of reports.entries()) {
    const settings = COMPARABLE_SETTINGS.filter((k) => JSON.stringify(r.config[k]) !== JSON.stringify(first.config[k]));
    if (settings.length > 0) differences.push({ index, settings });
  }
  const baseline = first.models[0];
  const models = reports.flatMap((r) =>
    r.models.map((m) => ({ ...m, speedup: baseline ? baseline.rtfEncoder / m.rtfEncoder : m.speedup })),
  );
  return { models, differences };
}
