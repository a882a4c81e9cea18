/**
 * The asrq benchmark harness: several models over one corpus, interleaved per utterance,
 * encoder RTF (as the SpeechBrain tutorial measures it) and end-to-end RTF, WER/CER, sizes,
 * load times and memory; resumable from a JSONL journal; JSON, Markdown, HTML and sclite
 * .trn outputs.
 * @packageDocumentation
 */
export { BenchError, benchErrorCodes, type BenchErrorCode } from './errors.js';
export { formatMarkdownReport, formatMegabytes, resultsTable } from './format.js';
export { journalPath, runBenchmark } from './harness.js';
export { runBenchJobs, type BenchJobsOptions } from './jobs/run-jobs.js';
export { jobDir } from './jobs/job-process.js';
export { threadConfig } from './jobs/thread-config.js';
export type { BenchProgress, BenchRun, LoadedModelFacts, RunBenchmarkOptions } from './types.js';
export { interleavedOrder } from './interleave.js';
export { formatHtmlReport } from './html.js';
export { escapeHtml } from './escape-html.js';
export { scatterPlot, type ScatterPlotOptions, type ScatterPoint } from './scatter-plot.js';
export { layoutLabels, type PlacedLabel, type PlotLabel } from './label-layout.js';
export { readJournal, type JournalContents } from './journal.js';
export { benchReportVersion, buildReport, modelLabels, reportSummary } from './report.js';
export type { BenchReport, ModelResult } from './report-types.js';
export type { BenchConfig, BenchSettings, JournalHeader, SkippedRecord, UtteranceRecord } from './types.js';
export { BENCH_DEFAULTS, resolveBenchConfig } from './defaults.js';
export { tuneLm, type TuneLmOptions, type TuneLmProgress, type TuneLmResult } from './lm-tune/tune.js';
export { lmTuneBest, writeLmTuneReports } from './lm-tune/write.js';
export { lmTuneHeatmapHtml } from './lm-tune/heatmap.js';
export { environmentFacts, writeReports } from './write-report.js';
export { parseBenchReport, readBenchReport, readBenchReports, type NamedBenchReport } from './report-files.js';
export { createWerEvaluator, type WerEvaluatorOptions } from './wer-evaluator.js';
export { compareReports, COMPARABLE_SETTINGS, type ReportComparison } from './compare-reports.js';
export { getReportWriter, registerReportWriter, reportWriterNames } from './writers/registry.js';
export type { ReportFile, ReportWriter } from './writers/types.js';
export { mergeShards, type MergedRun, type MergeShardsOptions } from './merge.js';
export { checkShards, shardDifferences, type ShardJournal } from './merge-checks.js';
export {
  combinedShard,
  composeShard,
  formatShard,
  parseShard,
  selectionDigest,
  shardItems,
  type SelectionDigest,
  type ShardSpec,
} from './shard.js';
