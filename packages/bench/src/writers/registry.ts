import { htmlReportWriter } from './html.js';
import { jsonReportWriter } from './json.js';
import { markdownReportWriter } from './markdown.js';
import { trnReportWriter } from './trn.js';
import type { ReportWriter } from './types.js';
import { BenchError } from '../errors.js';

const writers = new Map<string, ReportWriter>();

/**
 * Adds a report writer to the registry (or replaces one of the same name); `writeReports`
 * writes every registered format, in registration order.
 * @param writer - The writer.
 * @example
 * ```ts no-run
 * registerReportWriter({ name: 'csv', description: 'report.csv', files: (report) => [{ name: 'report.csv', data: toCsv(report) }] });
 * ```
 */
export function registerReportWriter(writer: ReportWriter): void {
  writers.set(writer.name, writer);
}

// The built-in formats: adding one is its file plus one line here.
registerReportWriter(jsonReportWriter);
registerReportWriter(markdownReportWriter);
registerReportWriter(htmlReportWriter);
registerReportWriter(trnReportWriter);

/**
 * Names of the registered report writers, in registration order.
 * @returns e.g. `['json', 'markdown', 'html', 'trn']`.
 */
export function reportWriterNames(): string[] {
  return [...writers.keys()];
}

/**
 * The writer registered under a name.
 * @param name - Registry name.
 * @returns The writer.
 * @throws AsrqError `BENCH_BAD_OPTION` naming the known formats.
 */
export function getReportWriter(name: string): ReportWriter {
  const writer = writers.get(name);
  if (!writer)
    throw new BenchError(
      'BENCH_BAD_OPTION',
      `Unknown report format '${name}'. Known formats: ${reportWriterNames().join(', ')}.`,
    );
  return writer;
}
