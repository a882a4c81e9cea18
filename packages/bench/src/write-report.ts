import { cpus } from 'node:os';
import { join } from 'node:path';
import { formatTrn } from '@asrq/metrics';
import { onnxruntimeVersion } from '@asrq/runtime';
import { writeFileAtomic } from '@asrq/core/node';
import { formatMarkdownReport } from './format.js';
import { formatHtmlReport } from './html.js';
import type { BenchRun } from './harness.js';
import type { BenchReport } from './report.js';

/**
 * The machine and runtime facts recorded with every report.
 * @returns Node version, onnxruntime-node version, CPU model and core count, platform.
 */
export function environmentFacts(): BenchReport['environment'] {
  const onnxruntime = onnxruntimeVersion();
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  return { node: process.version, onnxruntime, cpu, cores: cpus().length, platform: `${process.platform}-${process.arch}` };
}

/**
 * Writes report.json, report.md, report.html and sclite .trn files (ref.trn, one hyp per
 * model) into the output directory, each atomically.
 * @param outDir - Output directory.
 * @param report - The report.
 * @param run - The run (for the transcripts).
 * @returns The paths written.
 */
export async function writeReports(outDir: string, report: BenchReport, run: BenchRun): Promise<string[]> {
  const written: string[] = [];
  const put = async (name: string, data: string) => {
    const path = join(outDir, name);
    await writeFileAtomic(path, data);
    written.push(path);
  };
  await put('report.json', `${JSON.stringify(report, null, 2)}\n`);
  await put('report.md', formatMarkdownReport(report));
  await put('report.html', formatHtmlReport(report));
  const complete = new Set(report.models.length > 0 ? run.records.filter((r) => r.model === 0).map((r) => r.id) : []);
  const baseline = run.records.filter((r) => r.model === 0 && complete.has(r.id)).sort((a, b) => (a.id < b.id ? -1 : 1));
  await put('ref.trn', formatTrn(baseline.map((r) => [r.id, r.ref] as [string, string])));
  for (const [m, model] of report.models.entries()) {
    const records = run.records.filter((r) => r.model === m).sort((a, b) => (a.id < b.id ? -1 : 1));
    await put(`hyp-${m}-${model.label.replace(/[^A-Za-z0-9._-]+/g, '_')}.trn`, formatTrn(records.map((r) => [r.id, r.hyp] as [string, string])));
  }
  return written;
}
