import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { openCorpus, readAudio, selectItems, type CorpusItem } from '@asrq/audio';
import { errorCode, throwIfAborted } from '@asrq/core';
import { loadArpa } from '@asrq/ctc';
import { checkSameFrontEnd, CtcModel, createDecoder, findTokenizer, loadModelTokenizer, type CtcDecodeFn } from '@asrq/runtime';
import { lockDirectory } from '@asrq/core/node';
import type { LogProbs } from '@asrq/ctc';
import { forwardLong, needsChunking } from '@asrq/runtime';
import { assertSameRun, emptyJournal, openJournal, readJournal, startJournal, type JournalWriter } from './journal.js';
import { assertSameInputs, fingerprintInputs } from './run-inputs.js';
import { selectionDigest, shardItems } from './shard.js';
import type { BenchConfig, SkippedRecord, UtteranceRecord } from './types.js';
import { BenchError } from './errors.js';

/** Progress of a benchmark run, for progress bars. */
export type BenchProgress =
  | { status: 'loading'; model: string; index: number; total: number }
  | { status: 'warmup'; done: number; total: number }
  | { status: 'measuring'; done: number; total: number; id: string; resumed: number }
  | { status: 'skipped'; id: string; reason: string }
  | { status: 'short'; requested: number; available: number; warmup: number }
  /** The lock on the output directory was left by a process that is gone (killed); it was taken over. */
  | { status: 'stale-lock'; path: string; pid?: number; startedAt?: string }
  | { status: 'done' };

/** Facts about each model gathered while loading. */
export interface LoadedModelFacts {
  path: string;
  sizeBytes: number;
  loadSec: number;
  /** Resident memory growth while creating the session, in bytes. */
  rssIncreaseBytes: number;
}

/** Everything the report is computed from. */
export interface BenchRun {
  config: BenchConfig;
  records: UtteranceRecord[];
  skipped: SkippedRecord[];
  models: LoadedModelFacts[];
  tokenizer: string;
  corpus: { root: string; kind: string; available: number; warnings: number };
  /** Utterances resumed from the journal rather than measured in this process. */
  resumed: number;
  /** Wall time of the measured loop in this process, seconds. */
  loopSec: number;
  /** Time inside the loop spent on audio loading, inference and decoding, seconds. */
  workSec: number;
  /** Peak resident set size of this process, bytes. */
  peakRssBytes: number;
  startedAt: string;
  finishedAt: string;
}

/** Options of {@link runBenchmark}. */
export interface RunBenchmarkOptions {
  /** Directory for the journal (`results.jsonl`) and reports. */
  outDir: string;
  /** Continue an interrupted run from its journal. */
  resume?: boolean;
  /** Replace a finished or interrupted run in `outDir` instead of refusing to. */
  force?: boolean;
  onProgress?: (event: BenchProgress) => void;
  signal?: AbortSignal;
}

/** The journal file of a run directory. */
export function journalPath(outDir: string): string {
  return join(outDir, 'results.jsonl');
}

/**
 * Runs the benchmark protocol of the SpeechBrain tutorial over several models at once:
 * warm-up utterances first (excluded), then every measured utterance through every model,
 * interleaved (A, B, B, A, ...) so machine noise falls on all models alike; encoder time is
 * `session.run` alone, repeated `repeats` times; decoding and audio loading are timed apart.
 * Each (utterance, model) result is appended to a JSONL journal as it is produced, so an
 * interrupted run resumes where it stopped.
 *
 * @param config - What to run.
 * @param options - Output directory, resume, progress and cancellation.
 * @returns The raw run, for {@link buildReport}.
 * The output directory is locked for the run (`results.lock`: pid, host, start time); a lock
 * left by a killed process is taken over with a `stale-lock` progress note. The journal header
 * records fingerprints of every input file, and a resume refuses when any of them changed.
 * @throws AsrqError for unreadable inputs (models, corpus, audio in strict mode), `BENCH_OUT_LOCKED`
 *   (another run uses `outDir`), and `BENCH_RESUME_MISMATCH` (other settings, or an input file changed).
 */
export async function runBenchmark(config: BenchConfig, options: RunBenchmarkOptions): Promise<BenchRun> {
  // Two runs appending to one journal would write every result twice: one run per --out.
  const lock = await lockDirectory(options.outDir, {
    name: 'results.lock',
    code: errorCode(BenchError, 'BENCH_OUT_LOCKED'),
    what: '--out',
    onStale: (note) => options.onProgress?.({ status: 'stale-lock', path: note.path, ...(note.previous ? { pid: note.previous.pid, startedAt: note.previous.startedAt } : {}) }),
  });
  try {
    return await runLocked(config, options);
  } finally {
    await lock.release();
  }
}

/** {@link runBenchmark} once the output directory is locked. */
async function runLocked(config: BenchConfig, options: RunBenchmarkOptions): Promise<BenchRun> {
  if (config.models.length === 0) throw new BenchError('BENCH_NO_MODEL', 'No model to benchmark. Pass at least one --model.');
  if (!Number.isInteger(config.n) || config.n < 1) throw new BenchError('BENCH_BAD_OPTION', `--n must be a positive integer, got ${config.n}.`);
  if (!Number.isInteger(config.warmup) || config.warmup < 0) throw new BenchError('BENCH_BAD_OPTION', `--warmup must be 0 or more, got ${config.warmup}.`);
  if (!Number.isInteger(config.repeats) || config.repeats < 1) throw new BenchError('BENCH_BAD_OPTION', `--repeats must be 1 or more, got ${config.repeats}.`);
  if (config.modelThreads && (config.modelThreads.length !== config.models.length || config.modelThreads.some((t) => !Number.isInteger(t) || t < 1))) {
    throw new BenchError('BENCH_BAD_OPTION', `modelThreads must give a positive integer thread count for each of the ${config.models.length} models, got [${config.modelThreads.join(', ')}].`);
  }
  // Refuses a chunking that keeps nothing (RUNTIME_BAD_CHUNKING) before anything is read or written.
  needsChunking(0, 16000, { ...(config.chunkSec === undefined ? {} : { chunkSec: config.chunkSec }), ...(config.strideSec === undefined ? {} : { strideSec: config.strideSec }) });
  const startedAt = new Date().toISOString();
  const journal = journalPath(options.outDir);
  // Read-only until every input has been checked, so a typo never costs a previous run.
  // --force without --resume starts over whatever the old journal holds, even a broken one.
  const existing = options.force && !options.resume ? await readJournal(journal).catch(() => emptyJournal()) : await readJournal(journal);
  const hasRun = existing.header !== undefined || existing.records.length > 0;
  if (options.resume && hasRun) assertSameRun(journal, existing.header, config);
  if (!options.resume && !options.force && existing.records.length > 0) {
    throw new BenchError(
      'BENCH_OUT_EXISTS',
      `${options.outDir} already holds a run (${existing.records.length} results in ${journal}). Pass --resume to continue it, --force to start over, or choose another --out.`,
    );
  }
  const previous: UtteranceRecord[] = options.resume ? existing.records : [];
  const skipped: SkippedRecord[] = options.resume ? existing.skipped : [];

  const corpus = await openCorpus(config.data, { lenient: config.lenient });
  const selection = selectItems(corpus.items, { n: config.n + config.warmup, ...(config.seed === undefined ? {} : { seed: config.seed }) });
  const warmupItems = selection.slice(0, config.warmup);
  const unsharded = selection.slice(config.warmup);
  if (unsharded.length === 0) {
    throw new BenchError('BENCH_NOT_ENOUGH_DATA', `${config.data} has ${corpus.items.length} utterances: none left to measure after ${config.warmup} warm-up ones. Lower --warmup or use a larger corpus.`);
  }
  if (unsharded.length < config.n) options.onProgress?.({ status: 'short', requested: config.n, available: unsharded.length, warmup: config.warmup });
  const measured = shardItems(unsharded, config.shard);
  const measuredIds = new Set(measured.map((m) => m.id));

  const models: CtcModel[] = [];
  const facts: LoadedModelFacts[] = [];
  const decoders: CtcDecodeFn[] = [];
  let writer: JournalWriter | undefined;
  try {
    for (const [index, path] of config.models.entries()) {
      throwIfAborted(options.signal);
      options.onProgress?.({ status: 'loading', model: path, index, total: config.models.length });
      const rssBefore = process.memoryUsage().rss;
      // A quantized copy written elsewhere reads its front-end settings from the first model's folder when it has none of its own.
      const companionDirs = config.models.slice(0, index).map((m) => dirname(m));
      const model = await CtcModel.load(path, { session: { threads: config.modelThreads?.[index] ?? config.threads }, companionDirs, ...(config.overrides ? { overrides: config.overrides } : {}) });
      models.push(model);
      const rssIncreaseBytes = Math.max(0, process.memoryUsage().rss - rssBefore);
      facts.push({ path, sizeBytes: await model.diskBytes(), loadSec: model.loadSec, rssIncreaseBytes });
    }

    // After the models, so a model that is not a CTC speech model is reported as such first.
    checkSameFrontEnd(models);
    const tokenizerPath = config.tokenizer ?? (await findTokenizer(config.models[0]!, config.models.slice(1).map((m) => join(m, '..'))).catch(() => config.models[0]!));
    const tokenizer = await loadModelTokenizer(models[0]!, { ...(config.tokenizer ? { tokenizer: config.tokenizer } : {}), extraDirs: config.models.slice(1).map((m) => dirname(m)) });
    const lm = config.lm ? await loadArpa(config.lm) : undefined;
    const decodeSettings = { beamWidth: config.beam, ...(lm ? { lm } : {}), ...(config.alpha === undefined ? {} : { alpha: config.alpha }), ...(config.beta === undefined ? {} : { beta: config.beta }), ...(config.hotwords?.length ? { hotwords: config.hotwords } : {}), ...(config.hotwordWeight === undefined ? {} : { hotwordWeight: config.hotwordWeight }) };
    for (const model of models) {
      if (model.info.vocabSize !== undefined && model.info.vocabSize !== tokenizer.vocabSize) {
        throw new BenchError('BENCH_VOCAB_MISMATCH', `${model.path} outputs ${model.info.vocabSize} tokens but the tokenizer ${tokenizerPath} has ${tokenizer.vocabSize}. Pass the matching --tokenizer.`);
      }
      decoders.push(createDecoder(tokenizer, decodeSettings));
    }

    const inputs = { ...(await fingerprintInputs({ models: config.models, tokenizer: tokenizerPath, ...(config.lm ? { lm: config.lm } : {}), data: config.data, items: measured })), selection: selectionDigest(unsharded) };
    if (options.resume && hasRun) assertSameInputs(journal, existing.header?.inputs, inputs, previous, measured);
    if (options.resume && hasRun) writer = await openJournal(journal, existing);
    else {
      await startJournal(journal, config, inputs);
      writer = await openJournal(journal);
    }

    const sampleRate = models[0]!.info.sampleRate;
    const chunking = { ...(config.chunkSec === undefined ? {} : { chunkSec: config.chunkSec }), ...(config.strideSec === undefined ? {} : { strideSec: config.strideSec }) };
    const load = async (item: CorpusItem): Promise<{ audio: Float32Array; loadSec: number } | { error: string }> => {
      const started = performance.now();
      try {
        const audio = await readAudio(item.audioPath, { sampleRate });
        return { audio, loadSec: (performance.now() - started) / 1000 };
      } catch (error) {
        if (!config.lenient) throw error;
        return { error: (error as Error).message };
      }
    };

    for (const [index, item] of warmupItems.entries()) {
      throwIfAborted(options.signal);
      options.onProgress?.({ status: 'warmup', done: index, total: warmupItems.length });
      const loaded = await load(item);
      if ('error' in loaded) continue;
      for (const model of models) await forwardLong(model, loaded.audio, chunking);
    }
    options.onProgress?.({ status: 'warmup', done: warmupItems.length, total: warmupItems.length });

    const done = new Set(previous.map((r) => `${r.id}\u0000${r.model}`));
    const skippedIds = new Set(skipped.map((s) => s.id));
    const resumedIds = new Set(previous.filter((r) => measuredIds.has(r.id)).map((r) => r.id));
    const records = [...previous];
    let workSec = 0;
    const loopStart = performance.now();
    for (const [index, item] of measured.entries()) {
      throwIfAborted(options.signal);
      options.onProgress?.({ status: 'measuring', done: index, total: measured.length, id: item.id, resumed: resumedIds.size });
      const pending = models.map((_, m) => m).filter((m) => !done.has(`${item.id}\u0000${m}`));
      if (pending.length === 0 || skippedIds.has(item.id)) continue;
      const loaded = await load(item);
      if ('error' in loaded) {
        const record: SkippedRecord = { kind: 'skipped', id: item.id, path: item.audioPath, reason: loaded.error };
        skipped.push(record);
        await writer!.append(record);
        options.onProgress?.({ status: 'skipped', id: item.id, reason: loaded.error });
        continue;
      }
      workSec += loaded.loadSec;
      // Alternate the model order per utterance (A,B then B,A) so neither always runs first.
      const order = index % 2 === 0 ? pending : [...pending].reverse();
      const encoderSec = new Map<number, number[]>(order.map((m) => [m, []]));
      const plumbingSec = new Map<number, number>(order.map((m) => [m, 0]));
      const outputs = new Map<number, Awaited<ReturnType<CtcModel['run']>>['outputs']>();
      // Long items run window by window (bounded memory); encoder time is the sum over windows.
      const long = needsChunking(loaded.audio.length, sampleRate, chunking);
      // Clips shorter than a model's receptive field are padded with silence (outside the timed run).
      const inputs = new Map<number, Float32Array>();
      if (!long) for (const m of order) inputs.set(m, (await models[m]!.padShort([loaded.audio]))[0]!);
      const stitched = new Map<number, LogProbs>();
      for (let r = 0; r < config.repeats; r++) {
        for (const m of order) {
          const model = models[m]!;
          if (long) {
            const result = await forwardLong(model, loaded.audio, chunking);
            encoderSec.get(m)!.push(result.encoderSec);
            plumbingSec.set(m, plumbingSec.get(m)! + Math.max(0, result.wallSec - result.encoderSec));
            stitched.set(m, result.logProbs);
            continue;
          }
          const t0 = performance.now();
          const feeds = model.buildFeeds([inputs.get(m)!]);
          const t1 = performance.now();
          const run = await model.run(feeds);
          encoderSec.get(m)!.push(run.encoderSec);
          plumbingSec.set(m, plumbingSec.get(m)! + (t1 - t0) / 1000);
          outputs.set(m, run.outputs);
        }
      }
      for (const m of order) {
        const model = models[m]!;
        const t0 = performance.now();
        const [logProbs] = long ? [stitched.get(m)!] : model.readLogProbs(outputs.get(m)!, [inputs.get(m)!]);
        const t1 = performance.now();
        const hyp = decoders[m]!(logProbs!);
        const decodeSec = (performance.now() - t1) / 1000;
        const record: UtteranceRecord = {
          kind: 'utterance',
          model: m,
          id: item.id,
          ...(item.speaker === undefined ? {} : { speaker: item.speaker }),
          audioSec: loaded.audio.length / sampleRate,
          encoderSec: encoderSec.get(m)!,
          decodeSec,
          loadSec: loaded.loadSec,
          // One pass's worth: feeds are built once per repeat, outputs read once.
          plumbingSec: plumbingSec.get(m)! / config.repeats + (t1 - t0) / 1000,
          ref: item.transcript,
          hyp: hyp.text,
        };
        workSec += record.encoderSec.reduce((a, b) => a + b, 0) + record.decodeSec + plumbingSec.get(m)! + (t1 - t0) / 1000;
        records.push(record);
        await writer!.append(record);
      }
    }
    const loopSec = (performance.now() - loopStart) / 1000;
    const finished = new Set(records.filter((r) => measuredIds.has(r.id)).map((r) => r.id));
    if (finished.size === 0) {
      const reasons = skipped.filter((k) => measuredIds.has(k.id)).slice(0, 3).map((k) => `${k.id}: ${k.reason}`);
      throw new BenchError('BENCH_NOT_ENOUGH_DATA', `All ${measured.length} measured utterances of ${config.data} were skipped as unreadable${reasons.length ? ` (${reasons.join('; ')})` : ''}. Check the corpus with asrq data list.`);
    }
    options.onProgress?.({ status: 'done' });
    return {
      config,
      records: records.filter((r) => measuredIds.has(r.id)),
      skipped: skipped.filter((s) => measuredIds.has(s.id)),
      models: facts,
      tokenizer: tokenizerPath,
      corpus: { root: corpus.root, kind: corpus.kind, available: corpus.items.length, warnings: corpus.warnings.length },
      resumed: resumedIds.size,
      loopSec,
      workSec,
      peakRssBytes: process.resourceUsage().maxRSS * 1024,
      startedAt,
      finishedAt: new Date().toISOString(),
    };
  } finally {
    await writer?.close();
    await Promise.all(models.map((m) => m.release()));
  }
}
