import { encodeModel, PROTOBUF_LIMIT_BYTES, readModel, tensorBytes, type OnnxModel } from '@asrq/onnx';
import { describeQuantized, quantizedState, upcastFloat16, type CalibratorKind, type Range } from '@asrq/quantize';
import { PlannerError } from '../errors.js';
import { CtcModel } from '@asrq/runtime';
import { compilePlan, findGroups, modulePaths, type NodeGroup } from '../groups.js';
import { calibrateBank, type RangeBank } from '../variants.js';
import type { ResolvedSearch } from './resolve-settings.js';

/** The float model as every step needs it: bytes, graph, decision groups and calibrated ranges. */
export interface PreparedModel {
  floatBytes: Uint8Array;
  /**
   * Encoded size of the form every quantized model is built from: the float model's, or for a
   * float16 model its float32 form's (quantizing any part of it upcasts all of it, so each
   * candidate's size change is counted from there, once).
   */
  sizeBaseBytes: number;
  model: OnnxModel;
  /** The CTC scores output: SQNR is measured on it alone (an export may have other float outputs). */
  scoresOutput: string;
  groups: NodeGroup[];
  allPaths: string[];
  bank: RangeBank;
}

/**
 * Reads the float model, splits it into decision groups and calibrates, once per calibrator,
 * every tensor any static candidate could need.
 * @param s - Resolved settings.
 * @returns The prepared model.
 */
export async function prepareModel(s: ResolvedSearch): Promise<PreparedModel> {
  const model = await readModel(s.floatPath);
  const floatBytes = searchableBytes(model, s.floatPath);
  const floatModel = await CtcModel.load(s.floatPath, {
    session: { graphOptimizationLevel: 'disabled' },
    ...(s.modelOverrides ? { overrides: s.modelOverrides } : {}),
  });
  const scoresOutput = floatModel.info.scoresOutput;
  await floatModel.release();
  // Groups and ranges come from the float32 form of a float16 model: the form every trial quantizes
  // (so tensor names and weights match); the trials themselves start from the original bytes.
  const upcast = upcastFloat16(model);
  const sizeBaseBytes = upcast ? encodeModel(model).length : floatBytes.length;
  const groups = findGroups(model);
  const allPaths = modulePaths(model);
  const allStatic = compilePlan(
    groups,
    Object.fromEntries(groups.map((g) => [g.id, { mode: 'static', calibrator: 'minmax' } as const])),
    allPaths,
    s.calibration,
  );
  const bank: RangeBank = new Map<CalibratorKind, Map<string, Range>>();
  for (const kind of s.calibrators) {
    s.onProgress?.({ status: 'calibrating', calibrator: kind });
    const one = await calibrateBank(model, allStatic, s.calibrationData, [kind], s.calibration.n, s.signal);
    bank.set(kind, one.get(kind)!);
  }
  return { floatBytes, sizeBaseBytes, model, scoresOutput, groups, allPaths, bank };
}

/**
 * The float model as one self-contained protobuf (external data folded in), which every trial
 * copies; refuses inputs the search cannot start from.
 * @throws PlannerError `PLANNER_BAD_MODEL` for an already quantized model or one over 2 GB.
 */
function searchableBytes(model: OnnxModel, path: string): Uint8Array {
  const quantized = quantizedState(model);
  if (quantized)
    throw new PlannerError(
      'PLANNER_BAD_MODEL',
      `${path} is already quantized (${describeQuantized(quantized)}); the search starts from the float model. Give its float original, or bench it as it is.`,
      { location: path },
    );
  const bytes = (model.proto.graph?.initializer ?? []).reduce(
    (n, t) => n + (t.raw_data?.byteLength ?? tensorBytes(t)),
    0,
  );
  if (bytes > PROTOBUF_LIMIT_BYTES - PROTOBUF_LIMIT_BYTES / 16)
    throw new PlannerError(
      'PLANNER_BAD_MODEL',
      `${path} has ${(bytes / 1e9).toFixed(1)} GB of weights; the search builds every candidate as one protobuf, which is limited to 2 GB. Quantize it with a plan (quantizeFile with a plan, e.g. one of the recommended plans; CLI: asrq quantize --plan).`,
      { location: path },
    );
  return encodeModel(model);
}
