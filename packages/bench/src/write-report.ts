import { cpus } from 'node:os';
import { join } from 'node:path';
import { onnxruntimeVersion } from '@asrq/runtime';
import { writeFileAtomic } from '@asrq/core/node';
import type { BenchRun } from './types.js';
import type { BenchReport } from './report-types.js';
import { getReportWriter, reportWriterNames } from './writers/registry.js';

/**
 * The machine and runtime facts recorded with every report.
 * @returns Node version, onnxruntime-node version, CPU model and core count, platform.
 */
export function environmentFacts(): BenchReport['environment'] {
  const onnxruntime = onnxruntimeVersion();
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  return {
    node: process.version,
    onnxruntime,
    cpu,
    cores: cpus().length,
    platform: `${process.platform}-${process.arch}`,
  };
}

/**
 * Writes the report in every registered format (report.json, report.md, report.html and sclite
 * .trn files: ref.trn, one hyp per model, unless other writers were registered) into the output
 * directory, each file atomically.
 * @param outDir - Output directory.
 * @param report - The report.
 * @param run - The run (for the transcripts).
 * @param options - `formats`: write only these registered formats, in this order (default: all, in registration order).
 * @returns The paths written.
 * @throws AsrqError `BENCH_BAD_OPTION` for an unknown format name.
 */
export async function writeReports(
  outDir: string,
  report: BenchReport,
  run: BenchRun,
  options: { formats?: readonly string[] } = {},
): Promise<string[]> {
  const writers = (options.formats ?? reportWriterNames()).map((name) => getReportWriter(name));
  const written: string[] = [];
  for (const writer of writers) {
    for (const file of writer.files(report, run)) {
      const path = join(outDir, file.name);
      await writeFileAtomic(path, file.data);
      written.push(path);
    }
  }
  return written;
}
