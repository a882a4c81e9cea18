import type { BenchRun } from '../types.js';
import type { BenchReport } from '../report-types.js';

/** One file a report writer produces: its name inside the output directory and its text. */
export interface ReportFile {
  name: string;
  data: string;
}

/**
 * A report format `writeReports` can write (JSON, Markdown, HTML, sclite .trn, ...). Adding one
 * is its file plus one `registerReportWriter` line in `writers/registry.ts`.
 */
export interface ReportWriter {
  /** Registry name, e.g. `json`, `markdown`, `html`, `trn`. */
  name: string;
  /** One line on what it writes (for help texts and docs). */
  description: string;
  /**
   * The files of this format for one report.
   * @param report - The report.
   * @param run - The run it was built from (for per-utterance data such as transcripts).
   * @returns The files, in the order they are written.
   */
  files(report: BenchReport, run: BenchRun): ReportFile[];
}
