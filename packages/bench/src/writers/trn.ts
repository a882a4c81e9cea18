import { formatTrn } from '@asrq/metrics';
import type { ReportWriter } from './types.js';

/** sclite `.trn` transcripts: `ref.trn` (the utterances the first model finished) and one `hyp-<i>-<label>.trn` per model. */
export const trnReportWriter: ReportWriter = {
  name: 'trn',
  description: 'ref.trn and one hyp-<i>-<label>.trn per model, for NIST sclite',
  files: (report, run) => {
    const complete = new Set(report.models.length > 0 ? run.records.filter((r) => r.model === 0).map((r) => r.id) : []);
    const baseline = run.records
      .filter((r) => r.model === 0 && complete.has(r.id))
      .sort((a, b) => (a.id < b.id ? -1 : 1));
    const files = [{ name: 'ref.trn', data: formatTrn(baseline.map((r) => [r.id, r.ref] as [string, string])) }];
    for (const [m, model] of report.models.entries()) {
      const records = run.records.filter((r) => r.model === m).sort((a, b) => (a.id < b.id ? -1 : 1));
      files.push({
        name: `hyp-${m}-${model.label.replace(/[^A-Za-z0-9._-]+/g, '_')}.trn`,
        data: formatTrn(records.map((r) => [r.id, r.hyp] as [string, string])),
      });
    }
    return files;
  },
};
