import { throwIfAborted } from '@asrq/core';
import type { OnnxModel } from '@asrq/onnx';
import type { CalibratorKind, Feeds } from '@asrq/quantize';
import {
  candidateKey,
  candidatesFor,
  compilePlan,
  type Assignment,
  type Candidate,
  type NodeGroup,
  type OpFamily,
} from './groups.js';
import type { GroupSignal } from './ranking.js';
import type { SearchProgress } from './search-types.js';
import type { PlannerTiming } from './timing.js';
import { outputSqnr, quantizeVariant, runOnce, toBytes, type RangeBank } from './variants.js';

/** Inputs of {@link measureSignals}. */
export interface SignalInputs {
  floatBytes: Uint8Array;
  model: OnnxModel;
  name: string;
  groups: NodeGroup[];
  allPaths: string[];
  bank: RangeBank;
  sample: Feeds;
  /** The CTC scores output: the only output SQNR is measured on. */
  scoresOutput?: string;
  calibration: { n: number; seed: number };
  calibrators: CalibratorKind[];
  threads: number;
  /** Groups below this share of float time are not considered (stay float). */
  minTimeShare: number;
  dir: string;
  /** Where the time shares and probe times come from. */
  timing: PlannerTiming;
  onProgress?: (e: SearchProgress) => void;
  signal?: AbortSignal;
}

/**
 * Cheap signals: each group's share of float kernel time (onnxruntime profiler), the measured
 * speed gain of each (family, mode) applied to all groups of that family at once (interleaved
 * timing on the sample), and the output SQNR of every (group, candidate) quantized alone.
 * Estimated saving of a candidate = group share × its family/mode gain.
 * @param inputs - Model, groups, calibrated ranges, sample, settings.
 * @returns Per-group signals and the float kernel time per run.
 */
export async function measureSignals(inputs: SignalInputs): Promise<{ groups: GroupSignal[]; kernelMs: number }> {
  const { floatBytes, groups, bank, sample, threads } = inputs;
  inputs.onProgress?.({ status: 'profiling' });
  const { shares, kernelMs } = await inputs.timing.profileShares({
    floatBytes,
    sample,
    groups,
    threads,
    dir: inputs.dir,
  });
  const worth = groups.filter((g) => shares[g.id]! >= inputs.minTimeShare);

  // Speed probe: one model per (family, mode), all worthwhile groups of the family quantized.
  // Per-row conv ranges run an unfused chain, so they get a speed probe of their own.
  const probes: Array<{ family: OpFamily; mode: 'dynamic' | 'dynamic-row' | 'static'; candidate: Candidate }> = [
    { family: 'weight-matmul', mode: 'dynamic', candidate: { mode: 'dynamic', perChannel: true } },
    { family: 'weight-matmul', mode: 'static', candidate: { mode: 'static', calibrator: 'minmax' } },
    { family: 'act-matmul', mode: 'static', candidate: { mode: 'static', calibrator: 'minmax' } },
    { family: 'conv', mode: 'static', candidate: { mode: 'static', calibrator: 'minmax' } },
    { family: 'conv', mode: 'dynamic', candidate: { mode: 'dynamic', perChannel: true, convAsMatMul: true } },
    {
      family: 'conv',
      mode: 'dynamic-row',
      candidate: { mode: 'dynamic', perChannel: true, convAsMatMul: true, activationScale: 'row' },
    },
  ].filter((p) => worth.some((g) => g.family === p.family)) as typeof probes;
  const plans = probes.map((p) =>
    compilePlan(
      groups,
      Object.fromEntries(worth.filter((g) => g.family === p.family).map((g) => [g.id, p.candidate])),
      inputs.allPaths,
      inputs.calibration,
    ),
  );
  inputs.onProgress?.({ status: 'probing', models: plans.length });
  const probeBytes = await Promise.all(
    plans.map(async (plan) => toBytes(await quantizeVariant(floatBytes, inputs.name, plan, bank))),
  );
  const times = await inputs.timing.probeTimes({
    models: [floatBytes, ...probeBytes],
    sample,
    threads,
    ...(inputs.signal ? { signal: inputs.signal } : {}),
  });
  const gain = new Map<string, number>();
  probes.forEach((p, i) => {
    const familyShare = worth.filter((g) => g.family === p.family).reduce((s, g) => s + shares[g.id]!, 0);
    const saved = (times[0]! - times[i + 1]!) / times[0]!;
    gain.set(`${p.family}|${p.mode}`, familyShare > 0 ? Math.max(-1, Math.min(1, saved / familyShare)) : 0);
  });

  const reference = await runOnce(floatBytes, sample, threads, inputs.scoresOutput);
  const total = worth.reduce((s, g) => s + candidatesFor(g.family, inputs.calibrators).length - 1, 0);
  let done = 0;
  const result: GroupSignal[] = [];
  for (const g of groups) {
    const candidates: GroupSignal['candidates'] = [];
    if (worth.includes(g)) {
      for (const candidate of candidatesFor(g.family, inputs.calibrators)) {
        if (candidate.mode === 'float') continue;
        throwIfAborted(inputs.signal);
        const assignment: Assignment = { [g.id]: candidate };
        const model = await quantizeVariant(
          floatBytes,
          inputs.name,
          compilePlan(groups, assignment, inputs.allPaths, inputs.calibration),
          bank,
          new Set(g.nodes),
        );
        const sqnrDb = outputSqnr(reference, await runOnce(toBytes(model), sample, threads, inputs.scoresOutput));
        const probeMode =
          candidate.mode === 'dynamic' && candidate.activationScale === 'row' ? 'dynamic-row' : candidate.mode;
        candidates.push({ candidate, sqnrDb, saving: shares[g.id]! * (gain.get(`${g.family}|${probeMode}`) ?? 0) });
        inputs.onProgress?.({
          status: 'sensitivity',
          done: ++done,
          total,
          group: g.id,
          candidate: candidateKey(candidate),
        });
      }
    }
    result.push({ id: g.id, timeShare: shares[g.id]!, candidates });
  }
  return { groups: result, kernelMs };
}
