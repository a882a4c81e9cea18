import { basename } from 'node:path';
import type { TimingSummary } from '@asrq/metrics';
import type { BenchRun } from './harness.js';
import { completeRecords, modelResults, reportProtocol, sum } from './report-parts.js';
import type { BenchConfig } from './types.js';

/** Version of the report JSON schema; bumped on any incompatible change. */
export const benchReportVersion = 1;

/** One model's line in the report. */
export interface ModelResult {
  model: string;
  label: string;
  /** Word error rate, percent. */
  wer: number;
  /** Character error rate, percent. */
  cer: number;
  substitutions: number;
  deletions: number;
  insertions: number;
  refWords: number;
  /** Encoder RTF (session.run time / audio time): the median over repeats. */
  rtfEncoder: number;
  /** Encoder RTF over each repeat pass. */
  rtfEncoderRepeats: TimingSummary;
  /**
   * End-to-end RTF: {@link ModelResult.rtfEncoder} (the median over repeat passes) plus audio
   * loading, input tensors and CTC decoding (measured once per utterance), over audio time; never
   * below the encoder RTF.
   */
  rtfEndToEnd: number;
  /** CTC decoding time / audio time. */
  rtfDecode: number;
  /** Baseline encoder RTF / this model's encoder RTF (the first model is 1; with several thread counts, the first model at the same count). */
  speedup: number;
  /** Intra-op threads of this model's session (present when the run measured several thread counts). */
  threads?: number;
  /** Per-utterance speedups against the baseline (median and spread). */
  speedupPerUtterance: TimingSummary;
  /** Per-utterance encoder RTF (first repeat), for distribution plots. */
  utteranceRtf: number[];
  sizeBytes: number;
  loadSec: number;
  rssIncreaseBytes: number;
  worst: Array<{ id: string; errors: number; refWords: number; alignment: string }>;
  confusions: Array<{ ref: string; hyp: string; count: number }>;
  /** What makes this model's WER misleading (references and hypotheses in different letter cases, empty references); absent when nothing. */
  warnings?: string[];
}

/** The benchmark report (schema version {@link benchReportVersion}). */
export interface BenchReport {
  version: number;
  /** Utterances measured (every model finished them). */
  utterances: number;
  /** Utterances asked for (`--n`); more than `utterances` when the corpus is smaller or some were skipped (absent in reports written before it was added). */
  requested?: number;
  audioSec: number;
  skipped: Array<{ id: string; path: string; reason: string }>;
  corpusWarnings: number;
  config: BenchConfig;
  protocol: {
    rtfScope: string;
    warmupExcluded: number;
    repeats: number;
    threads: number;
    interleaving: string;
    decoding: string;
  };
  models: ModelResult[];
  harness: {
    loopSec: number;
    workSec: number;
    overheadPercent: number;
    resumedUtterances: number;
    peakRssBytes: number;
  };
  environment: { node: string; onnxruntime: string; cpu: string; cores: number; platform: string };
  /** The shard runs this report was merged from (`asrq bench merge`, `--jobs`), each with its machine. */
  merged?: Array<{ dir: string; shard: string; utterances: number; cpu?: string; cores?: number; loopSec?: number }>;
  startedAt: string;
  finishedAt: string;
}

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
