import { appendSearchJournal, type JournalContents } from '../journal.js';
import { compareFinalists, measureTrial } from '../trial.js';
import type { FinalistSpeed } from '../search-types.js';
import type { Trial } from '../types.js';
import type { ResolvedSearch } from './resolve-settings.js';
import { acceptFor, type TrialRunner } from './trial-runner.js';

/** The chosen plan and, when the speed-tied ones were measured together, their joint-run speeds. */
export interface PickedPlan {
  best: Trial;
  finalists?: FinalistSpeed[];
}

/**
 * sqnr mode: the accepted plan is measured once (WER and RTF) for the report, or that
 * measurement is taken from the journal on resume. It replaces the SQNR-only trial.
 * @param s - Resolved settings.
 * @param runner - The search's trials.
 * @param accepted - The accepted SQNR-only trial.
 * @param previous - What the journal held when the search started.
 * @returns The confirmed trial.
 */
export async function confirmSqnrPlan(
  s: ResolvedSearch,
  runner: TrialRunner,
  accepted: Trial,
  previous: JournalContents,
): Promise<Trial> {
  // sqnr mode: the search's own acceptance test (SQNR floor and size), now with the WER measured for the report.
  const accept = acceptFor(s);
  // Reuse the journaled confirmation on --resume instead of measuring (and journaling) it again.
  const journaled = previous.trials.filter((t) => t.key === accepted.key && t.wer !== undefined).at(-1);
  const confirmed = journaled
    ? { ...journaled, k: accepted.k, summary: accepted.summary, accepted: accept(journaled) }
    : await measureTrial(accepted.plan, accepted.k, accepted.summary, runner.ctx, { sqnrOnly: false, accept });
  if (!journaled) await appendSearchJournal(s.journal, { kind: 'trial', trial: confirmed });
  runner.trials[runner.trials.indexOf(accepted)] = confirmed;
  return confirmed;
}

/** Lowest ΔWER first, then the higher speed. */
function lowestDelta(trials: readonly Trial[], speedOf: (t: Trial) => number): Trial {
  return trials.reduce((a, b) =>
    (b.werDelta ?? 0) < (a.werDelta ?? 0) || ((b.werDelta ?? 0) === (a.werDelta ?? 0) && speedOf(b) > speedOf(a))
      ? b
      : a,
  );
}

/**
 * wer mode: of the accepted trials, those within `speedTolerance` of the fastest measured
 * speedup are equally fast as far as one run can tell. When the budget allows, they are
 * measured together in one interleaved run and the fastest wins unless that run cannot separate
 * them either (within `finalistTolerance`); among the tied, the lowest ΔWER wins.
 * @param s - Resolved settings.
 * @param runner - The search's trials.
 * @returns The chosen trial and the finalists' joint-run speeds when they were measured.
 */
export async function pickFinalist(s: ResolvedSearch, runner: TrialRunner): Promise<PickedPlan> {
  const { trials } = runner;
  const accepted = trials.filter((t) => t.accepted);
  const fastest = Math.max(...accepted.map((t) => t.speedup ?? 0));
  const tied = accepted.filter((t) => (t.speedup ?? 0) >= fastest * (1 - s.speedTolerance));
  // The joint run benchmarks float + every finalist 3 times per utterance, a trial's bench 2 runs.
  const trialSec = Math.max(runner.lastTrialSec, ...trials.map((t) => t.seconds));
  if (!(tied.length > 1 && s.elapsed() + (trialSec * (tied.length + 1) * 3) / 2 <= s.budgetSec)) {
    return { best: lowestDelta(tied, (t) => t.speedup ?? 0) };
  }
  // Separate runs cannot rank plans this close: measure the finalists together.
  s.onProgress?.({ status: 'finalists', count: tied.length });
  const finalists = await compareFinalists(tied, runner.ctx);
  const speedOf = new Map(finalists.map((f) => [f.key, f.speedup]));
  const top = Math.max(...finalists.map((f) => f.speedup));
  const close = tied.filter((t) => speedOf.get(t.key)! >= top * (1 - s.finalistTolerance));
  return { best: lowestDelta(close, (t) => speedOf.get(t.key)!), finalists };
}
