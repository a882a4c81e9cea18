import { throwIfAborted } from '@asrq/core';
import type { QuantPlan } from '@asrq/quantize';
import { appendSearchJournal, type JournalContents } from '../journal.js';
import type { AutoPlanResult } from '../search-types.js';
import { measureTrial, planKey, type TrialContext } from '../trial.js';
import type { Trial } from '../types.js';
import { runOnce } from '../variants.js';
import type { PreparedModel } from './prepare-model.js';
import type { ResolvedSearch } from './resolve-settings.js';

/**
 * What measuring a plan needs, the float model's reference outputs on the sample included.
 * @param s - Resolved settings.
 * @param prepared - The prepared float model.
 * @returns The trial context.
 */
export async function createTrialContext(s: ResolvedSearch, prepared: PreparedModel): Promise<TrialContext> {
  const { floatBytes, bank, scoresOutput } = prepared;
  return {
    floatPath: s.floatPath,
    floatBytes,
    bank,
    sample: s.sample,
    scoresOutput,
    reference: await runOnce(floatBytes, s.sample, s.threads, scoresOutput),
    eval: s.eval,
    threads: s.threads,
    workDir: s.workDir,
    timing: s.timing,
    ...(s.tokenizer ? { tokenizer: s.tokenizer } : {}),
    ...(s.modelOverrides ? { overrides: s.modelOverrides } : {}),
    ...(s.onProgress ? { onProgress: s.onProgress } : {}),
    ...(s.signal ? { signal: s.signal } : {}),
  };
}

/**
 * Whether a measured plan is within the budget: its model no larger than `maxSizeBytes` when
 * given, SQNR ≥ minSqnrDb (in wer mode a floor, 10 dB by
 * default: below it the scores moved so far that a WER on a small eval set cannot vouch for the
 * plan), and in wer mode also ΔWER ≤ maxWerIncrease. A plan whose output equals the float model's
 * (infinite SQNR) changes nothing and is never accepted.
 * @param s - Resolved settings.
 * @returns The acceptance test of a measured trial.
 */
export function acceptFor(s: ResolvedSearch): (t: Omit<Trial, 'accepted'>) => boolean {
  return (t) =>
    changesOutput(t) &&
    t.sqnrDb >= s.minSqnrDb &&
    withinSize(s, t) &&
    (s.sqnrOnly || (t.werDelta !== undefined && t.werDelta <= s.maxWerIncrease + 1e-9));
}

/**
 * Whether a measured model is within the size budget (always, without one).
 * @param s - Resolved settings.
 * @param t - A measured trial.
 * @returns False for a model file larger than `maxSizeBytes`.
 */
export function withinSize(s: Pick<ResolvedSearch, 'maxSizeBytes'>, t: Pick<Trial, 'sizeBytes'>): boolean {
  return s.maxSizeBytes === undefined || t.sizeBytes <= s.maxSizeBytes;
}

/**
 * Whether a plan's model computes anything differently from the float model: a plan whose output
 * SQNR is infinite quantizes nothing that reaches the output, so it cannot be the search's answer.
 * @param t - A measured trial.
 * @returns False for an output identical to the float model's.
 */
export function changesOutput(t: Pick<Trial, 'sqnrDb'>): boolean {
  return Number.isFinite(t.sqnrDb);
}

/**
 * Runs the trials of one search: reuses journaled ones, enforces the trial cap and the time
 * budget, journals every new measurement, and keeps the trials in the order they were tried.
 */
export class TrialRunner {
  /** Every trial of this search, in order (resumed ones included). */
  readonly trials: Trial[] = [];
  /** Why the search stopped (`done` unless a cap or the budget ended it). */
  stoppedBy: AutoPlanResult['stoppedBy'] = 'done';
  /** Seconds the last measured trial took: the budget check expects the next to take as long. */
  lastTrialSec = 0;
  private readonly done: Map<string, Trial>;
  private readonly accept: (t: Omit<Trial, 'accepted'>) => boolean;

  /**
   * @param s - Resolved settings.
   * @param ctx - What measuring a plan needs.
   * @param previous - The journal's trials, reused by plan key.
   */
  constructor(
    private readonly s: ResolvedSearch,
    readonly ctx: TrialContext,
    previous: JournalContents,
  ) {
    this.done = new Map(previous.trials.map((t) => [t.key, t]));
    this.accept = acceptFor(s);
  }

  /**
   * Measures a plan (or takes it from the journal).
   * @param plan - The plan.
   * @param k - Back-off moves it applies.
   * @param summary - Description.
   * @param sqnrOnly - Measure SQNR only (no benchmark).
   * @param refinement - A calibrator-refinement trial: not counted against maxTrials, and running out of time leaves `stoppedBy` alone.
   * @returns The trial, or undefined when the trial cap or the budget stops the search.
   */
  async tryPlan(
    plan: QuantPlan,
    k: number,
    summary: string,
    sqnrOnly: boolean,
    refinement = false,
  ): Promise<Trial | undefined> {
    const { s } = this;
    const key = planKey(plan);
    const old = this.done.get(key);
    if (old && (sqnrOnly || old.wer !== undefined)) {
      s.onProgress?.({ status: 'trial', index: this.trials.length, k, summary, resumed: true });
      // Decided again, and placed in this search's sequence: a resumed search may have another size
      // budget, so the same plan can sit at another k. Journals of older versions lack quantizedNodes.
      const reused = { ...old, k, summary, accepted: (old.quantizedNodes ?? 1) > 0 && this.accept(old) };
      this.trials.push(reused);
      return reused;
    }
    throwIfAborted(s.signal);
    if (!refinement && this.trials.length >= s.maxTrials) {
      this.stoppedBy = 'trials';
      return undefined;
    }
    if (s.elapsed() + this.lastTrialSec > s.budgetSec) {
      // Running out of time while refining leaves the search's outcome as it was.
      if (!refinement) this.stoppedBy = 'budget';
      return undefined;
    }
    s.onProgress?.({ status: 'trial', index: this.trials.length, k, summary, resumed: false });
    const measured = await measureTrial(plan, k, summary, this.ctx, { sqnrOnly, accept: this.accept });
    const trial = refinement ? { ...measured, refinement: true as const } : measured;
    this.lastTrialSec = trial.seconds;
    await appendSearchJournal(s.journal, { kind: 'trial', trial });
    this.done.set(key, trial);
    this.trials.push(trial);
    s.onProgress?.({ status: 'trial-done', trial });
    return trial;
  }
}
