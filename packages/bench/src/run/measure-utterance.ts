import { performance } from 'node:perf_hooks';
import type { CorpusItem } from '@asrq/audio';
import type { LogProbs } from '@asrq/ctc';
import { chunkOptionsFor, forwardLong, needsChunking, type CtcModel } from '@asrq/runtime';
import { AsrqError, throwIfAborted } from '@asrq/core';
import { BenchError } from '../errors.js';
import { interleavedOrder } from '../interleave.js';
import type { UtteranceRecord } from '../types.js';
import type { RunContext } from './run-context.js';

type RunOutputs = Awaited<ReturnType<CtcModel['run']>>['outputs'];

/** What the encoder passes over one utterance left, per model index. */
interface EncoderPasses {
  /** The utterance ran window by window (`forwardLong`). */
  long: boolean;
  /** Padded model input per model (short utterances). */
  inputs: Map<number, Float32Array>;
  encoderSec: Map<number, number[]>;
  /** Feed building (short) or everything outside session.run (long), summed over the repeats. */
  plumbingSec: Map<number, number>;
  outputs: Map<number, RunOutputs>;
  /** Stitched log-probs per model (long utterances). */
  stitched: Map<number, LogProbs>;
}

/**
 * The order of the encoder passes over one utterance: models in turn, repeat after repeat (A,B,A,B);
 * but when a model runs more than one intra-op thread, each model's repeats run back to back
 * (A,A,B,B). Right after a model's run its pool threads keep spinning for a while, so the next
 * model would share the cores with them: measured at 2 threads on the wav2vec2-base shape, that
 * made its int8 model 12 % slower when it followed the float one, a cost a deployed model, which
 * follows itself, does not pay.
 * @param models - The loaded models.
 * @param order - This utterance's model order.
 * @param repeats - Passes per model.
 * @returns Model indices, one per pass.
 */
export function passOrder(
  models: readonly Pick<CtcModel, 'settings'>[],
  order: readonly number[],
  repeats: number,
): number[] {
  const backToBack = order.some((m) => models[m]!.settings.threads > 1);
  return backToBack
    ? order.flatMap((m) => Array.from({ length: repeats }, () => m))
    : Array.from({ length: repeats }, () => order).flat();
}

/** Runs every model `repeats` times over one utterance in the given order, timing session.run alone. */
async function encodeRepeats(ctx: RunContext, order: readonly number[], audio: Float32Array): Promise<EncoderPasses> {
  const { models, config } = ctx;
  // Long items run window by window (bounded memory); encoder time is the sum over windows. A
  // fixed-length export takes windows of its own length, so each model gets the windows it can run.
  const chunking = models.map((m) => chunkOptionsFor(m.info, ctx.chunking));
  const long = chunking.some((c) => needsChunking(audio.length, ctx.sampleRate, c));
  const passes: EncoderPasses = {
    long,
    inputs: new Map(),
    encoderSec: new Map(order.map((m) => [m, []])),
    plumbingSec: new Map(order.map((m) => [m, 0])),
    outputs: new Map(),
    stitched: new Map(),
  };
  // Clips shorter than a model's receptive field are padded with silence (outside the timed run).
  if (!long) for (const m of order) passes.inputs.set(m, (await models[m]!.padShort([audio]))[0]!);
  for (const m of passOrder(models, order, config.repeats)) {
    // Between repeats too: with many repeats one utterance can take minutes.
    throwIfAborted(ctx.signal);
    const model = models[m]!;
    if (long) {
      const result = await forwardLong(model, audio, chunking[m]!);
      passes.encoderSec.get(m)!.push(result.encoderSec);
      passes.plumbingSec.set(m, passes.plumbingSec.get(m)! + Math.max(0, result.wallSec - result.encoderSec));
      passes.stitched.set(m, result.logProbs);
      continue;
    }
    const t0 = performance.now();
    const feeds = model.buildFeeds([passes.inputs.get(m)!]);
    const t1 = performance.now();
    const run = await model.run(feeds);
    passes.encoderSec.get(m)!.push(run.encoderSec);
    passes.plumbingSec.set(m, passes.plumbingSec.get(m)! + (t1 - t0) / 1000);
    passes.outputs.set(m, run.outputs);
  }
  return passes;
}

/** Runs a decoder; its error (NaN log-probs from a broken model) names the model and the utterance. */
function decodeNaming<T>(ctx: RunContext, m: number, item: CorpusItem, decode: () => T): T {
  try {
    return decode();
  } catch (error) {
    if (!AsrqError.isInstance(error)) throw error;
    throw new BenchError(
      'BENCH_BAD_MODEL_OUTPUT',
      `${ctx.config.models[m]} on utterance ${item.id} (${item.audioPath}): ${error.message}`,
      { cause: error, location: ctx.config.models[m]! },
    );
  }
}

/**
 * Measures one utterance on the models that still lack a result for it: the models run in
 * interleaved order (alternating per utterance), `repeats` encoder passes each, then each
 * model's output is decoded once and its record appended to the journal.
 * @param ctx - The run.
 * @param item - The utterance.
 * @param index - Its position among the measured utterances (sets the model order).
 * @param pending - Indices of the models to measure.
 * @param loaded - Its audio and read time.
 * @returns The new records and the seconds of work they account for.
 */
export async function measureUtterance(
  ctx: RunContext,
  item: CorpusItem,
  index: number,
  pending: readonly number[],
  loaded: { audio: Float32Array; loadSec: number },
): Promise<{ records: UtteranceRecord[]; workSec: number }> {
  // Alternate the model order per utterance (A,B then B,A) so neither always runs first.
  const order = interleavedOrder(pending, index);
  const passes = await encodeRepeats(ctx, order, loaded.audio);
  const records: UtteranceRecord[] = [];
  let workSec = 0;
  for (const m of order) {
    const t0 = performance.now();
    const [logProbs] = passes.long
      ? [passes.stitched.get(m)!]
      : ctx.models[m]!.readLogProbs(passes.outputs.get(m)!, [passes.inputs.get(m)!]);
    const t1 = performance.now();
    const hyp = decodeNaming(ctx, m, item, () => ctx.decoders[m]!(logProbs!));
    const decodeSec = (performance.now() - t1) / 1000;
    const plumbingSec = passes.plumbingSec.get(m)!;
    const record: UtteranceRecord = {
      kind: 'utterance',
      model: m,
      id: item.id,
      ...(item.speaker === undefined ? {} : { speaker: item.speaker }),
      audioSec: loaded.audio.length / ctx.sampleRate,
      encoderSec: passes.encoderSec.get(m)!,
      decodeSec,
      loadSec: loaded.loadSec,
      // One pass's worth: feeds are built once per repeat, outputs read once.
      plumbingSec: plumbingSec / ctx.config.repeats + (t1 - t0) / 1000,
      ref: item.transcript,
      hyp: hyp.text,
    };
    workSec += record.encoderSec.reduce((a, b) => a + b, 0) + record.decodeSec + plumbingSec + (t1 - t0) / 1000;
    records.push(record);
    await ctx.writer.append(record);
  }
  return { records, workSec };
}
