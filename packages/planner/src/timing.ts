import { performance } from 'node:perf_hooks';
import type { BenchRun } from '@asrq/bench';
import type { Feeds } from '@asrq/quantize';
import type { NodeGroup } from './groups.js';
import { profileShares, timeInterleaved } from './variants.js';

/**
 * Every timing the planner decides on, behind one interface: the profiler's time shares, the
 * speed probe, the encoder times of trial and finalist benchmarks, and the clock of the time
 * budget. {@link realPlannerTiming} measures them; tests inject {@link fixedPlannerTiming} so a
 * busy machine cannot change which plan is tried first or which one wins.
 */
export interface PlannerTiming {
  /** A monotonic clock in milliseconds (time budget, trial durations). */
  now(): number;
  /**
   * Each group's share (0..1) of the float model's kernel time, and kernel milliseconds per run.
   * @param input - Float model bytes, sample feeds, groups, threads, a scratch folder.
   */
  profileShares(input: {
    floatBytes: Uint8Array;
    sample: Feeds;
    groups: readonly NodeGroup[];
    threads: number;
    dir: string;
  }): Promise<{ shares: Record<string, number>; kernelMs: number }>;
  /**
   * Seconds of one run of each model on the sample; index 0 is the float model, the others the
   * speed-probe variants.
   * @param input - Model bytes, sample feeds, threads, cancellation.
   */
  probeTimes(input: {
    models: readonly Uint8Array[];
    sample: Feeds;
    threads: number;
    signal?: AbortSignal;
  }): Promise<number[]>;
  /**
   * The encoder timings a trial or finalist benchmark is judged on (WER is never touched).
   * @param run - The run as measured; model 0 is the float model.
   * @returns The run to build the report from.
   */
  benchmarkTimings(run: BenchRun): BenchRun;
}

/** Measured timings: onnxruntime's profiler, interleaved session runs, benchmark times as they are, performance.now. */
export const realPlannerTiming: PlannerTiming = {
  now: () => performance.now(),
  profileShares: ({ floatBytes, sample, groups, threads, dir }) =>
    profileShares(floatBytes, sample, groups, { runs: 5, threads, dir }),
  probeTimes: ({ models, sample, threads, signal }) =>
    timeInterleaved(models, sample, { rounds: 5, threads, ...(signal ? { signal } : {}) }),
  benchmarkTimings: (run) => run,
};

/** Settings of {@link fixedPlannerTiming}. */
export interface FixedTimingOptions {
  /** Milliseconds the clock advances on every reading (default 0: the budget never runs out). */
  clockStepMs?: number;
  /** Float encoder seconds per audio second in benchmarks (default 0.01). */
  floatRtf?: number;
  /** A probe variant's time relative to float (default 0.5: every quantized family halves its share). */
  probeRatio?: number;
}

/**
 * Deterministic timings for tests and reproducible runs: every group gets an equal share of the
 * kernel time, every speed-probe variant runs in `probeRatio` of the float time, and a
 * benchmarked model's encoder time is the float time scaled by its size on disk relative to
 * the float model (int8 weights are smaller and, on CPU, faster). The clock moves only by
 * `clockStepMs` per reading.
 * @param options - See {@link FixedTimingOptions}.
 * @returns The timing to pass as `timing` to searchPlan.
 * @example
 * ```ts
 * await searchPlan('model.onnx', { ...options, timing: fixedPlannerTiming() });
 * ```
 */
export function fixedPlannerTiming(options: FixedTimingOptions = {}): PlannerTiming {
  const step = options.clockStepMs ?? 0;
  const floatRtf = options.floatRtf ?? 0.01;
  const ratio = options.probeRatio ?? 0.5;
  let clock = 0;
  return {
    now: () => (clock += step),
    profileShares: async ({ groups }) => ({
      shares: Object.fromEntries(groups.map((g) => [g.id, 1 / groups.length])),
      kernelMs: 10,
    }),
    probeTimes: async ({ models }) => models.map((_, i) => (i === 0 ? 0.01 : 0.01 * ratio)),
    benchmarkTimings: (run) => {
      const floatSize = run.models[0]?.sizeBytes ?? 1;
      const rtfOf = run.models.map((m) => (floatRtf * m.sizeBytes) / floatSize);
      return {
        ...run,
        records: run.records.map((r) => ({ ...r, encoderSec: r.encoderSec.map(() => r.audioSec * rtfOf[r.model]!) })),
      };
    },
  };
}
