import { readFile } from 'node:fs/promises';
import { decodeModel, type OnnxModel } from '@asrq/onnx';
import type { CalibratorKind, Range } from '@asrq/quantize';
import { CtcModel } from '@asrq/runtime';
import { compilePlan, findGroups, modulePaths, type NodeGroup } from '../groups.js';
import { calibrateBank, type RangeBank } from '../variants.js';
import type { ResolvedSearch } from './resolve-settings.js';

/** The float model as every step needs it: bytes, graph, decision groups and calibrated ranges. */
export interface PreparedModel {
  floatBytes: Uint8Array;
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
  const floatBytes = new Uint8Array(await readFile(s.floatPath));
  const floatModel = await CtcModel.load(s.floatPath, {
    session: { graphOptimizationLevel: 'disabled' },
    ...(s.modelOverrides ? { overrides: s.modelOverrides } : {}),
  });
  const scoresOutput = floatModel.info.scoresOutput;
  await floatModel.release();
  const model = decodeModel(floatBytes, { name: s.floatPath });
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
  return { floatBytes, model, scoresOutput, groups, allPaths, bank };
}
