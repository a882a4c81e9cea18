import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { writeFileAtomic } from '@asrq/core/node';
import { copyModelCompanions } from '@asrq/runtime';
import { paretoFront } from '../ranking.js';
import type { AutoPlanResult } from '../search-types.js';
import type { Trial } from '../types.js';
import type { PickedPlan } from './pick-best.js';
import type { ResolvedSearch } from './resolve-settings.js';
import type { Ranking, SearchSignals } from './signals-step.js';
import type { TrialRunner } from './trial-runner.js';

/**
 * Copies the best model to `output` (atomically), with the float model's tokenizer and front-end
 * files when `output` is in another folder (runtime's `copyModelCompanions`), and writes its plan
 * beside it (or to `planPath`).
 * @param s - Resolved settings.
 * @param best - The chosen trial.
 * @returns Where the model and the plan are.
 */
export async function writeOutputs(s: ResolvedSearch, best: Trial): Promise<{ modelPath: string; planPath?: string }> {
  let modelPath = best.modelPath;
  let planPath: string | undefined;
  if (s.output) {
    modelPath = resolve(s.output);
    await writeFileAtomic(modelPath, await readFile(best.modelPath));
    await copyModelCompanions(s.floatPath, modelPath, s.tokenizer ? { tokenizer: s.tokenizer } : {});
  }
  if (s.output || s.planPath) {
    planPath = resolve(s.planPath ?? `${s.output}.plan.json`);
    await writeFileAtomic(
      planPath,
      `${JSON.stringify({ ...best.plan, description: `Found by asrq quantize --auto: ${best.summary}` }, null, 2)}\n`,
    );
  }
  return { modelPath, ...(planPath ? { planPath } : {}) };
}

/** What the search result is assembled from. */
export interface SearchOutcome {
  picked: PickedPlan;
  written: { modelPath: string; planPath?: string };
  runner: TrialRunner;
  signals: SearchSignals;
  ranking: Ranking;
}

/**
 * Assembles the search result (reads the clock once more for `elapsedSec`).
 * @param s - Resolved settings.
 * @param outcome - The chosen plan, written files, trials, signals and ranking.
 * @returns The result {@link searchPlan} returns.
 */
export function searchResult(s: ResolvedSearch, outcome: SearchOutcome): AutoPlanResult {
  const {
    picked: { best, finalists },
    written,
    runner,
    signals,
    ranking,
  } = outcome;
  const measured = runner.trials.filter((t) => t.wer !== undefined && t.rtfEncoder !== undefined) as Array<
    Trial & { wer: number; rtfEncoder: number }
  >;
  return {
    plan: best.plan,
    modelPath: written.modelPath,
    ...(written.planPath ? { planPath: written.planPath } : {}),
    float: {
      ...(best.floatWer === undefined ? {} : { wer: best.floatWer }),
      ...(best.floatRtfEncoder === undefined ? {} : { rtfEncoder: best.floatRtfEncoder }),
    },
    best,
    trials: runner.trials,
    pareto: paretoFront(measured),
    ...(finalists ? { finalists } : {}),
    stoppedBy: runner.stoppedBy,
    signals: signals.groups,
    moves: ranking.moves,
    settings: {
      metric: s.metric,
      maxWerIncrease: s.maxWerIncrease,
      minSqnrDb: s.minSqnrDb,
      eval: s.eval,
      threads: s.threads,
      budgetSec: s.budgetSec,
      ...(s.maxSizeBytes === undefined ? {} : { maxSizeBytes: s.maxSizeBytes }),
    },
    elapsedSec: s.elapsed(),
  };
}
