import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { errorCode } from '@asrq/core';
import { openJsonlAppender, readJsonl } from '@asrq/core/node';
import { PlannerError } from './errors.js';
import type { GroupSignal } from './ranking.js';
import type { Trial } from './types.js';

/** The settings that define a search; resuming requires equal settings. */
export type SearchSettings = Record<string, unknown>;

/** What a journal holds. */
export interface JournalContents {
  settings?: SearchSettings;
  signals?: { groups: GroupSignal[]; kernelMs: number; floatSqnrDb?: number };
  trials: Trial[];
}

type Line =
  | { kind: 'header'; version: 1; settings: SearchSettings }
  | { kind: 'signals'; signals: NonNullable<JournalContents['signals']> }
  | { kind: 'trial'; trial: Trial };

// JSON has no Infinity: the SQNR of an unchanged output is stored as the string "Infinity" and read back as a number.
const replacer = (_: string, v: unknown): unknown =>
  typeof v === 'number' && !Number.isFinite(v) ? (v > 0 ? 'Infinity' : '-Infinity') : v;
const reviver = (_: string, v: unknown): unknown =>
  v === 'Infinity' ? Number.POSITIVE_INFINITY : v === '-Infinity' ? Number.NEGATIVE_INFINITY : v;
const encode = (value: unknown): string => JSON.stringify(value, replacer);

/**
 * Reads a search journal (JSONL). A torn last line (killed mid-write) is ignored, and cut off
 * before the next append.
 * @param path - Journal file.
 * @returns Settings, cached signals and the trials, empty when the file does not exist.
 */
export async function readSearchJournal(path: string): Promise<JournalContents> {
  const file = await readJsonl(path, errorCode(PlannerError, 'PLANNER_BAD_JOURNAL'), reviver);
  const contents: JournalContents = { trials: [] };
  for (const entry of file.entries as Line[]) {
    if (entry.kind === 'header') contents.settings = entry.settings;
    else if (entry.kind === 'signals') contents.signals = entry.signals;
    else if (entry.kind === 'trial') contents.trials.push(entry.trial);
  }
  return contents;
}

/**
 * Settings a resumed search may change: the size budget only decides which measured plans are
 * accepted (re-decided on resume), not what is measured, so a search stopped by
 * `PLANNER_SIZE_UNREACHABLE` or `PLANNER_NO_PLAN` resumes with another budget and keeps its measurements.
 */
const MAY_CHANGE_ON_RESUME: ReadonlySet<string> = new Set(['maxSizeBytes']);

/**
 * Checks that a journal was written by a search with the same settings (the size budget may differ).
 * @param path - Journal file (for the message).
 * @param previous - Settings in the journal.
 * @param current - Settings of this search.
 * @throws PlannerError `PLANNER_RESUME_MISMATCH` naming the first differing setting.
 */
export function assertSameSearch(path: string, previous: SearchSettings, current: SearchSettings): void {
  for (const key of new Set([...Object.keys(previous), ...Object.keys(current)])) {
    if (MAY_CHANGE_ON_RESUME.has(key)) continue;
    if (key === 'int4Blocks' && (previous[key] === undefined) !== (current[key] === undefined)) {
      // The search measured its candidates with or without 4-bit weights: a budget can change, not come or go.
      throw new PlannerError(
        'PLANNER_RESUME_MISMATCH',
        `${path} belongs to a search ${previous[key] === undefined ? 'without' : 'with'} a size budget (\`maxSizeBytes\`); a resumed search may change the budget but not ${previous[key] === undefined ? 'add' : 'drop'} it. Resume ${previous[key] === undefined ? 'without' : 'with'} one, or start over with \`force\`.`,
        { location: path, argument: ['maxSizeBytes', 'force'] },
      );
    }
    if (encode(previous[key]) !== encode(current[key])) {
      throw new PlannerError(
        'PLANNER_RESUME_MISMATCH',
        `${path} belongs to a search with ${key} = ${encode(previous[key])}, not ${encode(current[key])}. Resume with the same settings, or use another \`workDir\` (or drop \`resume\` to start over).`,
        { location: path, argument: ['workDir', 'resume'] },
      );
    }
  }
}

/**
 * Starts a fresh journal holding only the settings.
 * @param path - Journal file.
 * @param settings - Search settings.
 */
export async function startSearchJournal(path: string, settings: SearchSettings): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, `${encode({ kind: 'header', version: 1, settings })}\n`);
}

/**
 * Appends one record to a journal.
 * @param path - Journal file.
 * @param line - Signals or a trial.
 */
export async function appendSearchJournal(
  path: string,
  line: { kind: 'signals'; signals: NonNullable<JournalContents['signals']> } | { kind: 'trial'; trial: Trial },
): Promise<void> {
  // A handful of lines per search: reopen each time, repairing a torn last line first.
  const writer = await openJsonlAppender(
    path,
    await readJsonl(path, errorCode(PlannerError, 'PLANNER_BAD_JOURNAL'), reviver),
    replacer,
  );
  try {
    await writer.append(line);
  } finally {
    await writer.close();
  }
}
