import {
  assertSameRun,
  emptyJournal,
  openJournal,
  readJournal,
  startJournal,
  type JournalContents,
  type JournalWriter,
} from '../journal.js';
import { assertSameInputs, fingerprintInputs } from '../run-inputs.js';
import { selectionDigest } from '../shard.js';
import type { BenchConfig, SkippedRecord, UtteranceRecord } from '../types.js';
import type { RunItems } from './resolve-inputs.js';
import { BenchError } from '../errors.js';

/** What an output directory already holds, as far as this run is concerned. */
export interface PreviousRun {
  journal: string;
  existing: JournalContents;
  /** The journal holds a header or results. */
  hasRun: boolean;
  resume: boolean;
  /** Results to keep (resume only). */
  records: UtteranceRecord[];
  /** Skipped utterances to keep (resume only); this run appends to it. */
  skipped: SkippedRecord[];
}

/**
 * Reads the journal of the output directory, read-only, and decides what of it this run keeps:
 * a resume must match its settings; a new run refuses to overwrite results unless `force`.
 * `force` without `resume` starts over whatever the old journal holds, even a broken one.
 * @param journal - The journal file.
 * @param config - What to run.
 * @param options - Resume and force.
 * @returns What this run continues from.
 * @throws AsrqError `BENCH_RESUME_MISMATCH`, `BENCH_OUT_EXISTS`, `BENCH_BAD_JOURNAL`.
 */
export async function readPreviousRun(
  journal: string,
  config: BenchConfig,
  options: { outDir: string; resume?: boolean; force?: boolean },
): Promise<PreviousRun> {
  const resume = options.resume ?? false;
  const existing =
    options.force && !resume ? await readJournal(journal).catch(() => emptyJournal()) : await readJournal(journal);
  const hasRun = existing.header !== undefined || existing.records.length > 0;
  if (resume && hasRun) assertSameRun(journal, existing.header, config);
  if (!resume && !options.force && existing.records.length > 0) {
    throw new BenchError(
      'BENCH_OUT_EXISTS',
      `${options.outDir} already holds a run (${existing.records.length} results in ${journal}). Pass \`resume\` to continue it, \`force\` to start over, or choose another \`outDir\`.`,
      { argument: ['resume', 'force', 'outDir'] },
    );
  }
  return {
    journal,
    existing,
    hasRun,
    resume,
    records: resume ? existing.records : [],
    skipped: resume ? existing.skipped : [],
  };
}

/**
 * Fingerprints the run's input files and opens the journal for appending: a resume checks the
 * fingerprints against the journal's header and continues it; otherwise a fresh journal is started.
 * @param previous - What the output directory holds.
 * @param config - What to run.
 * @param items - The selected utterances.
 * @param tokenizerPath - The tokenizer in use.
 * @returns The journal writer; close it when done.
 * @throws AsrqError `BENCH_RESUME_MISMATCH` when an input file changed since the run started.
 */
export async function openRunJournal(
  previous: PreviousRun,
  config: BenchConfig,
  items: RunItems,
  tokenizerPath: string,
): Promise<JournalWriter> {
  const { measured } = items;
  const fingerprints = await fingerprintInputs({
    models: config.models,
    tokenizer: tokenizerPath,
    ...(config.lm ? { lm: config.lm } : {}),
    data: config.data,
    items: measured,
  });
  const inputs = { ...fingerprints, selection: selectionDigest(items.unsharded) };
  if (previous.resume && previous.hasRun) {
    assertSameInputs(previous.journal, previous.existing.header?.inputs, inputs, previous.records, measured);
    return openJournal(previous.journal, previous.existing);
  }
  await startJournal(previous.journal, config, inputs);
  return openJournal(previous.journal);
}
