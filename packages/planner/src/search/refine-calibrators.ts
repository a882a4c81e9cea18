import type { QuantPlan } from '@asrq/quantize';
import { planKey } from '../trial.js';
import type { Trial } from '../types.js';
import { withCalibrator } from './describe.js';
import type { ResolvedSearch } from './resolve-settings.js';
import type { TrialRunner } from './trial-runner.js';

/**
 * The calibrator changes accuracy, not speed (the graph is the same): once the structure is
 * chosen, tries the chosen plan with each other calibrator on all its static rules and keeps the
 * accepted one with the lowest ΔWER. These refinement trials do not count against maxTrials; the
 * budget running out ends the refinement early.
 * @param s - Resolved settings.
 * @param runner - Runs and journals the trials.
 * @param chosen - The plan chosen so far.
 * @returns The chosen plan with its best calibrator.
 */
export async function refineCalibrators(s: ResolvedSearch, runner: TrialRunner, chosen: Trial): Promise<Trial> {
  if (!chosen.plan.rules.some((r) => r.mode === 'static')) return chosen;
  let bestSoFar = chosen;
  for (const calibrator of s.calibrators) {
    const plan: QuantPlan = {
      ...chosen.plan,
      rules: chosen.plan.rules.map((r) => (r.mode === 'static' ? { ...r, calibrator } : r)),
    };
    if (planKey(plan) === chosen.key) continue;
    const t = await runner.tryPlan(plan, chosen.k, withCalibrator(chosen.summary, calibrator), false, true);
    if (!t) break;
    if (t.accepted && (t.werDelta ?? Infinity) < (bestSoFar.werDelta ?? Infinity)) bestSoFar = t;
  }
  return bestSoFar;
}
