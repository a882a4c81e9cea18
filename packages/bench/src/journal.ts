import { createReadStream } from 'node:fs';
import { mkdir, open, writeFile, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import { createInterface } from 'node:readline';
import { AsrqError } from '@asrq/core';
import type { BenchConfig, JournalHeader, SkippedRecord, UtteranceRecord } from './types.js';

/** What a journal holds after reading it back. */
export interface JournalContents {
  header?: JournalHeader;
  records: UtteranceRecord[];
  skipped: SkippedRecord[];
}

/**
 * Reads a JSONL journal. A torn last line (the run was killed mid-write) is dropped, so a
 * resumed run simply redoes that utterance.
 * @param path - Journal file.
 * @returns Header and records; empty when the file does not exist.
 * @throws AsrqError `BENCH_BAD_JOURNAL` naming the line when a line in the middle is broken.
 */
export async function readJournal(path: string): Promise<JournalContents> {
  const contents: JournalContents = { records: [], skipped: [] };
  let lines: string[];
  try {
    lines = [];
    const reader = createInterface({ input: createReadStream(path, 'utf8'), crlfDelay: Infinity });
    for await (const line of reader) lines.push(line);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return contents;
    throw error;
  }
  lines.forEach((line, index) => {
    if (line.trim() === '') return;
    let entry: JournalHeader | UtteranceRecord | SkippedRecord;
    try {
      entry = JSON.parse(line) as typeof entry;
    } catch (cause) {
      if (index === lines.length - 1) return;
      throw new AsrqError('BENCH_BAD_JOURNAL', `${path}:${index + 1} is not valid JSON. Delete the file (or the output directory) to start the run afresh.`, { cause, location: `${path}:${index + 1}` });
    }
    if (entry.kind === 'header') contents.header = entry;
    else if (entry.kind === 'utterance') contents.records.push(entry);
    else if (entry.kind === 'skipped') contents.skipped.push(entry);
  });
  return contents;
}

/**
 * Starts a fresh journal with its header.
 * @param path - Journal file (replaced).
 * @param config - The run's configuration.
 */
export async function startJournal(path: string, config: BenchConfig): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const header: JournalHeader = { kind: 'header', version: 1, config, startedAt: new Date().toISOString() };
  await writeFile(path, `${JSON.stringify(header)}\n`);
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
    throw new AsrqError('BENCH_RESUME_MISMATCH', `${path} has no header line, so it cannot be resumed. Remove it (or use another --out) and run without --resume.`);
  }
  const before = previous.config as unknown as Record<string, unknown>;
  const now = config as unknown as Record<string, unknown>;
  const keys = new Set([...Object.keys(before), ...Object.keys(now)]);
  const differ = [...keys].filter((k) => JSON.stringify(before[k]) !== JSON.stringify(now[k]));
  if (differ.length > 0) {
    throw new AsrqError(
      'BENCH_RESUME_MISMATCH',
      `Cannot resume ${path}: it was started with different settings (${differ.map((k) => `${k}: ${JSON.stringify(before[k])} then, ${JSON.stringify(now[k])} now`).join('; ')}). ` +
        'Resume with the same options, or start a new run in another --out directory.',
    );
  }
}

/** An open journal for appending records during a run, without reopening the file per record. */
export interface JournalWriter {
  append(entry: UtteranceRecord | SkippedRecord): Promise<void>;
  close(): Promise<void>;
}

/**
 * Opens a journal for appending. Each record goes out in a single write, so a crash loses at
 * most the line being written (dropped on resume).
 * @param path - Journal file (must exist: see {@link startJournal}).
 * @returns The writer; close it when done.
 */
export async function openJournal(path: string): Promise<JournalWriter> {
  const handle: FileHandle = await open(path, 'a');
  return {
    async append(entry) {
      await handle.write(`${JSON.stringify(entry)}\n`);
    },
    async close() {
      await handle.close();
    },
  };
}
