import { formatBytes } from '@asrq/onnx';
import { compilePlan, type NodeGroup } from '../groups.js';
import { PlannerError } from '../errors.js';
import type { Trial } from '../types.js';
import { describeAssignment } from './describe.js';
import type { ResolvedSearch } from './resolve-settings.js';
import type { Ranking } from './signals-step.js';
import { acceptFor, changesOutput, type TrialRunner, withinSize } from './trial-runner.js';

/** The model structure plans are compiled against. */
export interface PlanSpace {
  groups: NodeGroup[];
  allPaths: string[];
  ranking: Ranking;
}

/**
 * Bisection over k, the number of back-off moves: plan 0 is the most aggressive, plan K (all
 * float) is accepted by definition; under a size budget that keeps groups quantized, plan K is
 * not float and is tried like any other. Each probe is a trial (SQNR only in sqnr mode).
 * @param s - Resolved settings.
 * @param runner - Runs and journals the trials.
 * @param space - Groups, module paths and the ranking.
 * @returns The accepted trial with the fewest moves.
 * @throws PlannerError `PLANNER_NO_PLAN` when no quantized plan was accepted before the search stopped.
 */
export async function bisectMoves(s: ResolvedSearch, runner: TrialRunner, space: PlanSpace): Promise<Trial> {
  const { groups, allPaths, ranking } = space;
  let lo = -1;
  let hi = ranking.endsFloat ? ranking.moves.length : ranking.moves.length + 1;
  let best: Trial | undefined;
  let probe: number | undefined = 0;
  while (probe !== undefined) {
    const assignment = ranking.assignmentAt(probe);
    const t = await runner.tryPlan(
      compilePlan(groups, assignment, allPaths, s.calibration),
      probe,
      describeAssignment(groups, assignment),
      s.sqnrOnly,
    );
    if (!t) break;
    if (t.accepted) {
      hi = probe;
      best = t;
    } else if (tooLargeOnly(s, t)) {
      // Every later plan is larger still: the answer, if any, lies before this one.
      hi = probe;
    } else lo = probe;
    probe = hi - lo > 1 ? Math.floor((lo + hi) / 2) : undefined;
  }
  if (best === undefined) {
    const tooLarge = runner.trials.some((t) => !withinSize(s, t));
    const unchanged = runner.trials.filter((t) => !changesOutput(t)).length;
    throw new PlannerError(
      'PLANNER_NO_PLAN',
      `No quantized plan of ${s.floatPath} met the budget (ΔWER ≤ ${s.maxWerIncrease}${s.sqnrOnly ? `, SQNR ≥ ${s.minSqnrDb} dB` : ''}${s.maxSizeBytes === undefined ? '' : `, size ≤ ${formatBytes(s.maxSizeBytes)}`}) in ${runner.trials.length} trials (${runner.stoppedBy})` +
        (unchanged > 0
          ? `; ${unchanged} of them left the output unchanged (nothing quantized that matters), which is no answer`
          : '') +
        `. Raise \`maxWerIncrease\` or \`budgetSec\`${s.sqnrOnly ? ', lower `minSqnrDb`' : ''}${tooLarge ? ', raise `maxSizeBytes` (some plans came out over it)' : ''}, or use a larger eval set; the journal in ${s.workDir} lets \`resume\` continue.`,
      {
        location: s.workDir,
        argument: [
          'maxWerIncrease',
          'budgetSec',
          ...(s.sqnrOnly ? ['minSqnrDb'] : []),
          ...(tooLarge ? ['maxSizeBytes'] : []),
          'resume',
        ],
      },
    );
  }
  return best;
}

/** A trial refused only for its size: its SQNR and WER were within the budget. */
function tooLargeOnly(s: ResolvedSearch, t: Trial): boolean {
  if (withinSize(s, t)) return false;
  const { maxSizeBytes: _, ...withoutSize } = s;
  return acceptFor(withoutSize)(t) && (t.quantizedNodes ?? 1) > 0;
}
