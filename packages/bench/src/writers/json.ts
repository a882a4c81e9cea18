import type { ReportWriter } from './types.js';

/** `report.json`: the whole report, the input of `asrq compare`, `bench merge` and the docs' results page. */
export const jsonReportWriter: ReportWriter = {
  name: 'json',
  description: 'report.json, the full report (schema version benchReportVersion)',
  files: (report) => [{ name: 'report.json', data: `${JSON.stringify(report, null, 2)}\n` }],
};
