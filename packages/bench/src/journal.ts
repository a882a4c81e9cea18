import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { errorCode } from '@asrq/core';
import { openJsonlAppender, readJsonl, type JsonlAppender, type JsonlContents } from '@asrq/core/node';
import type { RunInputs } from './types.js';
import type { BenchConfig, JournalHeader, SkippedRecord, UtteranceRecord } from './types.js';
import { BenchError } from './errors.js';

/** Version of the journal records; version 1 stored plumbing time summed over repeats, version 2 had no input fingerprints. */
export const JOURNAL_VERSION = 3;

/** What a journal holds after reading it back. */
export interface JournalContents {
  header?: JournalHeader;
  records: UtteranceRecord[];
  skipped: SkippedRecord[];
  /** The raw file state, for repairing a torn last line before appending. */
  file: JsonlContents;
}

/**
 * Reads a JSONL journal. A torn last line (the run was killed mid-write) is dropped, so a
 * resumed run simply redoes that utterance.
 * @param path - Journal file.
 * @returns Header and records; empty when the file does not exist.
 * @throws AsrqError `BENCH_BAD_JOURNAL` naming the line when a line in the middle is broken.
 */
export async function readJournal(path: string): Promise<JournalContents> {
  const file = await readJsonl(path, errorCode(BenchError, 'BENCH_BAD_JOURNAL'));
  const contents: JournalContents = { records: [], skipped: [], file };
  for (const entry of file.entries as Array<JournalHeader | UtteranceRecord | SkippedRecord>) {
    if (entry.kind === 'header') contents.header = entry;
    else if (entry.kind === 'utterance') contents.records.push(entry);
    else if (entry.kind === 'skipped') contents.skipped.push(entry);
  }
  return contents;
}

/** A journal with nothing in it. */
export function emptyJournal(): JournalContents {
  return { records: [], skipped: [], file: { exists: false, entries: [], goodBytes: 0, totalBytes: 0 } };
}

/**
 * Starts a fresh journal with its header (replacing any file there).
 * @param path - Journal file.
 * @param config - The run's configuration.
 * @param inputs - Fingerprints of the run's input files, checked by a later resume.
 */
export async function startJournal(path: string, config: BenchConfig, inputs?: RunInputs): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const header: JournalHeader = {
    kind: 'header',
    version: JOURNAL_VERSION,
    config,
    startedAt: new Date().toISOString(),
    ...(inputs ? { inputs } : {}),
  };
  await writeFile(path, `${JSON.stringify(header)}\n`);
}

/** An open journal for appending records during a run. */
export type JournalWriter = JsonlAppender;

/**
 * Opens a journal for appending, cutting off a torn last line first.
 * @param path - Journal file.
 * @param previous - Its contents when resuming.
 * @returns The writer; close it when done.
 */
export function openJournal(path: string, previous?: JournalContents): Promise<JournalWriter> {
  return openJsonlAppender(path, previous?.file);
}

/**
 * Checks that a journal being resumed belongs to the same run.
 * @param path - Journal file, for the message.
 * @param previous - Its header.
 * @param config - The configuration of the run being resumed.
 * @throws AsrqError `BENCH_RESUME_MISMATCH` naming the settings that differ.
 */
export function assertSameRun(path: string, previous: JournalHeader | undefined, config: BenchConfig): void {
  if (!previous) {
    throw new BenchError(
      'BENCH_RESUME_MISMATCH',
      `${path} has no header line, so it cannot be resumed. Remove it (or use another \`outDir\`) and run without \`resume\`.`,
      { argument: ['outDir', 'resume'] },
    );
  }
  if (previous.version !== JOURNAL_VERSION) {
    throw new BenchError(
      'BENCH_RESUME_MISMATCH',
      `${path} was written by an older asrq (journal version ${previous.version}, now ${JOURNAL_VERSION}), so it cannot be resumed. Start over with \`force\`, or use another \`outDir\`.`,
      { argument: ['force', 'outDir'] },
    );
  }
  const before = previous.config as unknown as Record<string, unknown>;
  const now = config as unknown as Record<string, unknown>;
  const keys = new Set([...Object.keys(before), ...Object.keys(now)]);
  const differ = [...keys].filter((k) => JSON.stringify(before[k]) !== JSON.stringify(now[k]));
  if (differ.length > 0) {
    throw new BenchError(
      'BENCH_RESUME_MISMATCH',
      `Cannot resume ${path}: it was started with different settings (${differ.map((k) => `${k}: ${JSON.stringify(before[k])} then, ${JSON.stringify(now[k])} now`).join('; ')}). ` +
        'Resume with the same options, or start a new run in another `outDir`.',
      { argument: 'outDir' },
    );
  }
}
