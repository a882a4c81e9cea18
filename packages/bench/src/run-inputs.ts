import { stat } from 'node:fs/promises';
import type { CorpusItem } from '@asrq/audio';
import { describeChange, fingerprintFile, sameContents } from './fingerprint.js';
import type { NamedFingerprint, RunInputs, UtteranceRecord } from './types.js';
import { BenchError } from './errors.js';

async function named(path: string): Promise<NamedFingerprint> {
  return { path, ...(await fingerprintFile(path)) };
}

/**
 * Fingerprints every input of a run (see {@link fingerprintFile} for how files are hashed).
 * @param inputs - Model, tokenizer, LM and corpus paths, and the utterances to be measured.
 * @returns The fingerprints.
 * @throws AsrqError `BENCH_INPUT_UNREADABLE` naming a file that cannot be read.
 */
export async function fingerprintInputs(inputs: {
  models: string[];
  tokenizer: string;
  lm?: string;
  data: string;
  items: CorpusItem[];
}): Promise<RunInputs> {
  const models: NamedFingerprint[] = [];
  for (const model of inputs.models) models.push(await named(model));
  const isManifest = (await stat(inputs.data).catch(() => undefined))?.isFile() ?? false;
  const hashed = new Map<string, NamedFingerprint>();
  // A few at a time: thousands of small files, mostly in the page cache already.
  const queue = [...inputs.items];
  await Promise.all(
    Array.from({ length: 4 }, async () => {
      for (let item = queue.shift(); item; item = queue.shift()) {
        // An unreadable file is reported (or skipped with --lenient) when it is read for measuring.
        hashed.set(
          item.id,
          await named(item.audioPath).catch(() => ({
            path: item!.audioPath,
            size: -1,
            mtimeMs: 0,
            sha256: 'unreadable',
          })),
        );
      }
    }),
  );
  // In corpus order, whichever worker finished first: the journal header must not depend on timing.
  const audio: Record<string, NamedFingerprint> = {};
  for (const item of inputs.items) audio[item.id] = hashed.get(item.id)!;
  return {
    models,
    tokenizer: await named(inputs.tokenizer),
    ...(inputs.lm ? { lm: await named(inputs.lm) } : {}),
    ...(isManifest ? { manifest: await named(inputs.data) } : {}),
    audio,
  };
}

/**
 * Checks, before resuming, that no input changed since the journal was started: the models,
 * tokenizer, LM and manifest, the audio of every utterance of the run (measured or still to be),
 * and the reference transcripts of those with results. Results measured on an old file must not be mixed with new ones.
 * @param journal - Journal path, for the message.
 * @param recorded - Fingerprints from the journal header.
 * @param now - Fingerprints taken now.
 * @param previous - Results already in the journal.
 * @param items - The utterances of this run (for their current transcripts).
 * @throws AsrqError `BENCH_RESUME_MISMATCH` naming the files that changed and how.
 */
export function assertSameInputs(
  journal: string,
  recorded: RunInputs | undefined,
  now: RunInputs,
  previous: UtteranceRecord[],
  items: CorpusItem[],
): void {
  if (recorded === undefined) {
    throw new BenchError(
      'BENCH_RESUME_MISMATCH',
      `Cannot resume ${journal}: it records no fingerprints of its inputs, so a changed model or audio file could not be detected. Start over with \`force\`, or use another \`outDir\`.`,
      { argument: ['force', 'outDir'] },
    );
  }
  const changes: string[] = [];
  const compare = (what: string, before: NamedFingerprint | undefined, after: NamedFingerprint | undefined): void => {
    if (before === undefined && after === undefined) return;
    if (before === undefined || after === undefined || before.path !== after.path) {
      changes.push(`${what} ${before?.path ?? '(none)'} then, ${after?.path ?? '(none)'} now`);
    } else if (!sameContents(before, after))
      changes.push(`${what} ${after.path} changed (${describeChange(before, after)})`);
  };
  now.models.forEach((model, i) => compare(`model`, recorded.models[i], model));
  compare('tokenizer', recorded.tokenizer, now.tokenizer);
  compare('LM', recorded.lm, now.lm);
  compare('manifest', recorded.manifest, now.manifest);
  // Every utterance of the run, measured yet or not: the rest of a resumed run must measure the
  // audio the run started with, or its report would describe files it never saw whole.
  for (const id of Object.keys(now.audio)) compare(`audio of ${id}`, recorded.audio[id], now.audio[id]);
  const transcripts = new Map(items.map((item) => [item.id, item.transcript]));
  const checked = new Set<string>();
  for (const record of previous) {
    if (checked.has(record.id) || !transcripts.has(record.id)) continue;
    checked.add(record.id);
    if (transcripts.get(record.id) !== record.ref) changes.push(`the reference transcript of ${record.id} changed`);
  }
  if (changes.length === 0) return;
  const shown = changes.slice(0, 5).join('; ') + (changes.length > 5 ? `; and ${changes.length - 5} more` : '');
  throw new BenchError(
    'BENCH_RESUME_MISMATCH',
    `Cannot resume ${journal}: inputs changed since the run started (${shown}). Its results were measured on the old files and would be mixed with new ones. ` +
      'Start over with `force` (or restore the files, or use another `outDir`).',
    { argument: ['force', 'outDir'] },
  );
}
