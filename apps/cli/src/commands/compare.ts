import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { benchReportVersion, resultsTable, type BenchReport } from '@asrq/bench';
import type { Command } from 'commander';
import { note, print } from '../output.js';
import { CliError } from '../errors.js';

async function readReport(path: string): Promise<BenchReport> {
  const text = await readFile(resolve(path), 'utf8').catch((cause: unknown) => {
    throw new CliError('CLI_FILE_NOT_FOUND', `Cannot read ${path}: ${(cause as Error).message}. Pass the report.json that asrq bench wrote.`, { cause });
  });
  let report: BenchReport;
  try {
    report = JSON.parse(text) as BenchReport;
  } catch (cause) {
    throw new CliError('CLI_BAD_REPORT', `${path} is not JSON. Pass the report.json that asrq bench wrote.`, { cause });
  }
  if (report.version !== benchReportVersion || !Array.isArray(report.models)) {
    throw new CliError('CLI_BAD_REPORT', `${path} is not an asrq bench report of schema version ${benchReportVersion}.`);
  }
  return report;
}

/** Registers `asrq compare`. */
export function registerCompare(program: Command): void {
  program
    .command('compare')
    .description('Put the models of several bench reports (report.json) in one table; warns when the runs are not comparable')
    .argument('<reports...>', 'report.json files written by asrq bench')
    .option('--json', 'print the merged rows as JSON')
    .action(async (paths: string[], flags: { json?: boolean }) => {
      const reports = await Promise.all(paths.map(readReport));
      const first = reports[0]!;
      for (const [i, r] of reports.entries()) {
        const differs = (['data', 'n', 'warmup', 'seed', 'threads', 'beam', 'lm'] as const).filter((k) => JSON.stringify(r.config[k]) !== JSON.stringify(first.config[k]));
        if (differs.length > 0) note({ json: false, quiet: false }, `warning: ${paths[i]} differs from ${paths[0]} in ${differs.join(', ')}: WER is not comparable; RTF ratios across separate runs carry machine noise (bench them together with several --model for interleaved ratios).`);
      }
      const models = reports.flatMap((r) => r.models.map((m) => ({ ...m, speedup: first.models[0] ? first.models[0].rtfEncoder / m.rtfEncoder : m.speedup })));
      if (flags.json) print(JSON.stringify(models.map(({ model, wer, cer, rtfEncoder, rtfEndToEnd, speedup, sizeBytes }) => ({ model, wer, cer, rtfEncoder, rtfEndToEnd, speedup, sizeBytes }))));
      else print(resultsTable({ ...first, models }));
    });
}
