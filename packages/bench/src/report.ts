import { basename } from 'node:path';
import {
  confusionPairs,
  formatAlignment,
  realTimeFactor,
  scoreCorpus,
  summarizeTimings,
  worstUtterances,
  type CorpusScore,
  type TimingSummary,
} from '@asrq/metrics';
import type { BenchRun } from './harness.js';
import type { BenchConfig, UtteranceRecord } from './types.js';

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
  harness: { loopSec: number; workSec: number; overheadPercent: number; resumedUtterances: number; peakRssBytes: number };
  environment: { node: string; onnxruntime: string; cpu: string; cores: number; platform: string };
  /** The shard runs this report was merged from (`asrq bench merge`, `--jobs`), each with its machine. */
  merged?: Array<{ dir: string; shard: string; utterances: number; cpu?: string; cores?: number; loopSec?: number }>;
  startedAt: string;
  finishedAt: string;
}

/** What RTF means when several worker processes ran at once (`--jobs`). */
function jobsNote(jobs: number | undefined): string {
  if (!jobs || jobs <= 1) return '';
  return `${jobs} worker processes ran at once, one intra-op thread each, so RTF is throughput per core (each process's time over its own audio), not the latency of one stream; run a single job (the interleaved default) for speedup claims. `;
}

/** Model labels that stay short in tables: file names, made unique with their directory when needed. */
export function modelLabels(paths: readonly string[]): string[] {
  const names = paths.map((p) => basename(p));
  return names.map((name, i) => (names.indexOf(name) === names.lastIndexOf(name) ? name : `${basename(paths[i]!.slice(0, -name.length - 1))}/${name}`));
}

function sum(values: readonly number[]): number {
  let total = 0;
  for (const v of values) total += v;
  return total;
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
  const modelCount = run.config.models.length;
  const perModel: UtteranceRecord[][] = Array.from({ length: modelCount }, () => []);
  const counts = new Map<string, number>();
  for (const r of run.records) counts.set(r.id, (counts.get(r.id) ?? 0) + 1);
  const complete = new Set([...counts].filter(([, c]) => c === modelCount).map(([id]) => id));
  for (const r of run.records) if (complete.has(r.id)) perModel[r.model]!.push(r);
  for (const list of perModel) list.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));

  const threadsOf = (m: number): number => run.config.modelThreads?.[m] ?? run.config.threads;
  const severalCounts = new Set(run.config.models.map((_, m) => threadsOf(m))).size > 1;
  // The same file listed once per thread count gets one label, then the count.
  const unique = [...new Set(run.config.models)];
  const uniqueLabels = modelLabels(unique);
  const labels = run.config.models.map((path, m) => {
    const label = uniqueLabels[unique.indexOf(path)]!;
    return severalCounts ? `${label} @${threadsOf(m)}t` : label;
  });
  const audioSec = sum((perModel[0] ?? []).map((r) => r.audioSec));
  const rtfOfPass = (list: UtteranceRecord[], pass: number) => realTimeFactor(sum(list.map((r) => r.encoderSec[pass] ?? r.encoderSec[0]!)), audioSec);
  const passes = run.config.repeats;
  // Each model is compared with the first model measured at the same thread count.
  const baselineIndex = (m: number): number => run.config.models.findIndex((_, i) => threadsOf(i) === threadsOf(m));
  const baselineRtfs = perModel.map((list) => summarizeTimings(Array.from({ length: passes }, (_, p) => rtfOfPass(list, p))).median);

  const models: ModelResult[] = perModel.map((list, m) => {
    const baseline = perModel[baselineIndex(m)] ?? [];
    const baselineRtf = baselineRtfs[baselineIndex(m)]!;
    const pairs = list.map((r) => ({ id: r.id, ref: r.ref, hyp: r.hyp, ...(r.speaker === undefined ? {} : { speaker: r.speaker }) }));
    const words: CorpusScore = scoreCorpus(pairs, { unit: 'word' });
    const chars: CorpusScore = scoreCorpus(pairs, { unit: 'char', alignments: false });
    const repeats = summarizeTimings(Array.from({ length: passes }, (_, p) => rtfOfPass(list, p)));
    // One statistic for both RTF columns: end-to-end is the encoder RTF (median over repeat passes)
    // plus the work measured once per utterance (audio, feeds, decoding). Taking the encoder time of
    // the first pass instead put end-to-end below encoder whenever that pass was the fast one.
    const outsideEncoder = realTimeFactor(sum(list.map((r) => r.loadSec + r.plumbingSec + r.decodeSec)), audioSec);
    const perUtt = list.map((r, i) => {
      const base = baseline[i]!;
      return Math.min(...base.encoderSec) / Math.max(Math.min(...r.encoderSec), 1e-12);
    });
    return {
      model: run.config.models[m]!,
      label: labels[m]!,
      wer: words.total.errorRate,
      cer: chars.total.errorRate,
      substitutions: words.total.substitutions,
      deletions: words.total.deletions,
      insertions: words.total.insertions,
      refWords: words.total.refCount,
      rtfEncoder: repeats.median,
      rtfEncoderRepeats: repeats,
      rtfEndToEnd: repeats.median + outsideEncoder,
      rtfDecode: realTimeFactor(sum(list.map((r) => r.decodeSec)), audioSec),
      speedup: repeats.median > 0 ? baselineRtf / repeats.median : 0,
      speedupPerUtterance: summarizeTimings(perUtt.length > 0 ? perUtt : [0]),
      ...(severalCounts ? { threads: threadsOf(m) } : {}),
      utteranceRtf: list.map((r) => realTimeFactor(r.encoderSec[0]!, r.audioSec)),
      sizeBytes: run.models[m]?.sizeBytes ?? 0,
      loadSec: run.models[m]?.loadSec ?? 0,
      rssIncreaseBytes: run.models[m]?.rssIncreaseBytes ?? 0,
      worst: worstUtterances(words, 5).map((u) => ({
        id: u.id,
        errors: u.substitutions + u.deletions + u.insertions,
        refWords: u.refCount,
        alignment: formatAlignment(u),
      })),
      confusions: confusionPairs(words, 10),
    };
  });

  return {
    version: benchReportVersion,
    utterances: complete.size,
    requested: run.config.n,
    audioSec,
    skipped: run.skipped.map(({ id, path, reason }) => ({ id, path, reason })),
    corpusWarnings: run.corpus.warnings,
    config: run.config,
    protocol: {
      rtfScope:
        jobsNote(run.config.jobs) +
        'encoder = onnxruntime session.run only (as the SpeechBrain tutorial times the encoder forward), the median over repeat passes of total encoder time / audio time; end-to-end = that same encoder RTF plus audio read/decode/resample, input tensors and CTC decoding (measured once per utterance) / audio time',
      warmupExcluded: run.config.warmup,
      repeats: run.config.repeats,
      threads: run.config.threads,
      interleaving: 'per utterance, every model in turn, order alternating A,B / B,A between utterances; repeats interleaved too',
      decoding: run.config.lm ? `beam ${run.config.beam} with LM ${run.config.lm}` : run.config.beam > 1 ? `beam ${run.config.beam}, no LM` : 'greedy (best path)',
    },
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
