import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { PlannerError } from '../errors.js';
import { assertSameSearch, readSearchJournal, startSearchJournal, type JournalContents } from '../journal.js';
import type { ResolvedSearch } from './resolve-settings.js';

/**
 * Opens the search journal: with `resume`, reads it and checks it belongs to a search with the
 * same settings; otherwise (or when there is none yet) starts a fresh one, after removing trial
 * models and benchmark journals an earlier search left in the work directory. A journal that
 * holds measurements (signals or trials) is replaced only with `force`.
 * @param s - Resolved settings.
 * @returns What the journal already holds (nothing for a fresh search).
 * @throws PlannerError `PLANNER_RESUME_MISMATCH` when the journal was written with other settings,
 *   `PLANNER_WORKDIR_EXISTS` when a new search would throw away an earlier one's measurements.
 */
export async function openSearchJournal(s: ResolvedSearch): Promise<JournalContents> {
  if (!s.resume && !s.force) await refuseEarlierSearch(s);
  const previous: JournalContents = s.resume ? await readSearchJournal(s.journal) : { trials: [] };
  if (previous.settings) {
    assertSameSearch(s.journal, previous.settings, s.journalSettings);
    return previous;
  }
  // A new search must not pick up trial models or benchmark journals of an earlier one.
  for (const derived of ['trials', 'finalists', 'models'])
    await rm(join(s.workDir, derived), { recursive: true, force: true });
  await startSearchJournal(s.journal, s.journalSettings);
  return previous;
}

/** Throws `PLANNER_WORKDIR_EXISTS` when the journal holds measurements a new search would throw away. */
async function refuseEarlierSearch(s: ResolvedSearch): Promise<void> {
  const earlier = await readSearchJournal(s.journal);
  if (earlier.signals === undefined && earlier.trials.length === 0) return;
  throw new PlannerError(
    'PLANNER_WORKDIR_EXISTS',
    `${s.workDir} holds an earlier search (${earlier.trials.length} trial(s) in ${s.journal}), which a new search would replace. ` +
      'Pass `resume` to continue it, `force` to start over, or choose another `workDir`.',
    { location: s.journal, argument: ['resume', 'force', 'workDir'] },
  );
}
