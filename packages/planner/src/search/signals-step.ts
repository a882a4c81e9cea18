import { appendSearchJournal, type JournalContents } from '../journal.js';
import { rankBackoff } from '../ranking.js';
import { measureSignals } from '../signals.js';
import type { PreparedModel } from './prepare-model.js';
import type { ResolvedSearch } from './resolve-settings.js';

/** The cheap signals as the journal stores them. */
export type SearchSignals = NonNullable<JournalContents['signals']>;

/** The back-off sequence from the most aggressive plan (k = 0) to float (k = moves.length). */
export type Ranking = ReturnType<typeof rankBackoff>;

/**
 * The cheap signals of the float model (time shares, family speed gains, per-group SQNR): taken
 * from the journal on resume, else measured and journaled.
 * @param s - Resolved settings.
 * @param prepared - The prepared float model.
 * @param previous - What the journal already holds.
 * @returns The signals.
 */
export async function measureOrResumeSignals(
  s: ResolvedSearch,
  prepared: PreparedModel,
  previous: JournalContents,
): Promise<SearchSignals> {
  if (previous.signals) return previous.signals;
  const { floatBytes, sizeBaseBytes, scoresOutput, model, groups, allPaths, bank } = prepared;
  const signals = await measureSignals({
    floatBytes,
    sizeBaseBytes,
    scoresOutput,
    model,
    name: s.floatPath,
    groups,
    allPaths,
    bank,
    sample: s.sample,
    calibration: s.calibration,
    calibrators: s.calibrators,
    threads: s.threads,
    minTimeShare: s.minTimeShare,
    int4Blocks: s.int4Blocks,
    dir: s.workDir,
    timing: s.timing,
    ...(s.onProgress ? { onProgress: s.onProgress } : {}),
    ...(s.signal ? { signal: s.signal } : {}),
  });
  await appendSearchJournal(s.journal, { kind: 'signals', signals });
  return signals;
}

/**
 * Ranks the back-off moves by the signals: candidates below `pruneSqnrDb` are never tried; with a
 * size budget every plan of the sequence is predicted to fit it.
 * @param s - Resolved settings.
 * @param signals - The cheap signals.
 * @param model - Number of decision groups (for the progress event) and the encoded size candidates' size changes count from.
 * @returns The ranking.
 * @throws PlannerError `PLANNER_SIZE_UNREACHABLE` when not even the smallest plan fits the size budget.
 */
export function rankMoves(
  s: ResolvedSearch,
  signals: SearchSignals,
  model: { groupCount: number; floatBytes: number },
): Ranking {
  const ranking = rankBackoff(signals.groups, {
    minSqnrDb: s.pruneSqnrDb,
    minSaving: 1e-4,
    ...(s.maxSizeBytes === undefined ? {} : { size: { floatBytes: model.floatBytes, maxBytes: s.maxSizeBytes } }),
  });
  const groupCount = model.groupCount;
  s.onProgress?.({ status: 'ranked', moves: ranking.moves.length, groups: groupCount });
  return ranking;
}
