import { mkdir, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { PLAN_CALIBRATORS, type CalibrationData, type CalibratorKind, type Feeds } from '@asrq/quantize';
import type { ModelInfoOverrides } from '@asrq/runtime';
import { PlannerError } from '../errors.js';
import type { SearchSettings } from '../journal.js';
import type { SearchPlanOptions, SearchProgress } from '../search-types.js';
import { realPlannerTiming, type PlannerTiming } from '../timing.js';
import { PLANNER_DEFAULTS } from '../defaults.js';

/** The eval corpus settings every trial benchmark uses. */
export interface EvalSettings {
  data: string;
  n: number;
  warmup: number;
  seed?: number;
}

/** {@link SearchPlanOptions} checked, with every default filled in and every path absolute: what each step of the search reads. */
export interface ResolvedSearch {
  floatPath: string;
  workDir: string;
  /** The search journal, `<workDir>/search.jsonl`. */
  journal: string;
  metric: 'wer' | 'sqnr';
  /** `metric === 'sqnr'`: plans are accepted by output SQNR alone. */
  sqnrOnly: boolean;
  maxWerIncrease: number;
  budgetSec: number;
  minSqnrDb: number;
  pruneSqnrDb: number;
  minTimeShare: number;
  maxTrials: number;
  speedTolerance: number;
  /** In a joint run with repeats, plans within this fraction are still indistinguishable. */
  finalistTolerance: number;
  threads: number;
  /** Size budget (bytes), when there is one. */
  maxSizeBytes?: number;
  /** Block sizes of the 4-bit weight candidates (empty without a size budget). */
  int4Blocks: number[];
  calibrators: CalibratorKind[];
  calibration: { n: number; seed: number };
  eval: EvalSettings;
  tokenizer?: string;
  modelOverrides?: ModelInfoOverrides;
  calibrationData: () => CalibrationData;
  sample: Feeds;
  output?: string;
  planPath?: string;
  resume: boolean;
  /** Replace an earlier search's journal (see {@link SearchPlanOptions.force}). */
  force: boolean;
  timing: PlannerTiming;
  /** Seconds since the search started, on `timing`'s clock. */
  elapsed: () => number;
  /** What the journal header records; a resume requires equal settings. */
  journalSettings: SearchSettings;
  onProgress?: (e: SearchProgress) => void;
  signal?: AbortSignal;
}

function check(options: SearchPlanOptions): void {
  const bad = (what: string, message: string): never => {
    throw new PlannerError('PLANNER_BAD_OPTION', `${what} ${message}`, { location: what });
  };
  if (!(options.maxWerIncrease >= 0))
    bad('maxWerIncrease', `must be 0 or more WER points (e.g. 0.3), got ${options.maxWerIncrease}.`);
  if (!(options.budgetSec > 0))
    bad('budgetSec', `must be a positive number of seconds (e.g. 1200 for --budget 20m), got ${options.budgetSec}.`);
  if (!Number.isInteger(options.eval.n) || options.eval.n < 1)
    bad('eval.n', `must be a positive integer, got ${options.eval.n}.`);
  if (options.maxSizeBytes !== undefined && !(Number.isFinite(options.maxSizeBytes) && options.maxSizeBytes > 0))
    bad(
      'maxSizeBytes',
      `must be a positive number of bytes (e.g. 200e6 for --max-size 200MB), got ${options.maxSizeBytes}.`,
    );
  if (options.metric !== 'wer' && options.metric !== 'sqnr')
    bad('metric', `must be "wer" or "sqnr", got ${String(options.metric)}.`);
}

/** The settings both the search and its journal header read, defaults filled in. */
function commonSettings(options: SearchPlanOptions) {
  // sqnr mode accepts by SQNR alone; wer mode keeps a floor against broken plans.
  const minSqnrDb =
    options.minSqnrDb ??
    (options.metric === 'sqnr' ? PLANNER_DEFAULTS.minSqnrDbBySqnr : PLANNER_DEFAULTS.minSqnrDbByWer);
  return {
    threads: options.threads ?? PLANNER_DEFAULTS.threads,
    int4Blocks: options.maxSizeBytes === undefined ? [] : [...PLANNER_DEFAULTS.int4BlockSizes],
    calibrators: options.calibrators ?? [...PLAN_CALIBRATORS],
    calibration: {
      n: options.calibrationN ?? PLANNER_DEFAULTS.calibrationN,
      seed: options.calibrationSeed ?? PLANNER_DEFAULTS.calibrationSeed,
    },
    minSqnrDb,
    pruneSqnrDb: options.metric === 'sqnr' ? minSqnrDb : (options.pruneSqnrDb ?? PLANNER_DEFAULTS.pruneSqnrDb),
    minTimeShare: options.minTimeShare ?? PLANNER_DEFAULTS.minTimeShare,
    eval: {
      data: resolve(options.eval.data),
      n: options.eval.n,
      warmup: options.eval.warmup ?? PLANNER_DEFAULTS.evalWarmup,
      ...(options.eval.seed === undefined ? {} : { seed: options.eval.seed }),
    },
  };
}

/** What the journal header records (the model file's size and time included): a resume requires equal settings. */
async function journalSettingsFor(
  floatPath: string,
  options: SearchPlanOptions,
  common: ReturnType<typeof commonSettings>,
): Promise<SearchSettings> {
  const floatStat = await stat(floatPath);
  return {
    model: floatPath,
    modelBytes: floatStat.size,
    modelMtimeMs: Math.floor(floatStat.mtimeMs),
    eval: common.eval,
    tokenizer: options.tokenizer ?? null,
    maxWerIncrease: options.maxWerIncrease,
    metric: options.metric,
    minSqnrDb: common.minSqnrDb,
    pruneSqnrDb: common.pruneSqnrDb,
    minTimeShare: common.minTimeShare,
    calibrators: common.calibrators,
    calibration: common.calibration,
    threads: common.threads,
    modelOverrides: options.modelOverrides ?? null,
    // Only when set, so the journals of searches without a size budget still resume.
    ...(options.maxSizeBytes === undefined
      ? {}
      : { maxSizeBytes: options.maxSizeBytes, int4Blocks: common.int4Blocks }),
  };
}

/**
 * Checks the options, starts the clock, creates the work directory and fills in every default.
 * @param modelPath - Float ONNX model.
 * @param options - The caller's options.
 * @returns The settings every later step reads.
 * @throws PlannerError `PLANNER_BAD_OPTION` naming the option out of range.
 */
export async function resolveSearchSettings(modelPath: string, options: SearchPlanOptions): Promise<ResolvedSearch> {
  check(options);
  const timing = options.timing ?? realPlannerTiming;
  const started = timing.now();
  const floatPath = resolve(modelPath);
  const workDir = resolve(options.workDir);
  await mkdir(workDir, { recursive: true });
  const common = commonSettings(options);
  const journalSettings = await journalSettingsFor(floatPath, options, common);
  return {
    ...common,
    floatPath,
    workDir,
    journal: join(workDir, 'search.jsonl'),
    metric: options.metric,
    sqnrOnly: options.metric === 'sqnr',
    maxWerIncrease: options.maxWerIncrease,
    budgetSec: options.budgetSec,
    maxTrials: options.maxTrials ?? PLANNER_DEFAULTS.maxTrials,
    speedTolerance: options.speedTolerance ?? PLANNER_DEFAULTS.speedTolerance,
    finalistTolerance: PLANNER_DEFAULTS.finalistTolerance,
    calibrationData: options.calibration,
    sample: options.sample,
    resume: options.resume ?? false,
    force: options.force ?? false,
    timing,
    elapsed: () => (timing.now() - started) / 1000,
    journalSettings,
    ...(options.maxSizeBytes === undefined ? {} : { maxSizeBytes: options.maxSizeBytes }),
    ...(options.tokenizer ? { tokenizer: options.tokenizer } : {}),
    ...(options.modelOverrides ? { modelOverrides: options.modelOverrides } : {}),
    ...(options.output ? { output: options.output } : {}),
    ...(options.planPath ? { planPath: options.planPath } : {}),
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  };
}
