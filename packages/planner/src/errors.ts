import { AsrqError, type ErrorCodeTable } from '@asrq/core';

/**
 * The error codes of `@asrq/planner`: for each, the CLI exit category (`usage` 2, `input` 3, `model` 4)
 * and a one-line summary. The CLI's exit codes and the docs' error table are generated from it.
 */
export const plannerErrorCodes = {
  PLANNER_BAD_JOURNAL: {
    exit: 'input',
    summary: "The search's work-directory journal has a broken line before its last one.",
  },
  PLANNER_BAD_MODEL: {
    exit: 'model',
    summary: 'The model cannot start a search (already quantized, or over 2 GB); says what to do instead.',
  },
  PLANNER_BAD_OPTION: { exit: 'usage', summary: 'A search option is out of range; names it.' },
  PLANNER_NO_PLAN: { exit: 'input', summary: 'No quantized plan met the budget before the search ended.' },
  PLANNER_PLAN_CONFLICT: { exit: 'input', summary: 'A group of nodes cannot be selected by a rule on its own.' },
  PLANNER_SIZE_UNREACHABLE: {
    exit: 'input',
    summary: 'Not even the smallest plan fits the size budget (--max-size); says how small the search can go.',
  },
  PLANNER_RESUME_MISMATCH: { exit: 'usage', summary: 'The work directory holds a search with other settings.' },
  PLANNER_WORKDIR_EXISTS: {
    exit: 'usage',
    summary:
      'The work directory holds an earlier search, which a new one would replace (resume it or force a new one).',
  },
  PLANNER_WORKDIR_LOCKED: { exit: 'input', summary: 'Another search is running in the same work directory.' },
} as const satisfies ErrorCodeTable;

/** A code of {@link plannerErrorCodes}. */
export type PlannerErrorCode = keyof typeof plannerErrorCodes;

const marker = Symbol.for('asrq.error.PlannerError');

/**
 * Errors of the plan search. `code` is one of {@link plannerErrorCodes}.
 *
 * @example
 * ```ts
 * import { PlannerError } from '@asrq/planner';
 * const error = new PlannerError('PLANNER_NO_PLAN', 'No quantized plan met the budget.');
 * console.log(PlannerError.isInstance(error), error.name, error.code);
 * ```
 */
export class PlannerError extends AsrqError<keyof typeof plannerErrorCodes> {
  // biome-ignore lint/correctness/noUnusedPrivateClassMembers: isInstance reads it through the symbol (also across copies of the package)
  private readonly [marker] = true;
  override readonly name: string = 'PlannerError';

  /**
   * True for a PlannerError, also across duplicated copies of this package.
   * @param value - Anything caught.
   * @returns Whether `value` is a PlannerError.
   */
  static override isInstance(value: unknown): value is PlannerError {
    return AsrqError.hasMarker(value, marker);
  }
}
