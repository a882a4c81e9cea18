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
  /** Encoded size each candidate's size change is measured from (a float16 model's float32 form). */
  sizeBaseBytes: number;
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
  /** Groups below this share of float time are not considered (stay float), unless there is a size budget. */
  minTimeShare: number;
  /** Block sizes of the 4-bit weight candidates; non-empty when the search has a size budget, which also makes every group a candidate whatever its time share. */
  int4Blocks: readonly number[];
  dir: string;
  /** Where the time shares and probe times come from. */
  timing: PlannerTiming;
  onProgress?: (e: SearchProgress) => void;
  signal?: AbortSignal;
}

/** A speed probe: one model with every worthwhile group of `family` quantized with `candidate`. */
interface SpeedProbe {
  family: OpFamily;
  mode: 'dynamic' | 'dynamic-row' | 'dynamic-int4' | 'static';
  candidate: Candidate;
}

// One probe per (family, mode). Per-row conv ranges run an unfused chain, so they get a speed probe of their own.
const SPEED_PROBES: readonly SpeedProbe[] = [
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
];

/** The probe mode of a candidate (the key of its measured gain). */
function probeModeOf(c: Candidate): SpeedProbe['mode'] | 'float' {
  if (c.mode === 'dynamic' && c.activationScale === 'row') return 'dynamic-row';
  if (c.mode === 'dynamic' && c.weights === 'int4') return 'dynamic-int4';
  return c.mode;
}

/** The speed probes of a search: 4-bit weights get one (at the smallest block size) when they are candidates. */
function speedProbes(int4Blocks: readonly number[]): SpeedProbe[] {
  if (int4Blocks.length === 0) return [...SPEED_PROBES];
  const blockSize = Math.min(...int4Blocks);
  return [
    ...SPEED_PROBES,
    {
      family: 'weight-matmul',
      mode: 'dynamic-int4',
      candidate: { mode: 'dynamic', perChannel: true, weights: 'int4', blockSize },
    },
  ];
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
  const { floatBytes, groups, sample, threads } = inputs;
  inputs.onProgress?.({ status: 'profiling' });
  const { shares, kernelMs } = await inputs.timing.profileShares({
    floatBytes,
    sample,
    groups,
    threads,
    dir: inputs.dir,
  });
  // With a size budget every group counts: a group that takes little time can still hold many bytes.
  const worth = groups.filter((g) => inputs.int4Blocks.length > 0 || shares[g.id]! >= inputs.minTimeShare);
  const gain = await measureGains(inputs, worth, shares);
  return { groups: await measureSensitivity(inputs, worth, shares, gain), kernelMs };
}

/**
 * Times one probe model per (family, mode) against float and turns the time saved into a gain per unit of
 * the family's time share, clamped to [-1, 1].
 * @returns `family|mode` -> gain.
 */
async function measureGains(
  inputs: SignalInputs,
  worth: NodeGroup[],
  shares: Record<string, number>,
): Promise<Map<string, number>> {
  const { floatBytes, groups, sample, threads } = inputs;
  // A probe covers the family's groups whose ops have the probe's mode at the model's opset.
  const probed = (p: SpeedProbe): NodeGroup[] =>
    worth.filter((g) => g.family === p.family && g.modes[p.candidate.mode as 'dynamic' | 'static']);
  const probes = speedProbes(inputs.int4Blocks).filter((p) => probed(p).length > 0);
  const plans = probes.map((p) =>
    compilePlan(
      groups,
      Object.fromEntries(probed(p).map((g) => [g.id, p.candidate])),
      inputs.allPaths,
      inputs.calibration,
    ),
  );
  inputs.onProgress?.({ status: 'probing', models: plans.length });
  const probeBytes = await Promise.all(
    plans.map(async (plan) => toBytes(await quantizeVariant(floatBytes, inputs.name, plan, inputs.bank))),
  );
  const times = await inputs.timing.probeTimes({
    models: [floatBytes, ...probeBytes],
    sample,
    threads,
    ...(inputs.signal ? { signal: inputs.signal } : {}),
  });
  const gain = new Map<string, number>();
  probes.forEach((p, i) => {
    const familyShare = probed(p).reduce((s, g) => s + shares[g.id]!, 0);
    const saved = (times[0]! - times[i + 1]!) / times[0]!;
    gain.set(`${p.family}|${p.mode}`, familyShare > 0 ? Math.max(-1, Math.min(1, saved / familyShare)) : 0);
  });
  return gain;
}

/**
 * Quantizes each worthwhile group alone with each of its candidates and measures the output SQNR against
 * float; groups below the time-share threshold get no candidates.
 * @returns One signal per group, in group order.
 */
async function measureSensitivity(
  inputs: SignalInputs,
  worth: NodeGroup[],
  shares: Record<string, number>,
  gain: Map<string, number>,
): Promise<GroupSignal[]> {
  const reference = await runOnce(inputs.floatBytes, inputs.sample, inputs.threads, inputs.scoresOutput);
  const candidatesOf = (g: NodeGroup): Candidate[] =>
    candidatesFor(g.family, inputs.calibrators, g.modes, inputs.int4Blocks);
  const total = worth.reduce((s, g) => s + candidatesOf(g).length - 1, 0);
  let done = 0;
  const result: GroupSignal[] = [];
  for (const g of inputs.groups) {
    const candidates: GroupSignal['candidates'] = [];
    if (worth.includes(g)) {
      for (const candidate of candidatesOf(g)) {
        if (candidate.mode === 'float') continue;
        throwIfAborted(inputs.signal);
        const { sqnrDb, bytes } = await candidateSignal(inputs, g, candidate, reference);
        const saving = shares[g.id]! * (gain.get(`${g.family}|${probeModeOf(candidate)}`) ?? 0);
        candidates.push({ candidate, sqnrDb, saving, bytes });
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
  return result;
}

/** Output SQNR (dB) of the model with only `group` quantized with `candidate`, and how many bytes that changes the model's size by. */
async function candidateSignal(
  inputs: SignalInputs,
  group: NodeGroup,
  candidate: Candidate,
  reference: Record<string, Float32Array>,
): Promise<{ sqnrDb: number; bytes: number }> {
  const assignment: Assignment = { [group.id]: candidate };
  const model = await quantizeVariant(
    inputs.floatBytes,
    inputs.name,
    compilePlan(inputs.groups, assignment, inputs.allPaths, inputs.calibration),
    inputs.bank,
    new Set(group.nodes),
  );
  const bytes = toBytes(model);
  return {
    sqnrDb: outputSqnr(reference, await runOnce(bytes, inputs.sample, inputs.threads, inputs.scoresOutput)),
    bytes: bytes.length - inputs.sizeBaseBytes,
  };
}
