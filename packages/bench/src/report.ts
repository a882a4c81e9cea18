import { basename } from 'node:path';
import type { BenchRun } from './types.js';
import { completeRecords, modelResults, reportProtocol, sum } from './report-parts.js';
import type { BenchReport } from './report-types.js';

/** Version of the report JSON schema; bumped on any incompatible change. */
export const benchReportVersion = 1;

/** Model labels that stay short in tables: file names, made unique with their directory when needed. */
export function modelLabels(paths: readonly string[]): string[] {
  const names = paths.map((p) => basename(p));
  return names.map((name, i) =>
    names.indexOf(name) === names.lastIndexOf(name)
      ? name
      : `${basename(paths[i]!.slice(0, -name.length - 1))}/${name}`,
  );
}

/**
 * Turns a run's records into the report: WER/CER from `@asrq/metrics` (pooled, sclite
 * conventions), RTF from its one `realTimeFactor` function, speedups against the first model.
 * Only utterances every model finished are counted, so all models are scored on the same set.
 *
 * @param run - What {@link runBenchmark} returned.
 * @param environment - Facts about the machine and runtime recorded with the numbers.
 * @returns The report.
 */
export function buildReport(run: BenchRun, environment: BenchReport['environment']): BenchReport {
  const { perModel, complete } = completeRecords(run);
  const audioSec = sum((perModel[0] ?? []).map((r) => r.audioSec));
  const models = modelResults(run, perModel, audioSec, modelLabels);
  return {
    version: benchReportVersion,
    utterances: complete.size,
    requested: run.config.n,
    audioSec,
    skipped: run.skipped.map(({ id, path, reason }) => ({ id, path, reason })),
    corpusWarnings: run.corpus.warnings,
    config: run.config,
    protocol: reportProtocol(run.config),
    models,
    harness: {
      loopSec: run.loopSec,
      workSec: run.workSec,
      overheadPercent: run.loopSec > 0 ? Math.max(0, (100 * (run.loopSec - run.workSec)) / run.loopSec) : 0,
      resumedUtterances: run.resumed,
      peakRssBytes: run.peakRssBytes,
    },
    environment,
    startedAt: run.startedAt,
    finishedAt: run.finishedAt,
  };
}

/**
 * The short machine-readable summary `asrq bench --json` prints.
 * @param report - A benchmark report.
 * @returns `{ utterances, models: [{ model, wer, cer, rtfEncoder, rtfEndToEnd, speedup, sizeBytes }] }` and a few more fields.
 */
export function reportSummary(report: BenchReport): object {
  return {
    version: report.version,
    utterances: report.utterances,
    requested: report.requested,
    audioSec: report.audioSec,
    skipped: report.skipped.length,
    models: report.models.map((m) => ({
      model: m.model,
      wer: m.wer,
      cer: m.cer,
      rtfEncoder: m.rtfEncoder,
      rtfEndToEnd: m.rtfEndToEnd,
      speedup: m.speedup,
      sizeBytes: m.sizeBytes,
      loadSec: m.loadSec,
    })),
    harnessOverheadPercent: report.harness.overheadPercent,
  };
}
