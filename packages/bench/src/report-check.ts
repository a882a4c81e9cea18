import { BenchError } from './errors.js';

/** The numbers of each model line that tables, comparisons and plots read. */
const MODEL_NUMBERS = ['wer', 'cer', 'rtfEncoder', 'rtfEndToEnd', 'speedup', 'sizeBytes'] as const;
/** The spread of the encoder RTF, read by the results table. */
const REPEAT_NUMBERS = ['min', 'max'] as const;

function kind(value: unknown): string {
  return value === null
    ? 'null'
    : Array.isArray(value)
      ? 'a list'
      : typeof value === 'string'
        ? JSON.stringify(value)
        : typeof value;
}

/**
 * Checks the fields of a parsed report that every reader relies on (each model's name, label,
 * WER, CER, RTFs, speedup and size; the config), so a hand-edited or foreign report is refused
 * naming the field instead of crashing a table with `toFixed is not a function`.
 * @param report - The parsed JSON (its version already checked).
 * @param path - The file, for messages.
 * @throws BenchError `BENCH_BAD_REPORT` naming the first bad field, e.g. `models[0].wer`.
 */
export function checkReportFields(report: { models: unknown[]; config?: unknown }, path: string): void {
  const bad = (field: string, expected: string, value: unknown): never => {
    throw new BenchError(
      'BENCH_BAD_REPORT',
      `${path}: ${field} must be ${expected}, got ${kind(value)}. Pass the report.json that asrq bench wrote, unedited.`,
      { location: `${path}:${field}` },
    );
  };
  if (typeof report.config !== 'object' || report.config === null || Array.isArray(report.config))
    bad('config', 'an object', report.config);
  if (report.models.length === 0) bad('models', 'a non-empty list', report.models);
  report.models.forEach((m, i) => {
    if (typeof m !== 'object' || m === null || Array.isArray(m)) bad(`models[${i}]`, 'an object', m);
    const model = m as Record<string, unknown>;
    for (const key of ['model', 'label'] as const)
      if (typeof model[key] !== 'string') bad(`models[${i}].${key}`, 'a string', model[key]);
    for (const key of MODEL_NUMBERS)
      if (typeof model[key] !== 'number' || !Number.isFinite(model[key]))
        bad(`models[${i}].${key}`, 'a number', model[key]);
    const repeats = model.rtfEncoderRepeats as Record<string, unknown> | undefined;
    for (const key of REPEAT_NUMBERS)
      if (typeof repeats?.[key] !== 'number') bad(`models[${i}].rtfEncoderRepeats.${key}`, 'a number', repeats?.[key]);
  });
}
