import {
  confusionPairs,
  formatAlignment,
  realTimeFactor,
  librispeechNormalizer,
  scoreCorpus,
  summarizeTimings,
  worstUtterances,
  type CorpusScore,
} from '@asrq/metrics';
import type { BenchRun } from './types.js';
import type { BenchReport, ModelResult } from './report-types.js';
import type { BenchConfig, UtteranceRecord } from './types.js';

/** Sum of a list of numbers (0 when empty). */
export function sum(values: readonly number[]): number {
  let total = 0;
  for (const v of values) total += v;
  return total;
}

/**
 * The records of the utterances every model finished, per model, sorted by utterance id.
 * @param run - The run.
 * @returns Records per model index and the ids of the complete utterances.
 */
export function completeRecords(run: BenchRun): { perModel: UtteranceRecord[][]; complete: Set<string> } {
  const modelCount = run.config.models.length;
  const perModel: UtteranceRecord[][] = Array.from({ length: modelCount }, () => []);
  const counts = new Map<string, number>();
  for (const r of run.records) counts.set(r.id, (counts.get(r.id) ?? 0) + 1);
  const complete = new Set([...counts].filter(([, c]) => c === modelCount).map(([id]) => id));
  for (const r of run.records) if (complete.has(r.id)) perModel[r.model]!.push(r);
  for (const list of perModel) list.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return { perModel, complete };
}

/** What RTF means when several worker processes ran at once (`--jobs`). */
function jobsNote(jobs: number | undefined): string {
  if (!jobs || jobs <= 1) return '';
  return `${jobs} worker processes ran at once, one intra-op thread each, so RTF is throughput per core (each process's time over its own audio), not the latency of one stream; run a single job (the interleaved default) for speedup claims. `;
}

/**
 * How the numbers were measured, in words, as the report records it.
 * @param config - The run's configuration.
 * @returns The report's protocol section.
 */
export function reportProtocol(config: BenchConfig): BenchReport['protocol'] {
  return {
    rtfScope:
      jobsNote(config.jobs) +
      'encoder = onnxruntime session.run only (as the SpeechBrain tutorial times the encoder forward), the median over repeat passes of total encoder time / audio time; end-to-end = that same encoder RTF plus audio read/decode/resample, input tensors and CTC decoding (measured once per utterance) / audio time',
    warmupExcluded: config.warmup,
    repeats: config.repeats,
    threads: config.threads,
    interleaving: config.models.some((_, m) => (config.modelThreads?.[m] ?? config.threads) > 1)
      ? "per utterance, every model in turn, order alternating A,B / B,A between utterances; each model's repeats back to back (with more than one thread, a model that ran just before leaves its pool threads spinning on the cores)"
      : 'per utterance, every model in turn, order alternating A,B / B,A between utterances; repeats interleaved too',
    decoding: config.lm
      ? `beam ${config.beam} with LM ${config.lm}`
      : config.beam > 1
        ? `beam ${config.beam}, no LM`
        : 'greedy (best path)',
  };
}

/** Thread count of each model and whether the run measured several. */
function threadCounts(config: BenchConfig): { threadsOf: (m: number) => number; severalCounts: boolean } {
  const threadsOf = (m: number): number => config.modelThreads?.[m] ?? config.threads;
  return { threadsOf, severalCounts: new Set(config.models.map((_, m) => threadsOf(m))).size > 1 };
}

/** Table labels: the same file listed once per thread count gets one label, then the count. */
function runLabels(config: BenchConfig, labelsOf: (paths: readonly string[]) => string[]): string[] {
  const { threadsOf, severalCounts } = threadCounts(config);
  const unique = [...new Set(config.models)];
  const uniqueLabels = labelsOf(unique);
  return config.models.map((path, m) => {
    const label = uniqueLabels[unique.indexOf(path)]!;
    return severalCounts ? `${label} @${threadsOf(m)}t` : label;
  });
}

/** What every model's line is computed against. */
interface ResultContext {
  run: BenchRun;
  perModel: UtteranceRecord[][];
  audioSec: number;
  labels: string[];
  threadsOf: (m: number) => number;
  severalCounts: boolean;
  /** Index of the model each model is compared with: the first one at the same thread count. */
  baselineIndex: (m: number) => number;
  /** Each model's encoder RTF (median over repeat passes). */
  medianRtfs: number[];
}

/** Encoder RTF of one repeat pass over a model's records (pass 0's time where a record has fewer). */
function rtfOfPass(list: readonly UtteranceRecord[], pass: number, audioSec: number): number {
  return realTimeFactor(sum(list.map((r) => r.encoderSec[pass] ?? r.encoderSec[0]!)), audioSec);
}

/** One model's line: WER/CER, RTF over the repeat passes, speedup against its baseline, sizes, worst utterances. */
function modelResult(ctx: ResultContext, m: number): ModelResult {
  const { run, audioSec } = ctx;
  const list = ctx.perModel[m]!;
  const baseline = ctx.perModel[ctx.baselineIndex(m)] ?? [];
  const baselineRtf = ctx.medianRtfs[ctx.baselineIndex(m)]!;
  const pairs = list.map((r) => ({
    id: r.id,
    ref: r.ref,
    hyp: r.hyp,
    ...(r.speaker === undefined ? {} : { speaker: r.speaker }),
  }));
  const transforms = run.config.normalize ? librispeechNormalizer : [];
  const words: CorpusScore = scoreCorpus(pairs, { unit: 'word', transforms });
  const chars: CorpusScore = scoreCorpus(pairs, { unit: 'char', transforms, alignments: false });
  // Corpus-level warnings only: per-utterance ones are summed up by METRICS_EMPTY_REFERENCES.
  const warnings = words.warnings.filter((w) => w.id === undefined).map((w) => w.message);
  const repeats = summarizeTimings(Array.from({ length: run.config.repeats }, (_, p) => rtfOfPass(list, p, audioSec)));
  // One statistic for both RTF columns: end-to-end is the encoder RTF (median over repeat passes)
  // plus the work measured once per utterance (audio, feeds, decoding). Taking the encoder time of
  // the first pass instead put end-to-end below encoder whenever that pass was the fast one.
  const outsideEncoder = realTimeFactor(sum(list.map((r) => r.loadSec + r.plumbingSec + r.decodeSec)), audioSec);
  const perUtt = list.map((r, i) => Math.min(...baseline[i]!.encoderSec) / Math.max(Math.min(...r.encoderSec), 1e-12));
  return {
    model: run.config.models[m]!,
    label: ctx.labels[m]!,
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
    ...(ctx.severalCounts ? { threads: ctx.threadsOf(m) } : {}),
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
    ...(warnings.length > 0 ? { warnings } : {}),
  };
}

/**
 * Every model's line of the report; each model is compared with the first model measured at
 * the same thread count.
 * @param run - The run.
 * @param perModel - Complete records per model (from {@link completeRecords}).
 * @param audioSec - Audio seconds of the complete utterances.
 * @param labelsOf - Short labels for model paths.
 * @returns One result per model, in config order.
 */
export function modelResults(
  run: BenchRun,
  perModel: UtteranceRecord[][],
  audioSec: number,
  labelsOf: (paths: readonly string[]) => string[],
): ModelResult[] {
  const { threadsOf, severalCounts } = threadCounts(run.config);
  const passes = run.config.repeats;
  const ctx: ResultContext = {
    run,
    perModel,
    audioSec,
    labels: runLabels(run.config, labelsOf),
    threadsOf,
    severalCounts,
    baselineIndex: (m) => run.config.models.findIndex((_, i) => threadsOf(i) === threadsOf(m)),
    medianRtfs: perModel.map(
      (list) => summarizeTimings(Array.from({ length: passes }, (_, p) => rtfOfPass(list, p, audioSec))).median,
    ),
  };
  return perModel.map((_, m) => modelResult(ctx, m));
}
