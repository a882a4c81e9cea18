import { compareReports, readBenchReport, resultsTable } from '@asrq/bench';
import type { Command } from 'commander';
import { addCommand } from '../options/spec.js';
import { note, print } from '../output.js';

/** Registers `asrq compare`. */
export function registerCompare(program: Command): void {
  addCommand(
    program,
    {
      name: 'compare',
      description:
        'Put the models of several bench reports (report.json) in one table; warns when the runs are not comparable',
      arguments: [{ name: '<reports...>', description: 'report.json files written by asrq bench' }],
      options: { json: { flags: '--json', description: 'print the merged rows as JSON' } },
    },
    async (paths, flags) => {
      const reports = await Promise.all(paths.map(readBenchReport));
      const { models: merged, differences } = compareReports(reports);
      // compareReports lists every report's models in order: name the report of each row, since
      // two runs usually label their float model the same (model.onnx).
      const reportOf = reports.flatMap((r, index) => r.models.map(() => paths[index]!));
      const models = merged.map((m, row) => ({ ...m, label: `${m.label} (${reportOf[row]})`, report: reportOf[row]! }));
      for (const { index, settings } of differences) {
        note(
          { json: false, quiet: false },
          `warning: ${paths[index]} differs from ${paths[0]} in ${settings.join(', ')}: WER is not comparable; RTF ratios across separate runs carry machine noise (bench them together with several --model for interleaved ratios).`,
        );
      }
      if (flags.json)
        print(
          JSON.stringify(
            models.map(({ report, model, wer, cer, rtfEncoder, rtfEndToEnd, speedup, sizeBytes }) => ({
              report,
              model,
              wer,
              cer,
              rtfEncoder,
              rtfEndToEnd,
              speedup,
              sizeBytes,
            })),
          ),
        );
      else print(resultsTable({ ...reports[0]!, models }));
    },
  );
}
