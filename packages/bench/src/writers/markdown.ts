import { formatMarkdownReport } from '../format.js';
import type { ReportWriter } from './types.js';

/** `report.md`: the results table and the protocol in Markdown. */
export const markdownReportWriter: ReportWriter = {
  name: 'markdown',
  description: 'report.md, the results table and protocol in Markdown',
  files: (report) => [{ name: 'report.md', data: formatMarkdownReport(report) }],
};
