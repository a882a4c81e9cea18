import { formatHtmlReport } from '../html.js';
import type { ReportWriter } from './types.js';

/** `report.html`: a self-contained page with the table and plots. */
export const htmlReportWriter: ReportWriter = {
  name: 'html',
  description: 'report.html, a self-contained page with the table, WER-vs-RTF plot and worst utterances',
  files: (report) => [{ name: 'report.html', data: formatHtmlReport(report) }],
};
