import { errorCode } from '@asrq/core';
import { lockDirectory } from '@asrq/core/node';
import { PlannerError } from './errors.js';
import type { AutoPlanResult, SearchPlanOptions } from './search-types.js';
import { bisectMoves } from './search/bisect.js';
import { openSearchJournal } from './search/open-journal.js';
import { confirmSqnrPlan, pickFinalist, type PickedPlan } from './search/pick-best.js';
import { prepareModel } from './search/prepare-model.js';
import { refineCalibrators } from './search/refine-calibrators.js';
import { resolveSearchSettings, type ResolvedSearch } from './search/resolve-settings.js';
import { measureOrResumeSignals, rankMoves } from './search/signals-step.js';
import { createTrialContext, TrialRunner } from './search/trial-runner.js';
import { searchResult, writeOutputs } from './search/write-outputs.js';

/**
 * Searches for the fastest quantization plan whose WER increase over the float model stays
 * within `maxWerIncrease` on the eval set. Cheap signals first (per-group time share from the
 * onnxruntime profiler, measured family speed gains, per-group output SQNR), which rank the
 * back-off moves from the most aggressive plan towards float; then bisection over the number of
 * moves, each plan confirmed with real WER and RTF (interleaved with the float model, 1 thread).
 * Every trial is journaled in `workDir`, so `resume` skips what is done.
 *
 * @param modelPath - Float ONNX model.
 * @param options - Calibration feeds, sample, eval corpus, budget, work directory; see {@link SearchPlanOptions}.
 * @returns The best accepted plan and every trial.
 * The work directory is locked for the search (`search.lock`), like bench's `--out`; a lock left by a killed process is taken over with a `stale-lock` progress note.
 * @throws PlannerError `PLANNER_BAD_OPTION`, `PLANNER_RESUME_MISMATCH`, `PLANNER_WORKDIR_EXISTS` (an earlier search's trials, without `resume` or `force`), `PLANNER_WORKDIR_LOCKED` (another search runs there), `PLANNER_NO_PLAN`; AsrqError `ABORTED`.
 * @example
 * ```ts
 * const { calibration, sample } = await calibrationFeeds('model.onnx', 'dev', { n: 10, seed: 0 });
 * const result = await searchPlan('model.onnx', { calibration: () => calibration, sample, eval: { data: 'dev', n: 100 }, maxWerIncrease: 0.3, metric: 'wer', budgetSec: 1200, workDir: 'auto', output: 'model.int8.onnx' });
 * await writeAutoPlanReports('auto', result);
 * ```
 */
export async function searchPlan(modelPath: string, options: SearchPlanOptions): Promise<AutoPlanResult> {
  const s = await resolveSearchSettings(modelPath, options);
  // Two searches in one work directory would mix their journals and trial models.
  const lock = await lockDirectory(s.workDir, {
    name: 'search.lock',
    code: errorCode(PlannerError, 'PLANNER_WORKDIR_LOCKED'),
    what: 'work directory (or output)',
    onStale: (note) =>
      s.onProgress?.({
        status: 'stale-lock',
        path: note.path,
        ...(note.previous ? { pid: note.previous.pid, startedAt: note.previous.startedAt } : {}),
      }),
  });
  try {
    return await searchLocked(s);
  } finally {
    await lock.release();
  }
}

/** {@link searchPlan} once the work directory is locked. */
async function searchLocked(s: ResolvedSearch): Promise<AutoPlanResult> {
  const previous = await openSearchJournal(s);
  const prepared = await prepareModel(s);
  const signals = await measureOrResumeSignals(s, prepared, previous);
  const ranking = rankMoves(s, signals, {
    groupCount: prepared.groups.length,
    floatBytes: prepared.sizeBaseBytes,
  });
  const runner = new TrialRunner(s, await createTrialContext(s, prepared), previous);
  const accepted = await bisectMoves(s, runner, { groups: prepared.groups, allPaths: prepared.allPaths, ranking });
  let picked: PickedPlan;
  if (s.sqnrOnly) picked = { best: await confirmSqnrPlan(s, runner, accepted, previous) };
  else {
    const finalist = await pickFinalist(s, runner);
    picked = { ...finalist, best: await refineCalibrators(s, runner, finalist.best) };
  }
  const written = await writeOutputs(s, picked.best);
  s.onProgress?.({ status: 'done', stoppedBy: runner.stoppedBy });
  return searchResult(s, { picked, written, runner, signals, ranking });
}
