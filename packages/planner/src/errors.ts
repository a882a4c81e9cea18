import { AsrqError } from '@asrq/core';

/**
 * Errors of the plan search. Codes: `PLANNER_BAD_OPTION` (an option is out of range; names it),
 * `PLANNER_RESUME_MISMATCH` (the work directory holds a search with other settings),
 * `PLANNER_PLAN_CONFLICT` (a group of nodes cannot be selected by a rule on its own),
 * `PLANNER_NO_PLAN` (no quantized plan met the budget before the search ended).
 *
 * @example
 * ```ts
 * if (PlannerError.isInstance(e) && e.code === 'PLANNER_NO_PLAN') process.exitCode = 3;
 * ```
 */
export class PlannerError extends AsrqError {}
