import { readdir, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { benchReportVersion } from './report.js';
import type { BenchReport } from './report-types.js';
import { BenchError } from './errors.js';
import { checkReportFields } from './report-check.js';

/**
 * Parses and checks the text of a bench report (`report.json`).
 * @param text - The file's text.
 * @param path - Where it came from, for messages.
 * @returns The report.
 * @throws AsrqError `BENCH_BAD_REPORT` when it is not JSON, not a report of schema version {@link benchReportVersion},
 *   or a field the tables read has the wrong type (named, e.g. `models[0].wer`).
 */
export function parseBenchReport(text: string, path: string): BenchReport {
  let report: BenchReport;
  try {
    report = JSON.parse(text) as BenchReport;
  } catch (cause) {
    throw new BenchError('BENCH_BAD_REPORT', `${path} is not JSON. Pass the report.json that asrq bench wrote.`, {
      cause,
      location: path,
    });
  }
  if (report?.version !== benchReportVersion || !Array.isArray(report.models)) {
    throw new BenchError(
      'BENCH_BAD_REPORT',
      `${path} is not an asrq bench report of schema version ${benchReportVersion}. Pass the report.json that asrq bench wrote, or run the benchmark again with this version.`,
      { location: path },
    );
  }
  checkReportFields(report as unknown as { models: unknown[]; config?: unknown }, path);
  return report;
}

/**
 * Reads one bench report (`report.json` as `asrq bench` writes it) and checks its schema version.
 * @param path - The file.
 * @returns The report.
 * @throws AsrqError `BENCH_REPORT_NOT_FOUND` when the file cannot be read; `BENCH_BAD_REPORT` (see {@link parseBenchReport}).
 * @example
 * ```ts no-run
 * const report = await readBenchReport('bench/report.json');
 * ```
 */
export async function readBenchReport(path: string): Promise<BenchReport> {
  const text = await readFile(resolve(path), 'utf8').catch((cause: unknown) => {
    throw new BenchError(
      'BENCH_REPORT_NOT_FOUND',
      `Cannot read ${path}: ${(cause as Error).message}. Pass the report.json that asrq bench wrote.`,
      { cause, location: path },
    );
  });
  return parseBenchReport(text, path);
}

/** A bench report and the file name it was read from. */
export interface NamedBenchReport {
  file: string;
  report: BenchReport;
}

/**
 * Reads every `*.json` bench report in a folder (none when the folder does not exist).
 * @param dir - Folder of reports, e.g. `apps/docs/data`.
 * @returns The reports, sorted by file name.
 * @throws AsrqError `BENCH_BAD_REPORT` naming the first file that is not a report of the current schema.
 */
export async function readBenchReports(dir: string): Promise<NamedBenchReport[]> {
  const files = (await readdir(dir).catch(() => [] as string[])).filter((f) => f.endsWith('.json')).sort();
  const reports: NamedBenchReport[] = [];
  for (const file of files) reports.push({ file, report: await readBenchReport(join(dir, file)) });
  return reports;
}
