import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { assertSameSearch, readSearchJournal, startSearchJournal, type JournalContents } from '../journal.js';
import type { ResolvedSearch } from './resolve-settings.js';

/**
 * Opens the search journal: with `resume`, reads it and checks it belongs to a search with the
 * same settings; otherwise (or when there is none yet) starts a fresh one, after removing trial
 * models and benchmark journals an earlier search left in the work directory.
 * @param s - Resolved settings.
 * @returns What the journal already holds (nothing for a fresh search).
 * @throws PlannerError `PLANNER_RESUME_MISMATCH` when the journal was written with other settings.
 */
export async function openSearchJournal(s: ResolvedSearch): Promise<JournalContents> {
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
